// `parley positions [--topic T]`: parties × issues across the library — the latest stance with its
// evidence and every change with date and source article — as JSON or CSV.
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { items } from './actors.js';
import { positionMatrix } from '../../stories/positions.js';
import { positionMatrixToCsv } from '../../export/csv.js';
import { dataDir } from '../../analyze/lexicons.js';
import { loadIssueLexicon } from '../../analyze/positions/lexicon.js';
import type { ActorKind } from '../../analyze/types.js';

/** Actor kinds that count as parties with --parties (people speak for them). */
const PARTY_KINDS: ActorKind[] = ['country', 'group', 'organization'];

export function register(program: Command): void {
  program
    .command('positions')
    .description('Where each party stands on each issue across articles: latest stance, evidence and changes (JSON or CSV)')
    .option('--topic <topic>', 'an issue id or label word (only that issue), or a word articles must contain')
    .option('--story <ids>', 'only these article ids (comma-separated), e.g. one story\'s articles')
    .option('--parties', 'only countries, groups and organisations (not the people speaking for them)')
    .option('--format <format>', 'json or csv', 'json')
    .option('--db <location>', 'library: SQLite file or postgres:// URL (default: $PARLEY_DB or ./parley.db)')
    .option('--input <file>', 'read {article, analysis} JSON lines instead of the library; - for stdin')
    .action(async (o: { topic?: string; story?: string; parties?: boolean; format: string; db?: string; input?: string }) => {
      if (o.format !== 'json' && o.format !== 'csv') throw new UserError(`--format must be json or csv, got "${o.format}"`);
      if (o.topic !== undefined && !o.topic.trim()) throw new UserError('--topic is empty');
      const issues = loadIssueLexicon(dataDir()).issues.map((i) => ({ id: i.id, label: i.label }));
      const m = positionMatrix(await items(o), {
        ...(o.topic ? { topic: o.topic } : {}),
        ...(o.story ? { articleIds: o.story.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
        ...(o.parties ? { kinds: PARTY_KINDS } : {}),
        issues,
      });
      process.stdout.write(o.format === 'csv' ? positionMatrixToCsv(m) : `${JSON.stringify(m, null, 2)}\n`);
    });
}
