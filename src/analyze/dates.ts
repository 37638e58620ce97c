// Stage: dates — date expressions resolved against the publication date with chrono-node.
// "this week" (which chrono does not parse) resolves to the Monday of the publication week.
import * as chrono from 'chrono-node';
import type { Doc } from './segment.js';
import type { DateMention } from './types.js';

/**
 * Cheap pre-filter: chrono is costly, so only paragraphs with a date-like word are parsed. The
 * word boundary that opens seven of the eight alternatives is written once, before them: the same
 * matches as a \b in front of each, but the regex tries the alternatives only where a word
 * starts (a quarter faster over paragraphs, most of which hold no date and are read to the end).
 */
export const DATEISH_RE =
  /\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|(?:january|february|march|april|june|july|august|september|october|november|december)\b|(?:today|yesterday|tomorrow|tonight)\b|(?:1[89]|20)\d\d\b|ago\b)|\d{1,4}[/-]\d{1,2}[/-]\d{1,4}/i;
/**
 * Words (or characters) every match of a chrono-node English parser contains, read off each
 * parser's pattern: a paragraph without them cannot give that parser a match, so its scan is
 * skipped. Same case-insensitive (non-unicode) matching as chrono's own patterns, so the test
 * never misses a match; a parser not listed here always runs.
 */
/**
 * A gate's test with its last answer kept: chrono runs every parser over the same text in a row,
 * and several parsers share a gate (four need a month word, two a digit), so each text is scanned
 * once per test, not once per parser. The answer depends only on the text.
 */
function kept(re: RegExp): (text: string) => boolean {
  let last: string | null = null;
  let answer = false;
  return (t) => {
    if (t !== last) {
      answer = re.test(t);
      last = t;
    }
    return answer;
  };
}
const hasMonth = kept(/jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec/i);
const hasDigit = kept(/\d/);
const hasRelative = kept(/this|last|past|next|after/i);
const PARSER_GATES: Record<string, (text: string) => boolean> = {
  ENYearMonthDayParser: (t) => /\d{4}/.test(t),
  ISOFormatParser: (t) => /\d{4}-\d/.test(t),
  SlashDateFormatParser: (t) => /\d[/.-]\d/.test(t),
  ENMonthNameLittleEndianParser: hasMonth,
  ENMonthNameMiddleEndianParser: hasMonth,
  ENWeekdayParser: (t) => /sun|mon|tue|wed|thu|fri|sat|weekend|weekday/i.test(t),
  ENSlashMonthFormatParser: (t) => /\d\/\d/.test(t),
  ENTimeExpressionParser: hasDigit,
  ENTimeUnitAgoFormatParser: (t) => /ago|before|earlier/i.test(t),
  ENTimeUnitLaterFormatParser: (t) => /later|after|from now|henceforth|forward|out/i.test(t),
  ENYearMonthNameParser: (t) => hasDigit(t) && hasMonth(t),
  ENCasualDateParser: (t) => /now|today|tonight|tomorrow|overmorrow|tmr|yesterday|night/i.test(t),
  ENCasualTimeParser: (t) => /morning|afternoon|evening|night|midday|noon/i.test(t),
  ENEndOfCurrentMonthParser: (t) => /month/i.test(t),
  ENMonthNameParser: hasMonth,
  ENRelativeDateFormatParser: hasRelative,
  // The same words as the relative dates, or a sign.
  ENTimeUnitCasualRelativeFormatParser: (t) => hasRelative(t) || /\+|-/.test(t),
};
/** Matches nothing, and fails at once (anchored). */
const NEVER = /^(?!)/;

/** chrono-node's casual English parser (what `chrono.en.parse` runs), each parser behind its gate. */
function gatedCasual(): chrono.Chrono {
  const config = chrono.en.configuration.createCasualConfiguration(false);
  const parsers = config.parsers.map((p): chrono.Parser => {
    const gate = PARSER_GATES[p.constructor.name];
    if (!gate) return p;
    return { pattern: (context) => (gate(context.text) ? p.pattern(context) : NEVER), extract: (context, match) => p.extract(context, match) };
  });
  return new chrono.Chrono({ parsers, refiners: config.refiners });
}
/** The gated parser findDates runs (exported so tests can hold it against chrono.en.parse). */
export const gatedChrono = gatedCasual();

const WEEK_OR_MONTH = /week|month/i;
const WEEK_RE = /\b(this|last|next) week\b/gi;
const MONTH_RE = /\b(this|last|next) month\b/gi;

/** YYYY-MM-DD of a date (UTC), as toISOString().slice(0, 10) gives it, without the time part's string. */
function iso(d: Date): string {
  const y = d.getUTCFullYear();
  // Years beyond four digits (±YYYYYY) and invalid dates (which throw): toISOString's own way.
  if (!(y >= 1000 && y <= 9999)) return d.toISOString().slice(0, 10);
  const m = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  return `${y}-${m < 10 ? '0' : ''}${m}-${day < 10 ? '0' : ''}${day}`;
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
      ? gatedChrono.parse(chunk, { instant: ref, timezone: 0 }, { forwardDate: false })
      : gatedChrono.parse(chunk);
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
    // Both relative patterns need "week" or "month": one scan rules them out for most paragraphs.
    if (ref && WEEK_OR_MONTH.test(chunk)) {
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
