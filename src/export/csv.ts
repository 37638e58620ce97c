// The position matrix as CSV (RFC 4180 quoting): one row per party × issue, with the latest stance,
// the evidence offsets and article it came from, and the history of changes.
import type { PositionMatrix } from '../stories/positions.js';

/** Quote a CSV field when it holds a comma, quote, line break or edge whitespace (RFC 4180). */
export function csvField(v: string | number | undefined | null): string {
  if (v === undefined || v === null) return '';
  const s = String(v);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(fields: Array<string | number | undefined | null>): string {
  return fields.map(csvField).join(',');
}

export const POSITION_CSV_COLUMNS = [
  'party_id', 'party', 'kind', 'country', 'issue', 'issue_label', 'stance', 'date', 'article_id', 'url',
  'evidence_start', 'evidence_end', 'evidence', 'rule', 'observations', 'history',
] as const;

export function positionMatrixToCsv(m: PositionMatrix): string {
  const parties = new Map(m.parties.map((p) => [p.id, p]));
  const labels = new Map(m.issues.map((i) => [i.id, i.label]));
  const lines = [csvLine([...POSITION_CSV_COLUMNS])];
  for (const c of m.cells) {
    const p = parties.get(c.party);
    const history = c.changes.map((h) => `${h.date ?? '?'} ${h.stance} (${h.articleId})`).join(' > ');
    lines.push(
      csvLine([c.party, p?.name, p?.kind, p?.country, c.issue, labels.get(c.issue) ?? c.issue, c.latest.stance, c.latest.date, c.latest.articleId, c.latest.url,
        c.latest.evidence.start, c.latest.evidence.end, c.latest.excerpt, c.latest.rule, c.observations, history]),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
