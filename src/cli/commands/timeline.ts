// `parley timeline`: events and statements across the library in date order; `parley network`: who
// met, called, accused or threatened whom, from events.
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { items } from './actors.js';
import { findActor, mergeActors } from '../../stories/actors-merge.js';
import { interactionNetwork, timeline } from '../../stories/timeline.js';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export function register(program: Command): void {
  program
    .command('timeline')
    .description('Events and statements across articles in date order, each with its article and offsets')
    .option('--actor <name>', 'only entries involving this actor (any spelling)')
    .option('--kind <kind>', 'only events or only statements (event | statement)')
    .option('--from <date>', 'from this day (YYYY-MM-DD)')
    .option('--to <date>', 'up to this day (YYYY-MM-DD)')
    .option('--jsonl', 'one JSON line per entry instead of one JSON array')
    .option('--db <location>', 'library: SQLite file or postgres:// URL (default: $PARLEY_DB or ./parley.db)')
    .option('--input <file>', 'read {article, analysis} JSON lines instead of the library; - for stdin')
    .action(async (o: { actor?: string; kind?: string; from?: string; to?: string; jsonl?: boolean; db?: string; input?: string }) => {
      for (const k of ['from', 'to'] as const) if (o[k] && !ISO_DAY.test(o[k]!)) throw new UserError(`--${k} must be a date YYYY-MM-DD, got "${o[k]}"`);
      if (o.kind && o.kind !== 'event' && o.kind !== 'statement') throw new UserError(`--kind must be event or statement, got "${o.kind}"`);
      const all = await items(o);
      let entries = timeline(all);
      if (o.actor) {
        const ids = new Set(findActor(mergeActors(all), o.actor).map((m) => m.id));
        if (ids.size === 0) throw new UserError(`no actor matches "${o.actor}"`, 1);
        entries = entries.filter((e) => e.actors.some((a) => ids.has(a)));
      }
      if (o.kind) entries = entries.filter((e) => e.kind === o.kind);
      if (o.from) entries = entries.filter((e) => e.date !== undefined && e.date >= o.from!);
      if (o.to) entries = entries.filter((e) => e.date !== undefined && e.date <= o.to!);
      process.stdout.write(o.jsonl ? entries.map((e) => `${JSON.stringify(e)}\n`).join('') : `${JSON.stringify(entries, null, 2)}\n`);
    });

  program
    .command('network')
    .description('Interaction network across articles: who met, called, accused, threatened whom (from events), as JSON')
    .option('--db <location>', 'library: SQLite file or postgres:// URL (default: $PARLEY_DB or ./parley.db)')
    .option('--input <file>', 'read {article, analysis} JSON lines instead of the library; - for stdin')
    .action(async (o: { db?: string; input?: string }) => {
      process.stdout.write(`${JSON.stringify(interactionNetwork(await items(o)), null, 2)}\n`);
    });
}
