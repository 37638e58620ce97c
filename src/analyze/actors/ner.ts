// A greedy averaged-perceptron name tagger (BIO over per/org/geo/gpe), trained on GMB by
// scripts/train-actor-ner.ts. Written here rather than taken from a library: wink-nlp's lite model
// has no entity types for names, and no npm tagger ships English NER weights without a model hub.

import { boundedMemo } from '../memo.js';

/** The entity types the tagger knows, in GMB's naming. */
export type NerType = 'per' | 'org' | 'geo' | 'gpe';
export const NER_TYPES: readonly NerType[] = ['per', 'org', 'geo', 'gpe'];
/** Output classes: index 0 is O, then B-/I- per type. */
export const NER_LABELS: readonly string[] = ['O', ...NER_TYPES.flatMap((t) => [`B-${t}`, `I-${t}`])];

/** Word classes from the actor lexicon, used as tagger features (the same sets in training and use). */
export interface Gazetteer {
  given: Set<string>;
  /** Lower-case title heads' first words and honorifics. */
  title: Set<string>;
  /** First words of lexicon names (countries, demonyms, capitals, organisations, places). */
  lex: Set<string>;
}

/** The gazetteer class of a word: 'given', 'title', 'lex' or ''. */
export function gazClass(gaz: Gazetteer | undefined, w: string, lw: string): string {
  if (!gaz) return '';
  if (gaz.given.has(w)) return 'given';
  if (gaz.title.has(lw)) return 'title';
  return gaz.lex.has(w) ? 'lex' : '';
}

/** Sparse weights: feature → [classIndex, weight, classIndex, weight, …]. */
export interface NerModel {
  /** Word classes for the g=/pg= features; set by the lexicon loader (and the training script). */
  gaz?: Gazetteer;
  labels: string[];
  weights: Map<string, number[]>;
  /** The weights as stored (a loaded model): read directly by `indexed`, so `weights` is built only if asked for. */
  raw?: Record<string, number[]>;
  /** Capitalised words that (after an O) never open a name in training ("The", "But", "He"): O without scoring. */
  skip: Set<string>;
  /** The same weights by feature template and value, for fast inference (see `indexed`). */
  fast?: FastWeights;
}

/**
 * The weights laid out for fast inference: every weight vector of the templates that depend on the
 * neighbours or the previous label is `nl` Float32 values packed into one array, and the maps give
 * offsets into it (−1 for none), keyed by template, then by the token strings themselves: lookups
 * reuse each string's cached hash instead of hashing a fresh concatenation, and one packed array
 * (not 58,000 small typed arrays) keeps the garbage collector and the memory caches out of the way.
 * The word-only templates keep their stored (double) weights, summed in `features()` order.
 */
interface FastWeights {
  nl: number;
  vec: Float32Array;
  p1: Map<string, number>;
  n1: Map<string, number>;
  p1s: Map<string, number>;
  n1s: Map<string, number>;
  i0: Map<string, number>;
  pg: Map<string, number>;
  /** Per previous-label index. */
  t: Int32Array;
  /**
   * ts=<prev>|<shape> and tp=<prev>|<word> offsets by value, all previous labels side by side: value
   * → start of its nl offsets in `tsRows`/`tpRows` (−1 where a label has none). A new word's entry
   * then takes two lookups, not one per label.
   */
  tsRow: Map<string, number>;
  tsRows: Int32Array;
  tpRow: Map<string, number>;
  tpRows: Int32Array;
  /**
   * The word pairs (wn=<word>|<next>, pw=<prev>|<word>): the first word's id (`wnFirst`/`pwFirst`)
   * and the second word's id (`pairIds`, shared) make one integer key, looked up in an
   * open-addressing table (`PairTable`): one probe in a flat array where a Map per word cost
   * several dependent memory reads per token.
   */
  wnFirst: Map<string, number>;
  pwFirst: Map<string, number>;
  /** Ids of the words that stand second in a wn=/pw= pair: other words skip those lookups. */
  pairIds: Map<string, number>;
  wn: PairTable;
  pw: PairTable;
  /** Word-only templates (b, w, s, x3, x2, f3, g): value → sparse weights as stored. */
  bias: number[] | undefined;
  word: Record<'w' | 's' | 'x3' | 'x2' | 'f3' | 'g', Map<string, number[]>>;
  /** Offset of nl zeros at the end of `vec`: what a missing vector adds. */
  zero: number;
}

/**
 * Pair key → vector offset, open addressing with linear probing: `cells` holds [key + 1, offset]
 * per cell (0: empty), the key being first id × `stride` + second id.
 */
interface PairTable {
  cells: Int32Array;
  /** Cells − 1 (a power of two, at least twice the pairs, so probes stay short). */
  mask: number;
  stride: number;
}

/** Spread a pair key over the table (Fibonacci hashing). */
function pairHash(key: number, mask: number): number {
  return (Math.imul(key, 0x9e3779b1) >>> 12) & mask;
}

/** The offset of pair (a, b) in a table, or −1. */
function pairAt(t: PairTable, a: number, b: number): number {
  const key = a * t.stride + b + 1;
  const cells = t.cells;
  for (let h = pairHash(key, t.mask); ; h = (h + 1) & t.mask) {
    const k = cells[2 * h]!;
    if (k === key) return cells[2 * h + 1]!;
    if (k === 0) return -1;
  }
}

/** Build a pair table from parallel lists of first ids, second ids and offsets. */
function pairTable(a: readonly number[], b: readonly number[], v: readonly number[], stride: number): PairTable {
  let size = 16;
  while (size < a.length * 2) size *= 2;
  const t: PairTable = { cells: new Int32Array(size * 2), mask: size - 1, stride };
  for (let i = 0; i < a.length; i++) {
    const key = a[i]! * stride + b[i]! + 1;
    let h = pairHash(key, t.mask);
    while (t.cells[2 * h] !== 0 && t.cells[2 * h] !== key) h = (h + 1) & t.mask;
    t.cells[2 * h] = key;
    t.cells[2 * h + 1] = v[i]!;
  }
  return t;
}

/** Start of the row of `val` (nl offsets, −1 until set), added when new. */
function rowAt(rowOf: Map<string, number>, rows: number[], val: string, nl: number): number {
  let at = rowOf.get(val);
  if (at === undefined) {
    at = rows.length;
    rowOf.set(val, at);
    for (let k = 0; k < nl; k++) rows.push(-1);
  }
  return at;
}

/** Pairs of one template as they are filed: first ids, second ids, offsets. */
class PairList {
  a: number[] = [];
  b: number[] = [];
  v: number[] = [];
}

/** Files stored weights into a FastWeights, feature by feature. */
class Indexer {
  /** Vectors of `f.vec` used so far, times nl. */
  private used = 0;
  /** The rows of `FastWeights.tsRows`/`tpRows` as they are filled. */
  tsRows: number[] = [];
  tpRows: number[] = [];
  wn = new PairList();
  pw = new PairList();
  constructor(private f: FastWeights, private labelIdx: Map<string, number>) {}

  add(key: string, ws: number[]): void {
    const f = this.f;
    const eq = key.indexOf('=');
    if (eq < 0) return;
    const tpl = key.slice(0, eq);
    if (tpl === 'w' || tpl === 's' || tpl === 'x3' || tpl === 'x2' || tpl === 'f3' || tpl === 'g') { f.word[tpl].set(key.slice(eq + 1), ws); return; }
    // Dense copy (Float32, as the tagger has always summed these).
    const v = this.used;
    this.used += f.nl;
    for (let k = 0; k < ws.length; k += 2) f.vec[v + ws[k]!] = ws[k + 1]!;
    // Positions in the key itself, so that pairs are cut from it directly (58,000 keys: each string
    // not made shortens the start-up).
    const barK = key.indexOf('|', eq + 1);
    const bar = barK < 0 ? -1 : barK - eq - 1;
    switch (tpl) {
      case 'p1': case 'n1': case 'p1s': case 'n1s': case 'i0': case 'pg': f[tpl].set(key.slice(eq + 1), v); break;
      case 't': { const i = this.labelIdx.get(key.slice(eq + 1)); if (i !== undefined) f.t[i] = v; break; }
      case 'ts': {
        const i = bar > 0 ? this.labelIdx.get(key.slice(eq + 1, barK)) : undefined;
        if (i !== undefined) this.tsRows[rowAt(f.tsRow, this.tsRows, key.slice(barK + 1), f.nl) + i] = v;
        break;
      }
      case 'tp': {
        const i = bar > 0 ? this.labelIdx.get(key.slice(eq + 1, barK)) : undefined;
        if (i !== undefined) this.tpRows[rowAt(f.tpRow, this.tpRows, key.slice(barK + 1), f.nl) + i] = v;
        break;
      }
      case 'wn':
        // A word holding "|" makes the split ambiguous; such rare features are left out.
        if (bar > 0 && key.indexOf('|', barK + 1) < 0) this.pair(this.wn, f.wnFirst, key.slice(eq + 1, barK), key.slice(barK + 1), v);
        break;
      case 'pw':
        if (bar > 0 && key.indexOf('|', barK + 1) < 0) this.pair(this.pw, f.pwFirst, key.slice(eq + 1, barK), key.slice(barK + 1), v);
        break;
    }
  }

  private pair(list: PairList, firstIds: Map<string, number>, a: string, b: string, v: number): void {
    const f = this.f;
    let ia = firstIds.get(a);
    if (ia === undefined) firstIds.set(a, (ia = firstIds.size));
    let ib = f.pairIds.get(b);
    if (ib === undefined) f.pairIds.set(b, (ib = f.pairIds.size));
    list.a.push(ia);
    list.b.push(ib);
    list.v.push(v);
  }

  /** The pair tables, once every feature is filed (the stride is the number of second words). */
  finish(): void {
    const stride = Math.max(1, this.f.pairIds.size);
    this.f.wn = pairTable(this.wn.a, this.wn.b, this.wn.v, stride);
    this.f.pw = pairTable(this.pw.a, this.pw.b, this.pw.v, stride);
  }
}

const NO_PAIRS: PairTable = { cells: new Int32Array(2), mask: 0, stride: 1 };

/** Build the template-keyed view of a model's weights. */
export function indexed(model: NerModel): FastWeights {
  if (model.fast) return model.fast;
  const nl = model.labels.length;
  // A loaded model is read from its stored object, its keys listed once (quicker than two for-in
  // walks over an object of 58,000 keys): the Map of the weights is never built.
  const raw = model.raw;
  const keys = raw ? Object.keys(raw) : [...model.weights.keys()];
  let count = 0;
  for (let i = 0; i < keys.length; i++) if (keys[i]!.indexOf('=') > 0) count++;
  const f: FastWeights = {
    // One vector per feature at most, then the zero block.
    nl, vec: new Float32Array((count + 1) * nl), zero: count * nl,
    p1: new Map(), n1: new Map(), p1s: new Map(), n1s: new Map(), i0: new Map(), pg: new Map(),
    t: new Int32Array(nl).fill(-1),
    tsRow: new Map(), tsRows: new Int32Array(0), tpRow: new Map(), tpRows: new Int32Array(0),
    wnFirst: new Map(), pwFirst: new Map(), pairIds: new Map(), wn: NO_PAIRS, pw: NO_PAIRS,
    bias: raw ? raw['b'] : model.weights.get('b'),
    word: { w: new Map(), s: new Map(), x3: new Map(), x2: new Map(), f3: new Map(), g: new Map() },
  };
  const ix = new Indexer(f, new Map(model.labels.map((l, i) => [l, i])));
  if (raw) { for (let i = 0; i < keys.length; i++) ix.add(keys[i]!, raw[keys[i]!]!); }
  else for (const [key, ws] of model.weights) ix.add(key, ws);
  ix.finish();
  f.tsRows = Int32Array.from(ix.tsRows);
  f.tpRows = Int32Array.from(ix.tpRows);
  model.fast = f;
  return f;
}


/** A token as the tagger sees it: its text only (so GMB tokens and wink tokens both fit). */
export const wordShape = boundedMemo(computeShape);

function computeShape(w: string): string {
  let out = '';
  let last = '';
  for (const ch of w) {
    let c: string;
    if (ch >= 'A' && ch <= 'Z') c = 'X';
    else if (ch >= 'a' && ch <= 'z') c = 'x';
    else if (ch >= '0' && ch <= '9') c = 'd';
    else if (/\p{Lu}/u.test(ch)) c = 'X';
    else if (/\p{Ll}/u.test(ch)) c = 'x';
    else c = ch;
    if (c !== last) out += c;
    last = c;
  }
  return out.length > 6 ? out.slice(0, 6) : out;
}

/** True when the word has an upper-case letter: words without one, after an O, are O without scoring. */
export function hasUpper(w: string): boolean {
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c >= 65 && c <= 90) return true;
    if (c > 127) return /\p{Lu}/u.test(w);
  }
  return false;
}

/** Features of token i given the previous predicted label. Shared by training and inference. */
export function features(words: readonly string[], lower: readonly string[], i: number, prev: string, out: string[], gaz?: Gazetteer): void {
  out.length = 0;
  const w = words[i]!;
  const lw = lower[i]!;
  const sh = wordShape(w);
  const p1 = i > 0 ? lower[i - 1]! : '<s>';
  const n1 = i + 1 < words.length ? lower[i + 1]! : '</s>';
  const n1s = i + 1 < words.length ? wordShape(words[i + 1]!) : '</s>';
  const p1s = i > 0 ? wordShape(words[i - 1]!) : '<s>';
  out.push(
    'b',
    'w=' + lw,
    's=' + sh,
    'x3=' + lw.slice(-3),
    'x2=' + lw.slice(-2),
    'f3=' + lw.slice(0, 3),
    'g=' + gazClass(gaz, w, lw),
    'p1=' + p1,
    'n1=' + n1,
    'p1s=' + p1s,
    'n1s=' + n1s,
    't=' + prev,
    'ts=' + prev + '|' + sh,
    'tp=' + prev + '|' + p1,
    'wn=' + lw + '|' + n1,
    'pw=' + p1 + '|' + lw,
    'i0=' + (i === 0 ? sh : '-'),
    'pg=' + (i > 0 ? gazClass(gaz, words[i - 1]!, p1) : '<s>'),
  );
}

/** Score all classes for the given features. */
export function score(model: NerModel, feats: readonly string[], scores: Float64Array): void {
  scores.fill(0);
  for (const f of feats) {
    const ws = model.weights.get(f);
    if (!ws) continue;
    for (let k = 0; k < ws.length; k += 2) scores[ws[k]!]! += ws[k + 1]!;
  }
}

/** An I- label may only follow B-/I- of the same type; otherwise it opens a span. */
export function legal(prev: string, label: string): string {
  if (label.startsWith('I-') && prev.slice(2) !== label.slice(2)) return 'B-' + label.slice(2);
  return label;
}

/** Per-word entries kept at most this many words, then the cache starts afresh. */
const WORD_CACHE_MAX = 50_000;

/**
 * Where a word's data sits in its slot of the word cache. A slot is one block of memory read
 * through a Float64 and an Int32 view, in three parts by the role the word plays when a token is
 * scored, each part's numbers side by side so that it costs one or two cache lines:
 * - as the token itself: its word-only scores (nl doubles: b, w, s, x3, x2, f3, g summed), the nl
 *   offsets of ts=<prev>|<shape> by previous label, its wn= first id, pair (second-word) id and
 *   i0= offset as the first word (the zero block for none);
 * - as the previous word: what it adds (p1= + p1s= + pg=, nl doubles), the nl offsets of
 *   tp=<prev>|<word> by previous label, its pw= first id;
 * - as the next word: what it adds (n1= + n1s=, nl doubles), its pair id.
 * Ids are −1 for none. Offsets in doubles end in D, in integers in I.
 */
class SlotLayout {
  readonly ownD = 0;
  readonly tsI: number;
  readonly wnI: number;
  readonly pairI: number;
  readonly i0I: number;
  readonly prevD: number;
  readonly tpI: number;
  readonly pwI: number;
  readonly nextD: number;
  readonly nextPairI: number;
  /** Integers (and doubles) per slot. */
  readonly slotI: number;
  readonly slotD: number;
  constructor(nl: number) {
    // Each part starts on a double (an even integer).
    const even = (x: number): number => x + (x & 1);
    this.tsI = 2 * nl;
    this.wnI = 3 * nl;
    this.pairI = 3 * nl + 1;
    this.i0I = 3 * nl + 2;
    const prevI = even(3 * nl + 3);
    this.prevD = prevI / 2;
    this.tpI = prevI + 2 * nl;
    this.pwI = prevI + 3 * nl;
    const nextI = even(prevI + 3 * nl + 1);
    this.nextD = nextI / 2;
    this.nextPairI = nextI + 2 * nl;
    this.slotI = even(nextI + 2 * nl + 1);
    this.slotD = this.slotI / 2;
  }
}

/**
 * The word cache of one model. What the tagger needs of one word is worked out once per word and
 * kept by slot (see SlotLayout), no object per word. The word's sums are made once, so scoring a
 * token reads three neighbouring blocks instead of a dozen scattered vectors. (The grouping of the
 * sums differs from `tagSlow`'s only in the last bits of a double; the name tagger test checks that
 * both still agree on every label.)
 */
interface WordCache {
  /** Slot by word as written. */
  map: Map<string, number>;
  layout: SlotLayout;
  /** The slots' memory as doubles and as integers. */
  d: Float64Array;
  i: Int32Array;
  /** The previous/next-word sums for the sentence's start ('<s>') and end ('</s>'). */
  startPrev: Float64Array;
  endNext: Float64Array;
  /** ts/tp offsets for the sentence start ('<s>' as previous word). */
  startTp: Int32Array;
  /** Epoch of the cache's contents, unique over all caches: a holder's slot counts only within it. */
  epoch: number;
}
let epochs = 0;

/**
 * A place the caller keeps per word (see units.ts `WordFacts`) where the tagger leaves the word's
 * slot, so that the next sentence with the word skips the cache lookup.
 */
export interface NerHolder {
  nerSlot: number;
  /** The cache epoch the slot belongs to (epochs start at 1: give −1 for none yet). */
  nerEpoch: number;
}
const wordCaches = new WeakMap<NerModel, WordCache>();
/** Words the tagger's map of recent words without a holder keeps at most (see `TagRun.slotAt`). */
const RECENT_MAX = 2048;
/** Slots the packed arrays start with; they double as needed. */
const INITIAL_SLOTS = 4096;

function cacheOf(model: NerModel, f: FastWeights): WordCache {
  let c = wordCaches.get(model);
  if (!c) {
    const startTp = new Int32Array(f.nl);
    const sRow = f.tpRow.get('<s>');
    for (let k = 0; k < f.nl; k++) startTp[k] = sRow !== undefined ? f.tpRows[sRow + k]! : -1;
    const startPrev = new Float64Array(f.nl), endNext = new Float64Array(f.nl);
    addDense(startPrev, 0, f.vec, f.p1.get('<s>') ?? -1, f.nl);
    addDense(startPrev, 0, f.vec, f.p1s.get('<s>') ?? -1, f.nl);
    addDense(startPrev, 0, f.vec, f.pg.get('<s>') ?? -1, f.nl);
    addDense(endNext, 0, f.vec, f.n1.get('</s>') ?? -1, f.nl);
    addDense(endNext, 0, f.vec, f.n1s.get('</s>') ?? -1, f.nl);
    const layout = new SlotLayout(f.nl);
    const d = new Float64Array(INITIAL_SLOTS * layout.slotD);
    c = { map: new Map(), layout, d, i: new Int32Array(d.buffer), startPrev, endNext, startTp, epoch: ++epochs };
    wordCaches.set(model, c);
  }
  return c;
}

/** Add the dense vector at `v` of `vec` (none when v < 0) into s at `at`. */
function addDense(s: Float64Array, at: number, vec: Float32Array, v: number, nl: number): void {
  if (v >= 0) for (let k = 0; k < nl; k++) s[at + k]! += vec[v + k]!;
}

/** Add sparse stored weights into the scores at `at`. */
function addSparse(s: Float64Array, at: number, ws: number[] | undefined): void {
  if (ws) for (let j = 0; j < ws.length; j += 2) s[at + ws[j]!]! += ws[j + 1]!;
}

/** Make the cached entry of word w (lw its lower case); returns its slot. */
function wordEntry(model: NerModel, f: FastWeights, c: WordCache, w: string, lw: string): number {
  const nl = f.nl;
  const L = c.layout;
  const slot = c.map.size;
  if ((slot + 1) * L.slotD > c.d.length) {
    const d = new Float64Array(c.d.length * 2);
    d.set(c.d);
    c.d = d;
    c.i = new Int32Array(d.buffer);
  }
  // The word-only features of `features()` (b, w, s, x3, x2, f3, g), summed in that order.
  const shape = wordShape(w);
  const gz = gazClass(model.gaz, w, lw);
  const s = c.d;
  const at = slot * L.slotD;
  s.fill(0, at, at + L.slotD);
  addSparse(s, at + L.ownD, f.bias);
  addSparse(s, at + L.ownD, f.word.w.get(lw));
  addSparse(s, at + L.ownD, f.word.s.get(shape));
  addSparse(s, at + L.ownD, f.word.x3.get(lw.slice(-3)));
  addSparse(s, at + L.ownD, f.word.x2.get(lw.slice(-2)));
  addSparse(s, at + L.ownD, f.word.f3.get(lw.slice(0, 3)));
  addSparse(s, at + L.ownD, f.word.g.get(gz));
  addDense(s, at + L.prevD, f.vec, f.p1.get(lw) ?? -1, nl);
  addDense(s, at + L.prevD, f.vec, f.p1s.get(shape) ?? -1, nl);
  addDense(s, at + L.prevD, f.vec, f.pg.get(gz) ?? -1, nl);
  addDense(s, at + L.nextD, f.vec, f.n1.get(lw) ?? -1, nl);
  addDense(s, at + L.nextD, f.vec, f.n1s.get(shape) ?? -1, nl);
  const tsAt = f.tsRow.get(shape) ?? -1;
  const tpAt = f.tpRow.get(lw) ?? -1;
  const t = c.i;
  const ti = slot * L.slotI;
  for (let k = 0; k < nl; k++) {
    t[ti + L.tsI + k] = tsAt >= 0 ? f.tsRows[tsAt + k]! : -1;
    t[ti + L.tpI + k] = tpAt >= 0 ? f.tpRows[tpAt + k]! : -1;
  }
  const pair = f.pairIds.get(lw) ?? -1;
  t[ti + L.wnI] = f.wnFirst.get(lw) ?? -1;
  t[ti + L.pairI] = pair;
  t[ti + L.i0I] = orZero(f.i0.get(shape) ?? -1, f.zero);
  t[ti + L.pwI] = f.pwFirst.get(lw) ?? -1;
  t[ti + L.nextPairI] = pair;
  c.map.set(w, slot);
  return slot;
}

/**
 * One tagging run's state: the sentence, its words' slots as they are looked up, and the model's
 * tables. One per model, refilled per sentence, so the per-token work is small methods on one
 * object of one shape rather than closures made anew for every sentence.
 */
class TagRun {
  words: readonly string[] = [];
  lower: readonly string[] = [];
  holders: ReadonlyArray<NerHolder | undefined> | undefined = undefined;
  /** Slots of the sentence's words (−1 until looked up; reused between calls). */
  slots = new Int32Array(256);
  /** Slots of recently met words without a holder, within the current epoch. */
  recent = new Map<string, number>();
  epoch = 0;
  readonly nl: number;
  readonly layout: SlotLayout;
  /** The i0= offset of every word but the first (the zero block for none). */
  readonly notFirst: number;
  /** The pw= first id of the sentence start, and the pair id of its end (−1 for none). */
  readonly startPw: number;
  readonly endId: number;
  constructor(readonly model: NerModel, readonly f: FastWeights, readonly c: WordCache) {
    this.nl = f.nl;
    this.layout = c.layout;
    this.notFirst = orZero(f.i0.get('-') ?? -1, f.zero);
    this.startPw = f.pwFirst.get('<s>') ?? -1;
    this.endId = f.pairIds.get('</s>') ?? -1;
  }

  /** The slot of word j: from the sentence, the word's holder, the cache, or made. */
  slotAt(j: number): number {
    let s = this.slots[j]!;
    if (s >= 0) return s;
    const h = this.holders !== undefined ? this.holders[j] : undefined;
    if (h !== undefined && h.nerEpoch === this.epoch) s = h.nerSlot;
    else if (h !== undefined) {
      s = this.lookup(this.words[j]!, j);
      h.nerSlot = s;
      h.nerEpoch = this.epoch;
    } else {
      // Words without a holder (lower-case ones: the neighbours of names) recur from sentence to
      // sentence ("the", "said", ","): a small map of recent ones, which stays in the CPU caches,
      // answers most of them before the large one.
      const w = this.words[j]!;
      const r = this.recent.get(w);
      if (r !== undefined) s = r;
      else {
        if (this.recent.size >= RECENT_MAX) this.recent.clear();
        this.recent.set(w, (s = this.lookup(w, j)));
      }
    }
    this.slots[j] = s;
    return s;
  }

  /** The slot of word w (at j) in the model's cache, made when new. */
  lookup(w: string, j: number): number {
    return this.c.map.get(w) ?? wordEntry(this.model, this.f, this.c, w, this.lower[j]!);
  }

  /**
   * The label index of word i after label prevIdx: the features of `features()` — the word's own,
   * the neighbours' (summed per word, see WordCache), then those of the previous label, the word
   * pairs and the first position.
   */
  label(i: number, prevIdx: number): number {
    const f = this.f;
    const c = this.c;
    const L = this.layout;
    const n = this.words.length;
    const s = this.slotAt(i);
    const ps = i > 0 ? this.slotAt(i - 1) : -1;
    const ns = i + 1 < n ? this.slotAt(i + 1) : -1;
    // Read after the lookups: making an entry may have grown (replaced) the slots' memory.
    const d = c.d;
    const t = c.i;
    const si = s * L.slotI;
    const at = s * L.slotD + L.ownD;
    // The neighbours' sums, or those of the sentence's start and end.
    const pv = ps >= 0 ? d : c.startPrev;
    const pat = ps >= 0 ? ps * L.slotD + L.prevD : 0;
    const nv = ns >= 0 ? d : c.endNext;
    const nat = ns >= 0 ? ns * L.slotD + L.nextD : 0;
    // The dense vectors to add, in `features()` order; a missing one reads the zero block.
    const zero = f.zero;
    const o1 = orZero(f.t[prevIdx]!, zero);
    const o2 = orZero(t[si + L.tsI + prevIdx]!, zero);
    const o3 = orZero(ps >= 0 ? t[ps * L.slotI + L.tpI + prevIdx]! : c.startTp[prevIdx]!, zero);
    const wnId = t[si + L.wnI]!;
    const nextId = ns >= 0 ? t[ns * L.slotI + L.nextPairI]! : this.endId;
    const o4 = wnId >= 0 && nextId >= 0 ? orZero(pairAt(f.wn, wnId, nextId), zero) : zero;
    const pairId = t[si + L.pairI]!;
    const pwId = ps >= 0 ? t[ps * L.slotI + L.pwI]! : this.startPw;
    const o5 = pwId >= 0 && pairId >= 0 ? orZero(pairAt(f.pw, pwId, pairId), zero) : zero;
    const o6 = i === 0 ? t[si + L.i0I]! : this.notFirst;
    const ws = d;
    const nl = this.nl;
    const vec = f.vec;
    // One pass over the labels: each score summed in the same order as always (adding a zero
    // vector changes no sum), and the best (first highest) kept.
    let best = 0;
    let bestScore = 0;
    for (let k = 0; k < nl; k++) {
      let sc = ws[at + k]! + pv[pat + k]! + nv[nat + k]!;
      sc += vec[o1 + k]!;
      sc += vec[o2 + k]!;
      sc += vec[o3 + k]!;
      sc += vec[o4 + k]!;
      sc += vec[o5 + k]!;
      sc += vec[o6 + k]!;
      if (k === 0 || sc > bestScore) { best = k; bestScore = sc; }
    }
    // Labels run O, B-t, I-t, … (NER_LABELS): an I- (even index) not after its B-/I- becomes that B-.
    if (best > 0 && best % 2 === 0 && prevIdx !== best && prevIdx !== best - 1) best--;
    return best;
  }
}

/** A vector offset, or the zero block's for none (−1). */
function orZero(v: number, zero: number): number {
  return v >= 0 ? v : zero;
}

const tagRuns = new WeakMap<NerModel, TagRun>();

/**
 * Tag one sentence into `out` (label indexes into model.labels, one per word). `lower[i]` must be
 * words[i] in lower case; `holders[i]`, if given, belongs to words[i] and keeps its slot.
 */
export function tagIndexes(model: NerModel, words: readonly string[], lower: readonly string[], out: Uint8Array, holders?: ReadonlyArray<NerHolder | undefined>): void {
  const f = indexed(model);
  const n = words.length;
  const c = cacheOf(model, f);
  // Cleared only between sentences, so no word of this sentence loses its slot.
  if (c.map.size + n > WORD_CACHE_MAX) {
    c.map.clear();
    c.epoch = ++epochs;
  }
  let run = tagRuns.get(model);
  if (run === undefined) tagRuns.set(model, (run = new TagRun(model, f, c)));
  run.words = words;
  run.lower = lower;
  run.holders = holders;
  if (run.epoch !== c.epoch) run.recent.clear();
  run.epoch = c.epoch;
  if (run.slots.length < n) run.slots = new Int32Array(n * 2);
  run.slots.fill(-1, 0, n);
  const skip = model.skip;
  let prevIdx = 0;
  for (let i = 0; i < n; i++) {
    if (prevIdx === 0 && (!hasUpper(words[i]!) || skip.has(lower[i]!))) {
      out[i] = 0;
      continue;
    }
    prevIdx = run.label(i, prevIdx);
    out[i] = prevIdx;
  }
  // Let go of the caller's arrays.
  run.words = run.lower = EMPTY;
  run.holders = undefined;
}
const EMPTY: readonly string[] = [];

/** Tag one sentence; returns one label per word. */
export function tag(model: NerModel, words: readonly string[], lowerIn?: readonly string[]): string[] {
  const lower = lowerIn ?? words.map((w) => w.toLowerCase());
  const idx = new Uint8Array(words.length);
  tagIndexes(model, words, lower, idx);
  return Array.from(idx, (k) => model.labels[k]!);
}

/** Reference tagger over string features (as in training); `tag` must agree with it. */
export function tagSlow(model: NerModel, words: readonly string[]): string[] {
  const lower = words.map((w) => w.toLowerCase());
  const labels: string[] = new Array(words.length);
  const feats: string[] = [];
  const scores = new Float64Array(model.labels.length);
  let prev = 'O';
  for (let i = 0; i < words.length; i++) {
    if (prev === 'O' && (!hasUpper(words[i]!) || model.skip.has(lower[i]!))) {
      labels[i] = prev = 'O';
      continue;
    }
    features(words, lower, i, prev, feats, model.gaz);
    score(model, feats, scores);
    let best = 0;
    for (let k = 1; k < scores.length; k++) if (scores[k]! > scores[best]!) best = k;
    prev = labels[i] = legal(prev, model.labels[best]!);
  }
  return labels;
}

/** Spans [start, end) over word indexes with their type, from BIO labels. */
export function spans(labels: readonly string[]): Array<{ start: number; end: number; type: NerType }> {
  const out: Array<{ start: number; end: number; type: NerType }> = [];
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (l === 'O') continue;
    const type = l.slice(2) as NerType;
    if (l.startsWith('B-') || out.length === 0 || out[out.length - 1]!.end !== i || out[out.length - 1]!.type !== type) {
      out.push({ start: i, end: i + 1, type });
    } else out[out.length - 1]!.end = i + 1;
  }
  return out;
}

/** Spans as `spans()` gives them, from the label indexes of `tagIndexes` (n of them). */
export function spansOfIndexes(idx: Uint8Array, n: number): Array<{ start: number; end: number; type: NerType }> {
  const out: Array<{ start: number; end: number; type: NerType }> = [];
  for (let i = 0; i < n; i++) {
    const k = idx[i]!;
    if (k === 0) continue;
    const type = NER_TYPES[(k - 1) >> 1]!;
    const last = out[out.length - 1];
    // Odd indexes are B- labels (NER_LABELS): they always open a span.
    if (k % 2 === 1 || !last || last.end !== i || last.type !== type) out.push({ start: i, end: i + 1, type });
    else last.end = i + 1;
  }
  return out;
}

/** The model as stored in data/actors/ner-model.json. */
export interface StoredNerModel {
  labels: string[];
  weights: Record<string, number[]>;
  skip?: string[];
}

export function modelFromJson(j: StoredNerModel): NerModel {
  if (j.labels.join() !== NER_LABELS.join()) throw new Error(`ner model labels ${j.labels.join()} differ from ${NER_LABELS.join()}`);
  const raw = j.weights;
  let weights: Map<string, number[]> | undefined;
  // The feature → weights Map is only for the reference tagger (`tagSlow`, `score`): built on first use.
  return {
    labels: j.labels,
    get weights(): Map<string, number[]> {
      return (weights ??= new Map(Object.entries(raw)));
    },
    raw,
    skip: new Set(j.skip ?? []),
  };
}
