// The Analysis as a readable brief in Markdown: headlines, sections, who's who, who said what,
// who did what to whom, where each side stands. Every quoted line is a slice of the text.
import type { Analysis, Span } from './types.js';

const slice = (a: Analysis, s: Span): string => a.text.slice(s.start, s.end);
const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();
const cell = (s: string): string => oneLine(s).replace(/\|/g, '\\|');

export function formatMarkdown(a: Analysis): string {
  const out: string[] = [];
  const names = new Map(a.actors.map((x) => [x.id, x.name]));
  const [head, ...alts] = a.headlines;
  out.push(`# ${head ?? '(untitled)'}`, '');
  if (alts.length) out.push(...alts.map((h) => `*Also headlined:* ${h}`), '');
  if (a.published) out.push(`Published ${a.published}.`, '');
  for (const w of a.warnings) out.push(`> Note: ${w}`, '');
  if (a.structure.sections.length) {
    out.push('## Sections', '', ...a.structure.sections.map((s) => `- ${slice(a, s.heading)}`), '');
  }
  const people = a.actors.filter((x) => x.kind !== 'place');
  if (people.length) {
    out.push("## Who's who", '', '| actor | kind | title | country | mentions |', '|---|---|---|---|---|');
    for (const x of people) {
      const forms = [...new Set(x.mentions.map((m) => slice(a, m)))].slice(0, 8).join(', ');
      out.push(`| ${cell(x.name)} | ${x.kind} | ${cell(x.title ?? '')} | ${x.country ?? ''} | ${cell(forms)} |`);
    }
    out.push('');
  }
  if (a.quotes.length) {
    out.push('## Who said what', '');
    for (const q of a.quotes) {
      const who = q.speaker ? names.get(q.speaker) ?? q.speaker : q.source ? slice(a, q.source) : 'unattributed';
      const cue = q.cue ? ` (${oneLine(slice(a, q.cue))})` : '';
      out.push(`- **${who}**${cue}, ${q.kind}: ${oneLine(slice(a, q.content))}`);
    }
    out.push('');
  }
  if (a.events.length) {
    out.push('## Who did what to whom', '', '| source | event | target | place | date | evidence |', '|---|---|---|---|---|---|');
    for (const e of a.events) {
      const src = e.source.map((s) => names.get(s) ?? s).join(', ');
      const tgt = e.target.map((s) => names.get(s) ?? s).join(', ');
      const type = `${e.negated ? 'not ' : ''}${e.type}${e.mode ? ` (${e.mode})` : ''}${e.modality ? ` [${e.modality}]` : ''}`;
      const place = e.location ? `${e.location.name}${e.location.country ? ` (${e.location.country})` : ''}` : '';
      out.push(`| ${cell(src)} | ${type} | ${cell(tgt)} | ${cell(place)} | ${e.date ?? ''} | ${cell(slice(a, e.evidence)).slice(0, 160)} |`);
    }
    out.push('');
  }
  if (a.positions.length) {
    out.push('## Where each side stands', '', '| party | issue | stance | evidence |', '|---|---|---|---|');
    for (const p of a.positions) {
      out.push(`| ${cell(names.get(p.actor) ?? p.actor)} | ${p.issue} | ${p.stance} | ${cell(slice(a, p.evidence)).slice(0, 160)} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
