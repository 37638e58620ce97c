// The name tagger's per-word cache (ner.ts): slots kept by word, in callers' holders and in a map of
// recent words, are only a speed-up. After the cache fills and starts afresh, every label must be
// what the reference tagger gives.
import { describe, expect, it } from 'vitest';
import { loadActorLexicon } from '../src/analyze/actors/lexicon.js';
import { tag, tagIndexes, tagSlow, type NerHolder } from '../src/analyze/actors/ner.js';
import { dataDir } from '../src/analyze/lexicons.js';

const model = loadActorLexicon(dataDir()).ner!;

const SENTENCES = [
  'President Vladimir Putin met Chancellor Angela Merkel in Berlin on Monday , the Kremlin said .',
  'The United Nations Security Council voted on the resolution drafted by France and Britain .',
  'Senator John McCain of Arizona told Reuters that the Pentagon had not been consulted .',
];

function words(s: string): string[] {
  return s.split(' ');
}

/**
 * Tag enough made-up capitalised words that the word cache must start afresh at least once. Each
 * has a holder, so the map of recent words without one keeps what it held: stale slots there would
 * show as wrong labels afterwards.
 */
function floodCache(): void {
  const batch: string[] = [];
  const out = new Uint8Array(200);
  for (let i = 0; i < 60_000; i++) {
    batch.push(`Zq${i.toString(36)}`);
    if (batch.length === 200) {
      tagIndexes(model, batch, batch.map((w) => w.toLowerCase()), out, batch.map((): NerHolder => ({ nerSlot: -1, nerEpoch: -1 })));
      batch.length = 0;
    }
  }
}

describe('name tagger word cache', () => {
  it('gives the reference labels before and after the cache starts afresh, with and without holders', () => {
    const holders = SENTENCES.map((s) => words(s).map((): NerHolder => ({ nerSlot: -1, nerEpoch: -1 })));
    const withHolders = (k: number): string[] => {
      const w = words(SENTENCES[k]!);
      const out = new Uint8Array(w.length);
      tagIndexes(model, w, w.map((x) => x.toLowerCase()), out, holders[k]);
      return Array.from(out, (i) => model.labels[i]!);
    };
    const expected = SENTENCES.map((s) => tagSlow(model, words(s)));
    expect(expected.flat().some((l) => l !== 'O')).toBe(true);
    for (let round = 0; round < 2; round++) {
      for (let k = 0; k < SENTENCES.length; k++) {
        expect(tag(model, words(SENTENCES[k]!))).toEqual(expected[k]);
        expect(withHolders(k)).toEqual(expected[k]);
      }
      floodCache();
    }
    for (let k = 0; k < SENTENCES.length; k++) {
      expect(withHolders(k)).toEqual(expected[k]);
      expect(tag(model, words(SENTENCES[k]!))).toEqual(expected[k]);
    }
  });
});
