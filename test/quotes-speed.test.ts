// The quote stage's inference shortcuts give the same output as the plain model: the joint weight
// table (both tagger passes in one interleaved table), the BIO-specialised Viterbi, the per-worker
// word cache of the features, and the optional paragraph gate (off by default).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { segment } from '../src/analyze/segment.js';
import { dataDir } from '../src/analyze/lexicons.js';
import { adoptSharedQuoteTable, buildSharedQuoteTable, loadQuoteLexicon } from '../src/analyze/quotes/lexicon.js';
import { spawnSync } from 'node:child_process';
import { BIN } from './helpers.js';
import { analyze } from '../src/analyze/index.js';
import { findQuotes } from '../src/analyze/quotes/index.js';
import { featurize, paragraphSeqs, hashString, mix, N_TEMPLATES, type FeatureLexicon } from '../src/analyze/quotes/features.js';
import { L, emissions, viterbi, viterbiFast, jointTagger, jointEmissions, stackEmissions, type TaggerModel } from '../src/analyze/quotes/tagger.js';
import { loadSplit, polnearAvailable } from '../eval/quotes-polnear.js';

const lex = loadQuoteLexicon(dataDir());

/** Deterministic pseudo-random numbers (LCG), so the test is the same on every run. */
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

const TEXTS = [
  'Officials met on Monday.\n\n"We will reopen the border crossing next week," Interior Minister Hana Novak said.',
  'The senator said that the bill would pass, according to two aides. “It is done,” she added, calling it “a relief.”',
  'PENCE: Well, I think that is right.\n\nKAINE: It is not.',
  'Markets rose on Tuesday. Oil prices fell for a third day.',
];

describe('quote stage inference shortcuts', () => {
  it('viterbiFast decodes exactly as viterbi, ties included', () => {
    const r = rng(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(r() * 30);
      // small integer scores make ties common, where the first best label must win in both
      const m: TaggerModel = {
        bits: 1,
        weights: new Float32Array(0),
        trans: Float32Array.from({ length: L * L }, () => Math.floor(r() * 5) - 2),
        start: Float32Array.from({ length: L }, () => Math.floor(r() * 5) - 2),
      };
      const em = Float32Array.from({ length: n * L }, () => (trial % 2 ? Math.floor(r() * 4) : r() * 10 - 5));
      const j = jointTagger({ ...m, weights: new Int16Array(2 * L) }, { ...m, weights: new Int16Array(2 * L) })!;
      const fast = new Uint8Array(n);
      viterbiFast(j.first, em, n, fast);
      expect([...fast]).toEqual([...viterbi(m, em, n)]);
    }
  });

  it('the packed joint table scores exactly as each layer alone, extreme weights included', () => {
    // Both layers' int16 weights share one float64 per label; sums over ~70 features of weights at
    // the int16 limits must still come apart exactly.
    const r = rng(11);
    const bits = 4;
    const size = (1 << bits) * L;
    const pick = (): number => [32767, -32767, -32768, 0, 1, -1][Math.floor(r() * 6)]!;
    for (let trial = 0; trial < 20; trial++) {
      const layer = (): TaggerModel => ({
        bits,
        weights: Int16Array.from({ length: size }, () => (trial < 10 ? pick() : Math.floor(r() * 65536) - 32768)),
        scale: 1 + r() * 200,
        trans: new Float32Array(L * L),
        start: new Float32Array(L),
      });
      const first = layer();
      const stack = layer();
      const J = jointTagger(first, stack)!;
      const n = 5;
      const base = 53;
      const extra = 16;
      const F = Uint32Array.from({ length: n * base }, () => Math.floor(r() * 2 ** 32));
      const S = Uint32Array.from({ length: n * extra }, () => Math.floor(r() * 2 ** 32));
      const em1 = new Float32Array(n * L);
      const acc = new Float64Array(n * L);
      const em2 = new Float32Array(n * L);
      jointEmissions(J, F, n, base, em1, acc);
      stackEmissions(J, S, n, extra, acc, em2);
      const toks = Array.from({ length: n }, (_, i) => i);
      expect([...em1]).toEqual([...emissions(first, { toks, feats: F, stride: base } as never)]);
      const both = new Uint32Array(n * (base + extra));
      for (let i = 0; i < n; i++) {
        both.set(F.subarray(i * base, (i + 1) * base), i * (base + extra));
        both.set(S.subarray(i * extra, (i + 1) * extra), i * (base + extra) + base);
      }
      expect([...em2]).toEqual([...emissions(stack, { toks, feats: both, stride: base + extra } as never)]);
    }
  });

  it('the joint table gives the same quotes as the two layers scored apart', () => {
    expect(lex.joint).not.toBeNull();
    const apart = { ...lex, joint: null };
    const texts = [...TEXTS];
    if (polnearAvailable()) texts.push(...loadSplit('dev', 5).map((a) => a.text));
    for (const text of texts) {
      const doc = segment(text);
      expect(findQuotes(doc, [], lex)).toEqual(findQuotes(doc, [], apart));
    }
  });

  it('features do not depend on what the word cache held before, nor on another lexicon used in between', () => {
    const feats = (text: string, l: FeatureLexicon): number[][] => {
      const doc = segment(text);
      return paragraphSeqs(doc).map((b) => {
        const F = featurize(doc, l, b).feats;
        // each token's own word, lemma and POS templates (1, 6, 7) hash its own strings
        b.toks.forEach((t, i) => {
          const tok = doc.tokens[t]!;
          const own = [F[i * N_TEMPLATES + 1], F[i * N_TEMPLATES + 6], F[i * N_TEMPLATES + 7]];
          expect(own).toEqual([mix(hashString(tok.norm), 1) >>> 0, mix(hashString(tok.lemma), 6) >>> 0, mix(hashString(tok.pos), 7) >>> 0]);
        });
        return [...F];
      });
    };
    const text = TEXTS.join('\n\n') + '\n\nShe runs the office. The runs were long. He said so. HE SAID SO.';
    const before = feats(text, lex);
    // Thousands of other words (more than the cache has slots), some sharing a normal form with the
    // text's words under another lemma or POS, then a lexicon with other cue rates.
    const filler = Array.from({ length: 6000 }, (_, i) => `w${i.toString(36)}q`).join(' ');
    feats(`${filler}. The said runs ran.`, lex);
    const plain: FeatureLexicon = { cueRate: new Map(), cueWords: new Set() };
    const withPlain = feats(text, plain);
    expect(withPlain).not.toEqual(before); // cue rates are features
    expect(feats(text, lex)).toEqual(before);
    expect(feats(text, { cueRate: new Map(), cueWords: new Set() })).toEqual(withPlain);
  });

  it('workers share one packed table built by the parent, equal to the one each would pack', () => {
    const own = loadQuoteLexicon(dataDir());
    const shared = buildSharedQuoteTable(dataDir());
    expect(shared).not.toBeNull();
    expect(shared!.buffer).toBeInstanceOf(SharedArrayBuffer);
    const table = new Float64Array(shared!.buffer, 0, own.joint!.weights.length);
    expect(Buffer.from(table.buffer, 0, table.byteLength).equals(Buffer.from(own.joint!.weights.buffer, own.joint!.weights.byteOffset, own.joint!.weights.byteLength))).toBe(true);
    try {
      adoptSharedQuoteTable(shared);
      expect(loadQuoteLexicon(dataDir()).joint!.weights.buffer).toBe(shared!.buffer);
      // a lexicon from another model file packs its own
      const other = path.join(dataDir(), 'quotes', '..', 'quotes', 'model.json');
      expect(loadQuoteLexicon(dataDir(), other).joint!.weights.buffer).toBe(shared!.buffer); // same file, other spelling
      adoptSharedQuoteTable({ modelPath: '/elsewhere/model.json', buffer: shared!.buffer });
      expect(loadQuoteLexicon(dataDir()).joint!.weights.buffer).not.toBe(shared!.buffer);
    } finally {
      adoptSharedQuoteTable(null);
    }
    // and through the real command's worker threads (which adopt it): the same answer as here
    const text = 'The minister said on Monday that talks would resume. "We are ready," she told reporters.';
    const line = JSON.stringify({ id: 'q', text }) + '\n';
    const r = spawnSync(process.execPath, [BIN, 'analyze', '--jsonl'], { input: line + line, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    const mine = analyze(text) as unknown as { id: unknown };
    mine.id = 'q';
    const want = JSON.stringify(mine) + '\n';
    expect(r.stdout).toBe(want + want);
  }, 60_000);
  it('the paragraph gate is off by default and, when on, keeps quotes of cued paragraphs', () => {
    expect(lex.tagOnlyCuedParagraphs).toBe(false);
    const gated = { ...lex, tagOnlyCuedParagraphs: true };
    for (const text of TEXTS.slice(0, 3)) {
      const doc = segment(text);
      expect(findQuotes(doc, [], gated)).toEqual(findQuotes(doc, [], lex));
    }
  });
});
