// `parley actors` and `parley actor NAME`: actors merged across the library's articles (one
// Zelenskyy whatever the spelling), with roles and dates; for one actor, its positions and timeline.
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { loadItems, LoadError, type LoadOptions } from '../../export/load.js';
import { findActor, mergeActors, type Item } from '../../stories/actors-merge.js';
import { positionMatrix } from '../../stories/positions.js';
import { timeline } from '../../stories/timeline.js';
import type { ActorKind } from '../../analyze/types.js';

const KINDS: ActorKind[] = ['person', 'organization', 'country', 'place', 'group'];

export async function items(opts: LoadOptions): Promise<Item[]> {
  try {
    return await loadItems(opts);
  } catch (e) {
    if (e instanceof LoadError) throw new UserError(e.message);
    throw e;
  }
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UserError(`--limit must be a positive whole number, got "${v}"`);
  return n;
}

export function register(program: Command): void {
  program
    .command('actors')
    .description('Actors across all articles, merged (one person whatever the spelling), with roles and dates, as JSON')
    .option('--db <location>', 'library: SQLite file or postgres:// URL (default: $PARLEY_DB or ./parley.db)')
    .option('--input <file>', 'read {article, analysis} JSON lines (or `parley analyze --jsonl` output) instead of the library; - for stdin')
    .option('--kind <kind>', `only actors of this kind (${KINDS.join(', ')})`)
    .option('--limit <n>', 'at most this many actors (most mentioned first)')
    .action(async (o: { db?: string; input?: string; kind?: string; limit?: string }) => {
      if (o.kind && !KINDS.includes(o.kind as ActorKind)) throw new UserError(`--kind must be one of ${KINDS.join(', ')}, got "${o.kind}"`);
      const limit = o.limit ? positiveInt(o.limit) : Infinity;
      const merged = mergeActors(await items(o)).filter((a) => !o.kind || a.kind === o.kind);
      const out = merged.slice(0, limit).map(({ appearances, ...a }) => ({ ...a, articles: appearances.length }));
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    });

  program
    .command('actor')
    .description('One actor across all articles: names, roles with dates, appearances, positions and timeline, as JSON')
    .argument('<name>', 'a name or surname, any spelling ("Zelensky", "zelenskyy")')
    .option('--db <location>', 'library: SQLite file or postgres:// URL (default: $PARLEY_DB or ./parley.db)')
    .option('--input <file>', 'read {article, analysis} JSON lines instead of the library; - for stdin')
    .action(async (name: string, o: { db?: string; input?: string }) => {
      if (!name.trim()) throw new UserError('give an actor name');
      const all = await items(o);
      const matches = findActor(mergeActors(all), name);
      if (matches.length === 0) throw new UserError(`no actor matches "${name}"`, 1);
      const ids = new Set(matches.map((m) => m.id));
      const matrix = positionMatrix(all);
      const entries = timeline(all);
      const out = matches.map((m) => ({
        ...m,
        positions: matrix.cells.filter((c) => c.party === m.id),
        timeline: entries.filter((t) => t.actors.includes(m.id)),
      }));
      process.stdout.write(`${JSON.stringify(ids.size === 1 ? out[0] : out, null, 2)}\n`);
    });
}
