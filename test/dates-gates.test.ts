// The gated chrono-node parser of the dates stage must find exactly what chrono.en.parse finds:
// each gate only skips a parser whose pattern cannot match the text.
import * as chrono from 'chrono-node';
import { describe, expect, it } from 'vitest';
import { DATEISH_RE, gatedChrono } from '../src/analyze/dates.js';

const TEXTS = [
  'The talks resumed on Monday. At 10:30 the delegations met again.',
  'He said Tuesday that the deal, signed on Jan. 5, 2017, would hold until 2019-03-04.',
  'Officials met last night and again this morning; a vote is due in two weeks.',
  'Three days ago the ministers agreed to meet again next month, at 5 p.m. ET.',
  'The summit on 12 October 2016 (a Wednesday) ended early, by noon.',
  'By the end of the month, 4/2016 figures and the 10/11/2016 report were out.',
  'A few hours later, the sides said they would talk again within a week.',
  'In them we trust; for a d; the s later; he was 5 A man said.',
  'Tomorrow, or the day after, or in 2020: nobody knew. Sept. 3rd, maybe the weekend.',
  'No date here at all, only words about peace and war.',
  'Since 1991 the border has moved; +3 days, -2 weeks, past year, this year.',
  'The twenty-first of March and the first of May; May 2018; 2018 May; 2018 of June.',
  'Half ad later, a couple  of  days after, the 1990s after all; inone day, for the day, within 2 hrs.',
  'Two weeks from now and an hour after; 3 daysout; about 5 minutes, 10 mins later; the year out.',
];

describe('gated chrono', () => {
  const ref = { instant: new Date(Date.UTC(2016, 9, 1, 12)), timezone: 0 };
  const view = (rs: chrono.ParsedResult[]): unknown => rs.map((r) => [r.index, r.text, r.start.date().toISOString(), r.end?.date().toISOString() ?? null]);
  it('finds what chrono.en.parse finds, with and without a reference date', () => {
    for (const t of TEXTS) {
      expect(view(gatedChrono.parse(t, ref, { forwardDate: false })), t).toEqual(view(chrono.en.parse(t, ref, { forwardDate: false })));
      for (const word of t.split(/(?<=[.;:])\s+/)) expect(view(gatedChrono.parse(word, ref)), word).toEqual(view(chrono.en.parse(word, ref)));
    }
  });
});

describe('date pre-filter', () => {
  /** The pre-filter as first written, a \b before each alternative: DATEISH_RE must answer as it does. */
  const FIRST_FORM =
    /\b(?:mon|tues|wednes|thurs|fri|satur|sun)day|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\b(?:january|february|march|april|june|july|august|september|october|november|december)\b|\b(?:today|yesterday|tomorrow|tonight)\b|\b(?:1[89]|20)\d\d\b|\bago\b|\d{1,4}[/-]\d{1,2}[/-]\d{1,4}/i;
  it('answers as the first form on mixed date words, numbers, separators and spaces', () => {
    const atoms = ['Mon', 'monday', 'TUESDAY', 'day', 'Satur', 'Jan.', 'JANUARY', 'janu', 'mar', 'March', 'May', 'Sept.', 'decade', 'today', 'Todays',
      'tomorrow', 'ago', 'agox', '_', 'x', 'é', '1', '12', '123', '1999', '20160', '1799', '3/4/5', '12-1-2016', '1/12/', '/', '-', '.', ' ', '\n', '\u00a0', '\u180e', '’'];
    let seed = 3;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    let positives = 0;
    for (let k = 0; k < 20000; k++) {
      let s = '';
      const len = 1 + Math.floor(rnd() * 6);
      for (let j = 0; j < len; j++) s += atoms[Math.floor(rnd() * atoms.length)];
      const want = FIRST_FORM.test(s);
      if (want) positives++;
      expect(DATEISH_RE.test(s), JSON.stringify(s)).toBe(want);
    }
    expect(positives).toBeGreaterThan(1000);
  });
});
