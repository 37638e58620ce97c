// segment-wink.ts runs wink-nlp's sentence and POS automata over typed arrays. These tests hold its
// recognize() to wink's own (wink-nlp/src/automaton.js) on the model's three automata: random token
// sequences over each automaton's alphabet (with skipped tokens, unknown tokens and the numeric
// strings the POS updater leaves behind), so every roll back and "otherwise" path is exercised.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { columnOf, compileMachine, FormIndex, recognize, SKIP_COLUMN } from '../src/analyze/segment-wink.js';

const requireCjs = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const winkFsm = requireCjs('wink-nlp/src/automaton.js') as (cache: Any, ignore?: string) => Any;
const sbd = (requireCjs('wink-eng-lite-web-model/dist/load-sbd-model.js') as () => { machines: string[] })();
const pos = (requireCjs('wink-eng-lite-web-model/dist/load-pos-model.js') as () => { machines: string[] })();

/** The token wink's automaton skips (its cache's id of the ignored form): 0 here. */
const SKIP = 0;

/** A deterministic pseudo-random generator (no Math.random: same sequences every run). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x80000000;
  };
}

describe('segment-wink recognize', () => {
  const machines: Array<[string, string]> = [['sbd', sbd.machines[0]!], ...pos.machines.map((m, i): [string, string] => [`pos${i}`, m])];
  for (const [name, json] of machines) {
    it(`finds wink's patterns with the ${name} automaton`, () => {
      const wink = winkFsm({ lookup: () => [SKIP] });
      wink.importJSON(json);
      const m = compileMachine(json, 1080000);
      // The automaton's own tokens, as numbers and (some) as numeric strings, plus tokens it does not know.
      const known = [...m.columns.keys()];
      const alphabet: Array<number | string> = [...known, ...known.slice(0, 8).map(String), 5, 123456, '007', SKIP, SKIP];
      const rnd = lcg(7);
      let found = 0;
      for (let trial = 0; trial < 4000; trial++) {
        const n = 1 + Math.floor(rnd() * 14);
        const tokens = Array.from({ length: n }, () => alphabet[Math.floor(rnd() * alphabet.length)]!);
        const cols = new Int32Array(n);
        for (let j = 0; j < n; j++) cols[j] = tokens[j] === SKIP ? SKIP_COLUMN : columnOf(m, tokens[j]!);
        const want = wink.recognize(tokens);
        found += want.length;
        expect(recognize(m, cols, n)).toEqual(want);
      }
      expect(found).toBeGreaterThan(100);
    });
  }
});

describe('FormIndex', () => {
  it('answers as the form → id object it mirrors, through adds, removals and growth', () => {
    const rnd = lcg(11);
    const word = (): string => {
      const n = 1 + Math.floor(rnd() * 6);
      let w = '';
      for (let i = 0; i < n; i++) w += 'aAbé’.-1__proto__'[Math.floor(rnd() * 17)]!;
      return w;
    };
    // A loaded list with a repeated form (the last one wins, as in wink's loader).
    const list = ['$%^oov^%$', 'the', 'The', 'of', 'the', '123', 'constructor'];
    const hash = Object.create(null) as Record<string, number>;
    list.forEach((w, k) => (hash[w] = k));
    const index = new FormIndex(list, list.length);
    const check = (w: string): void => expect(index.get(w)).toBe(hash[w] ?? -1);
    for (const w of [...list, 'a', '', 'toString', 'hasOwnProperty']) check(w);
    for (let step = 0; step < 20000; step++) {
      const w = word();
      const r = rnd();
      if (r < 0.5 && hash[w] === undefined) {
        // Learn a form, as wink's cache does: appended to the list.
        hash[w] = list.length;
        list.push(w);
        index.set(w, hash[w]);
      } else if (r < 0.7 && hash[w] !== undefined && hash[w] >= 7) {
        delete hash[w];
        index.delete(w);
      }
      check(w);
      check(word());
    }
    for (const w of list) check(w);
    expect(list.length).toBeGreaterThan(2000);
  });
});
