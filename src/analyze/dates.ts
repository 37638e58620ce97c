// Stage: dates — date expressions resolved against the publication date with chrono-node.
// "this week" (which chrono does not parse) resolves to the Monday of the publication week.
import * as chrono from 'chrono-node';
import type { Doc } from './segment.js';
import type { DateMention } from './types.js';

/** Cheap pre-filter: chrono is costly, so only paragraphs with a date-like word are parsed. */
const DATEISH_RE =
  /\b(?:mon|tues|wednes|thurs|fri|satur|sun)day|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\b(?:january|february|march|april|june|july|august|september|october|november|december)\b|\b(?:today|yesterday|tomorrow|tonight)\b|\b(?:1[89]|20)\d\d\b|\bago\b|\d{1,4}[/-]\d{1,2}[/-]\d{1,4}/i;
const WEEK_RE = /\b(this|last|next) week\b/gi;
const MONTH_RE = /\b(this|last|next) month\b/gi;

function iso(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Parse YYYY-MM-DD as a UTC noon date, so time zones never move the day. */
export function parsePublished(published: string | undefined): Date | undefined {
  if (!published) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(published);
  if (!m) return undefined;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, 12));
}

function mondayOf(d: Date, weeks: number): Date {
  const day = (d.getUTCDay() + 6) % 7; // Monday = 0
  return new Date(d.getTime() - day * 86400000 + weeks * 7 * 86400000);
}

export function findDates(doc: Doc, published?: string): DateMention[] {
  const ref = parsePublished(published);
  const out: DateMention[] = [];
  const text = doc.text;
  for (const p of doc.structure.paragraphs) {
    const chunk = text.slice(p.start, p.end);
    const results = !DATEISH_RE.test(chunk)
      ? []
      : ref
      ? chrono.en.parse(chunk, { instant: ref, timezone: 0 }, { forwardDate: false })
      : chrono.en.parse(chunk);
    for (const r of results) {
      // Without a reference date only explicit years can be resolved.
      if (!ref && !r.start.isCertain('year')) continue;
      const d = r.start.date();
      const grain = r.start.isCertain('day') || r.start.isCertain('weekday') ? 'day' : r.start.isCertain('month') ? 'month' : 'year';
      // A bare time ("at 5 pm") or a number is not a date worth reporting.
      if (!r.start.isCertain('day') && !r.start.isCertain('weekday') && !r.start.isCertain('month') && !r.start.isCertain('year')) continue;
      const value = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
      out.push({ start: p.start + r.index, end: p.start + r.index + r.text.length, value: iso(value), grain, rule: 'chrono-node' });
    }
    if (ref) {
      for (const re of [WEEK_RE, MONTH_RE]) {
        re.lastIndex = 0;
        let m: RegExpExecArray | null;
        while ((m = re.exec(chunk)) !== null) {
          const shift = m[1]!.toLowerCase() === 'last' ? -1 : m[1]!.toLowerCase() === 'next' ? 1 : 0;
          let value: Date;
          let grain: DateMention['grain'];
          if (re === WEEK_RE) {
            value = mondayOf(ref, shift);
            grain = 'week';
          } else {
            value = new Date(Date.UTC(ref.getUTCFullYear(), ref.getUTCMonth() + shift, 1));
            grain = 'month';
          }
          out.push({ start: p.start + m.index, end: p.start + m.index + m[0].length, value: iso(value), grain, rule: `relative-${grain}` });
        }
      }
    }
  }
  out.sort((a, b) => a.start - b.start || a.end - b.end);
  return out;
}
