// findHits reads a per-sentence table of pattern and not-trigger matches; a window [lo, hi) must
// give exactly what matching each pattern inside the window gives (the straightforward search).
import { describe, expect, it } from 'vitest';
import { dataDir } from '../src/analyze/lexicons.js';
import { loadEventLexicon, type EventLexicon } from '../src/analyze/events/lexicon.js';
import { findHits, matchAt, phraseAt, tokenize, type Hit } from '../src/analyze/events/coder.js';
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
