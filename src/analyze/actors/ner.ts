// A greedy averaged-perceptron name tagger (BIO over per/org/geo/gpe), trained on GMB by
// scripts/train-actor-ner.ts. Written here rather than taken from a library: wink-nlp's lite model
// has no entity types for names, and no npm tagger ships English NER weights without a model hub.

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
  /** Capitalised words that (after an O) never open a name in training ("The", "But", "He"): O without scoring. */
  skip: Set<string>;
  /** The same weights by feature template and value, for fast inference (see `indexed`). */
  fast?: FastWeights;
}

type Vec = Float32Array;
/**
 * Weights keyed by template, then by the token strings themselves: lookups then reuse each string's
 * cached hash instead of hashing a fresh concatenation per feature (about 3× faster tagging).
 */
interface FastWeights {
  p1: Map<string, Vec>;
  n1: Map<string, Vec>;
  p1s: Map<string, Vec>;
  n1s: Map<string, Vec>;
  i0: Map<string, Vec>;
  pg: Map<string, Vec>;
  /** Per previous-label index. */
  t: Array<Vec | undefined>;
  ts: Array<Map<string, Vec>>;
  tp: Array<Map<string, Vec>>;
  /** word → next word → weights, and previous word → word → weights. */
  wn: Map<string, Map<string, Vec>>;
  pw: Map<string, Map<string, Vec>>;
}

function dense(ws: number[], n: number): Vec {
  const v = new Float32Array(n);
  for (let k = 0; k < ws.length; k += 2) v[ws[k]!] = ws[k + 1]!;
  return v;
}

/** Build the template-keyed view of a model's weights. */
export function indexed(model: NerModel): FastWeights {
  if (model.fast) return model.fast;
  const n = model.labels.length;
  const labelIdx = new Map(model.labels.map((l, i) => [l, i]));
  const f: FastWeights = {
    p1: new Map(), n1: new Map(), p1s: new Map(), n1s: new Map(), i0: new Map(), pg: new Map(),
    t: new Array(n).fill(undefined), ts: model.labels.map(() => new Map()), tp: model.labels.map(() => new Map()),
    wn: new Map(), pw: new Map(),
  };
  const nested = (m: Map<string, Map<string, Vec>>, a: string, b: string, v: Vec): void => {
    let inner = m.get(a);
    if (!inner) m.set(a, (inner = new Map()));
    inner.set(b, v);
  };
  for (const [key, ws] of model.weights) {
    const eq = key.indexOf('=');
    if (eq < 0) continue;
    const tpl = key.slice(0, eq);
    const val = key.slice(eq + 1);
    const v = dense(ws, n);
    const bar = val.indexOf('|');
    switch (tpl) {
      case 'p1': case 'n1': case 'p1s': case 'n1s': case 'i0': case 'pg': f[tpl].set(val, v); break;
      case 't': { const i = labelIdx.get(val); if (i !== undefined) f.t[i] = v; break; }
      case 'ts': case 'tp': {
        const i = labelIdx.get(val.slice(0, bar));
        if (bar > 0 && i !== undefined) f[tpl][i]!.set(val.slice(bar + 1), v);
        break;
      }
      case 'wn': case 'pw':
        // A word holding "|" makes the split ambiguous; such rare features are left out.
        if (bar > 0 && val.indexOf('|', bar + 1) < 0) nested(f[tpl], val.slice(0, bar), val.slice(bar + 1), v);
        break;
    }
  }
  model.fast = f;
  return f;
}

/** A token as the tagger sees it: its text only (so GMB tokens and wink tokens both fit). */
export function wordShape(w: string): string {
  let sh = shapeCache.get(w);
  if (sh === undefined) {
    if (shapeCache.size >= SHAPE_CACHE_MAX) shapeCache.clear();
    sh = computeShape(w);
    shapeCache.set(w, sh);
  }
  return sh;
}

/** Shapes are cached per word; the cache restarts past this size. */
const SHAPE_CACHE_MAX = 50_000;
const shapeCache = new Map<string, string>();

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

/** Number of the leading features in `features()` that depend on the word alone (cacheable). */
const WORD_FEATURES = 7;
/** Per-word partial scores kept at most this many words, then the cache starts afresh. */
const WORD_CACHE_MAX = 50_000;
const wordCache = new WeakMap<NerModel, Map<string, WordEntry>>();

/**
 * What the tagger needs of one word, looked up once per word and cached: the scores of its
 * word-only features, and the weight vectors it adds as the previous or the next word.
 */
interface WordEntry {
  scores: Float64Array;
  lower: string;
  shape: string;
  /** Weights of p1=/n1=/p1s=/n1s=/pg= with this word in that place. */
  asP1: Vec | undefined;
  asN1: Vec | undefined;
  asP1s: Vec | undefined;
  asN1s: Vec | undefined;
  asPg: Vec | undefined;
  /** wn=/pw= weights with this word first (inner maps: next word, word). */
  wn: Map<string, Vec> | undefined;
  pw: Map<string, Vec> | undefined;
}

/** The cached entry of token i's word (lower[i] must be words[i] in lower case). */
function wordEntry(model: NerModel, f: FastWeights, cache: Map<string, WordEntry>, words: readonly string[], lower: readonly string[], i: number, feats: string[]): WordEntry {
  const w = words[i]!;
  let e = cache.get(w);
  if (!e) {
    if (cache.size >= WORD_CACHE_MAX) cache.clear();
    const s = new Float64Array(model.labels.length);
    features(words, lower, i, 'O', feats, model.gaz);
    for (let k = 0; k < WORD_FEATURES; k++) {
      const ws = model.weights.get(feats[k]!);
      if (ws) for (let j = 0; j < ws.length; j += 2) s[ws[j]!]! += ws[j + 1]!;
    }
    const lw = lower[i]!;
    const shape = wordShape(w);
    e = {
      scores: s, lower: lw, shape,
      asP1: f.p1.get(lw), asN1: f.n1.get(lw), asP1s: f.p1s.get(shape), asN1s: f.n1s.get(shape),
      asPg: f.pg.get(gazClass(model.gaz, w, lw)), wn: f.wn.get(lw), pw: f.pw.get(lw),
    };
    cache.set(w, e);
  }
  return e;
}

/** Tag one sentence; returns one label per word. */
export function tag(model: NerModel, words: readonly string[], lowerIn?: readonly string[]): string[] {
  const f = indexed(model);
  const n = words.length;
  const lower = lowerIn ?? words.map((w) => w.toLowerCase());
  const labels: string[] = new Array(n);
  const feats: string[] = [];
  const nl = model.labels.length;
  const scores = new Float64Array(nl);
  const add = (v: Vec | undefined): void => {
    if (v) for (let k = 0; k < nl; k++) scores[k]! += v[k]!;
  };
  let cache = wordCache.get(model);
  if (!cache) wordCache.set(model, (cache = new Map()));
  // Entries of the previous, current and next word, each looked up once per position.
  const entries: Array<WordEntry | undefined> = new Array(n);
  const entryAt = (j: number): WordEntry => (entries[j] ??= wordEntry(model, f, cache, words, lower, j, feats));
  const start = f.p1.get('<s>'), startS = f.p1s.get('<s>'), startG = f.pg.get('<s>');
  const end = f.n1.get('</s>'), endS = f.n1s.get('</s>'), notFirst = f.i0.get('-');
  let prevIdx = 0;
  for (let i = 0; i < n; i++) {
    if (prevIdx === 0 && (!hasUpper(words[i]!) || model.skip.has(lower[i]!))) {
      labels[i] = 'O';
      continue;
    }
    // Same features as `features()`, looked up by template (see FastWeights and WordEntry).
    const e = entryAt(i);
    scores.set(e.scores);
    const pe = i > 0 ? entryAt(i - 1) : undefined;
    const ne = i + 1 < n ? entryAt(i + 1) : undefined;
    const p1 = pe ? pe.lower : '<s>';
    const n1 = ne ? ne.lower : '</s>';
    add(pe ? pe.asP1 : start);
    add(ne ? ne.asN1 : end);
    add(pe ? pe.asP1s : startS);
    add(ne ? ne.asN1s : endS);
    add(f.t[prevIdx]);
    add(f.ts[prevIdx]!.get(e.shape));
    add(f.tp[prevIdx]!.get(p1));
    add(e.wn?.get(n1));
    add(pe ? pe.pw?.get(e.lower) : f.pw.get('<s>')?.get(e.lower));
    add(i === 0 ? f.i0.get(e.shape) : notFirst);
    add(pe ? pe.asPg : startG);
    let best = 0;
    for (let k = 1; k < nl; k++) if (scores[k]! > scores[best]!) best = k;
    // Labels run O, B-t, I-t, … (NER_LABELS): an I- (even index) not after its B-/I- becomes that B-.
    if (best > 0 && best % 2 === 0 && prevIdx !== best && prevIdx !== best - 1) best--;
    prevIdx = best;
    labels[i] = model.labels[best]!;
  }
  return labels;
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

/** The model as stored in data/actors/ner-model.json. */
export interface StoredNerModel {
  labels: string[];
  weights: Record<string, number[]>;
  skip?: string[];
}

export function modelFromJson(j: StoredNerModel): NerModel {
  if (j.labels.join() !== NER_LABELS.join()) throw new Error(`ner model labels ${j.labels.join()} differ from ${NER_LABELS.join()}`);
  return { labels: j.labels, weights: new Map(Object.entries(j.weights)), skip: new Set(j.skip ?? []) };
}
