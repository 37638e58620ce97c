// findHits reads a per-sentence table of pattern and not-trigger matches; a window [lo, hi) must
// give exactly what matching each pattern inside the window gives (the straightforward search).
// pairScores must score exactly as scoreFeatures scores pairFeatures' names (the events stage uses
// the first, training the second).
import { describe, expect, it } from 'vitest';
import { dataDir } from '../src/analyze/lexicons.js';
import { loadEventLexicon, type EventLexicon } from '../src/analyze/events/lexicon.js';
import { findHits, matchAt, pairFeatures, pairScores, phraseAt, scoreFeatures, tokenize, type Hit } from '../src/analyze/events/coder.js';
import type { Token } from '../src/analyze/types.js';

const lex = loadEventLexicon(dataDir());

/** The search findHits replaces: every pattern tried at every token, bounded by hi. */
function plainHits(tokens: Token[], lex: EventLexicon, lo: number, hi: number): Hit[] {
  const hits: Hit[] = [];
  for (let i = lo; i < hi; i++) {
    const t = tokens[i]!;
    const byLemma = lex.byFirst.get(t.lemma);
    const byNorm = t.norm !== t.lemma ? lex.byFirst.get(t.norm) : undefined;
    if (!byLemma && !byNorm) continue;
    if (lex.notTriggers.length && phraseAt(tokens, i, lex.notTriggers, hi)) continue;
    for (const list of [byLemma, byNorm]) if (list) for (const p of list) {
      const e = matchAt(tokens, i, p.words, hi);
      if (e > 0) hits.push({ start: i, end: e, type: p.type });
    }
  }
  return hits;
}

const SENTENCES = [
  'The White House press secretary said Russia was ready to sign a ceasefire agreement.',
  'Ukraine accused Moscow of attacking the power plant and demanded talks with Washington.',
  'Protesters marched on the embassy; police arrested dozens and imposed a curfew.',
  'The minister threatened to impose sanctions unless the troops withdrew from the border.',
  'Officials held talks in Abu Dhabi and agreed to meet again next week.',
];

describe('findHits windows', () => {
  it('equal the plain bounded search for every window of a sentence', () => {
    for (const s of SENTENCES) {
      const tokens = tokenize(s);
      for (let lo = 0; lo <= tokens.length; lo++)
        for (let hi = lo; hi <= tokens.length; hi++) expect(findHits(tokens, lex, lo, hi), `${s} [${lo}, ${hi})`).toEqual(plainHits(tokens, lex, lo, hi));
    }
  });
});

describe('pairScores', () => {
  it('equals scoreFeatures of the pair features for every pair of ranges, with and without implicit actors', () => {
    for (const s of SENTENCES) {
      const tokens = tokenize(s);
      const n = tokens.length;
      const ranges = [{ start: 0, end: 0 }, { start: n, end: n }];
      for (let i = 0; i < n; i++) for (let j = i + 1; j <= Math.min(n, i + 3); j++) ranges.push({ start: i, end: j });
      for (const src of ranges) for (const tgt of ranges) {
        if (src === tgt) continue;
        const names = pairFeatures(tokens, src, tgt, lex).features;
        for (const [implicitTarget, implicitSource] of [[false, false], [true, false], [false, true], [true, true]] as const) {
          const expected = scoreFeatures([...names, ...(implicitTarget ? ['implicit:target'] : []), ...(implicitSource ? ['implicit:source'] : [])], lex);
          const got = pairScores(tokens, src, tgt, lex, implicitTarget, implicitSource);
          if (JSON.stringify(got) !== JSON.stringify(expected)) expect(got, `${s} ${JSON.stringify([src, tgt])}`).toEqual(expected);
        }
      }
    }
  });
});
