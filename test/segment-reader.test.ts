// segment() reads through its own reader over wink-nlp's modules (segment.ts). These tests pin it
// to wink's public readDoc: same tokens, POS, normals, lemmas and sentences as a fresh wink-nlp
// instance with the same pipe, whatever was read before. A wink upgrade that changes the modules
// the reader drives fails here.
import { existsSync, readFileSync } from 'node:fs';
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { describe, expect, it } from 'vitest';
import { resetSegmenter, segment, SEGMENT_PIPE } from '../src/analyze/segment.js';
import { SEED_FILE } from './helpers.js';

/** Tokens and sentence spans from a brand-new public wink instance (nothing learned before). */
function freshWink(text: string): { tokens: Array<[string, number, string, string, string]>; sentences: number[][] } {
  const w = winkNLP(model, SEGMENT_PIPE);
  const doc = w.readDoc(text);
  const its = w.its;
  const values = doc.tokens().out() as string[];
  const spaces = doc.tokens().out(its.precedingSpaces) as string[];
  const pos = doc.tokens().out(its.pos) as string[];
  const norms = doc.tokens().out(its.normal) as string[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const lemmas = doc.tokens().out(its.lemma as any) as string[];
  return {
    tokens: values.map((v, i) => [v, spaces[i]!.length, pos[i]!, norms[i]!, lemmas[i]!]),
    sentences: doc.sentences().out(its.span) as unknown as number[][],
  };
}

function viaSegment(text: string): Array<[string, string, string, string]> {
  return segment(text).tokens.map((t) => [text.slice(t.start, t.end), t.pos, t.norm, t.lemma]);
}

const texts = [
  'Senator Marco Rubio’s uneven debate performance has emboldened a trio of governors.',
  'He met Rubio’s aides. Rubio’s campaign said so. “Rubio’s plan,” she wrote. RUBIO’S PLAN.',
  "Rubio’s, Cruz’s and Kasich’s camps disagreed; ’s and Rubio’s again, 140,000 votes. Can't won't 1990s e-mail U.S.-led re-elected.",
  'Prices rose\u00a0 3.5% in Q3 — the Fed’s #1 worry — per @jpowell (see https://example.com/a?b=c).',
];

describe('segment reader', () => {
  it('gives the tokens and POS of a fresh wink-nlp readDoc, after any history', () => {
    resetSegmenter();
    const seed = existsSync(SEED_FILE) ? [readFileSync(SEED_FILE, 'utf8')] : [];
    const all = [...texts, ...seed];
    // Read everything twice, in two orders: the second reading sees what the first taught.
    for (const order of [all, [...all].reverse()]) {
      for (const text of order) {
        const ref = freshWink(text);
        expect(viaSegment(text)).toEqual(ref.tokens.map(([v, , p, n, l]) => [v, p, n, l]));
      }
    }
  });

  it('keeps wink’s sentence boundaries', () => {
    const text = texts[1]!;
    const ref = freshWink(text).sentences;
    const doc = segment(text);
    // A one-paragraph text: every sentence segment() reports starts where a wink sentence starts.
    const starts = new Set(ref.map((s) => s[0]));
    expect(doc.structure.sentences.every((s) => starts.has(s.tokenStart))).toBe(true);
  });
});
