// The gated chrono-node parser of the dates stage must find exactly what chrono.en.parse finds:
// each gate only skips a parser whose pattern cannot match the text.
import * as chrono from 'chrono-node';
import { describe, expect, it } from 'vitest';
import { gatedChrono } from '../src/analyze/dates.js';

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
