// `parley positions [--topic T]`: parties × issues across the library — the latest stance with its
// evidence and every change with date and source article — as JSON or CSV.
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { items } from './actors.js';
import { positionMatrix } from '../../stories/positions.js';
import { positionMatrixToCsv } from '../../export/csv.js';
import { dataDir } from '../../analyze/lexicons.js';
import { loadIssueLexicon } from '../../analyze/positions/lexicon.js';
import type { ActorKind, Stance } from '../../analyze/types.js';
import type { PositionMatrix } from '../../stories/positions.js';

const MARK: Record<Stance, string> = { support: 'support', oppose: 'OPPOSE', conditional: 'cond.', neutral: 'neutral' };

/** A plain-text grid for reading in a terminal: parties down, issues across; "*" marks a cell whose stance changed. */
export function positionTable(m: PositionMatrix): string {
  if (m.cells.length === 0) return 'no positions\n';
  const cols = m.issues.map((i) => i.id);
  const head = ['party', ...cols];
  const rows = m.parties.map((p) => [
    p.name,
    ...cols.map((c) => {
      const cell = m.cells.find((x) => x.party === p.id && x.issue === c);
      return cell ? `${MARK[cell.latest.stance]}${cell.changes.length > 1 ? '*' : ''}` : '·';
    }),
  ]);
  const width = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
  const line = (r: string[]): string => r.map((v, k) => v.padEnd(width[k]!)).join('  ').trimEnd();
  return `${[line(head), ...rows.map(line)].join('\n')}\n`;
}

/** Actor kinds that count as parties with --parties (people speak for them). */
const PARTY_KINDS: ActorKind[] = ['country', 'group', 'organization'];

export function register(program: Command): void {
  program
    .command('positions')
    .description('Where each party stands on each issue across articles: latest stance, evidence and changes (JSON or CSV)')
    .option('--topic <topic>', 'an issue id or label word (only that issue), or a word articles must contain')
    .option('--story <ids>', 'only these article ids (comma-separated), e.g. one story\'s articles')
    .option('--parties', 'only countries, groups and organisations (not the people speaking for them)')
    .option('--format <format>', 'json, csv or table', 'json')
    .option('--db <location>', 'library: SQLite file or postgres:// URL (default: $PARLEY_DB or ./parley.db)')
    .option('--input <file>', 'read {article, analysis} JSON lines instead of the library; - for stdin')
    .action(async (o: { topic?: string; story?: string; parties?: boolean; format: string; db?: string; input?: string }) => {
      if (!['json', 'csv', 'table'].includes(o.format)) throw new UserError(`--format must be json, csv or table, got "${o.format}"`);
      if (o.topic !== undefined && !o.topic.trim()) throw new UserError('--topic is empty');
      const issues = loadIssueLexicon(dataDir()).issues.map((i) => ({ id: i.id, label: i.label }));
      const m = positionMatrix(await items(o), {
        ...(o.topic ? { topic: o.topic } : {}),
        ...(o.story ? { articleIds: o.story.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
        ...(o.parties ? { kinds: PARTY_KINDS } : {}),
        issues,
      });
      process.stdout.write(o.format === 'csv' ? positionMatrixToCsv(m) : o.format === 'table' ? positionTable(m) : `${JSON.stringify(m, null, 2)}\n`);
    });
}
