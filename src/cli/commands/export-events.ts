// `parley export-events --format plover|gdelt` and `parley export-attributions --format jsonl|brat`:
// the library's events and quotes in the field's formats, each row traceable to article and offsets.
import type { Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { items } from './actors.js';
import { eventsToGdeltTsv, eventsToPlover } from '../../export/events.js';
import { attributionsToJsonl, toBrat } from '../../export/attributions.js';

/** A file name safe on every OS for an article id. */
function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120) || 'article';
}

export function register(program: Command): void {
  program
    .command('export-events')
    .description('Export events: PLOVER JSON records (plover), or GDELT-2.0-style tab-separated rows (gdelt)')
    .requiredOption('--format <format>', 'plover | plover-jsonl | gdelt')
    .option('--no-header', 'gdelt: leave out the header line')
    .option('--db <location>', 'library: SQLite file or postgres:// URL (default: $PARLEY_DB or ./parley.db)')
    .option('--input <file>', 'read {article, analysis} JSON lines instead of the library; - for stdin')
    .action(async (o: { format: string; header: boolean; db?: string; input?: string }) => {
      const formats = ['plover', 'plover-jsonl', 'gdelt'];
      if (!formats.includes(o.format)) throw new UserError(`--format must be one of ${formats.join(', ')}, got "${o.format}"`);
      const all = await items(o);
      if (o.format === 'gdelt') process.stdout.write(eventsToGdeltTsv(all, { header: o.header }));
      else if (o.format === 'plover-jsonl') process.stdout.write(eventsToPlover(all).map((r) => `${JSON.stringify(r)}\n`).join(''));
      else process.stdout.write(`${JSON.stringify(eventsToPlover(all), null, 2)}\n`);
    });

  program
    .command('export-attributions')
    .description('Export attributions (quotes): JSON lines (jsonl), or brat standoff .txt/.ann pairs in PolNeAR\'s scheme (brat, needs --out DIR)')
    .requiredOption('--format <format>', 'jsonl | brat')
    .option('--out <dir>', 'brat: directory to write <article>.txt and <article>.ann into (created if missing)')
    .option('--db <location>', 'library: SQLite file or postgres:// URL (default: $PARLEY_DB or ./parley.db)')
    .option('--input <file>', 'read {article, analysis} JSON lines instead of the library; - for stdin')
    .action(async (o: { format: string; out?: string; db?: string; input?: string }) => {
      if (o.format !== 'jsonl' && o.format !== 'brat') throw new UserError(`--format must be jsonl or brat, got "${o.format}"`);
      if (o.format === 'brat' && !o.out) throw new UserError('--format brat writes one .txt/.ann pair per article: give --out DIR');
      const all = await items(o);
      if (o.format === 'jsonl') {
        process.stdout.write(attributionsToJsonl(all));
        return;
      }
      const dir = o.out!;
      if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new UserError(`--out ${dir} is not a directory`);
      fs.mkdirSync(dir, { recursive: true });
      for (const it of all) {
        const base = path.join(dir, safeName(it.article.id));
        fs.writeFileSync(`${base}.txt`, it.analysis.text);
        fs.writeFileSync(`${base}.ann`, toBrat(it.analysis));
      }
      process.stderr.write(`wrote ${all.length} .txt/.ann pairs to ${dir}\n`);
    });
}
