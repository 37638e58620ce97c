// Sentence-level PLOVER coder: what does `source` do to `target` in this sentence? Lexicon
// pattern hits and the words around and between the two actors become sparse features, scored by
// a multinomial logistic regression (weights in data/events/model.json, scripts/train-events.ts).
// Written here because no JS library codes PLOVER (PETRARCH/ZSP are Python + large models).
import { segmenter as nlp } from '../segment.js';
import type { PloverType, Span, Token } from '../types.js';
import type { EventLexicon, EventModel, EventPattern, Phrases } from './lexicon.js';

export type CodedEvent = PloverType | 'NONE';

export interface CodeResult {
  event: CodedEvent;
  mode?: string;
  /** 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict, 0 NONE. */
  quad: number;
  /** The model or rule that decided. */
  rule: string;
  /** Model probability of the chosen label (rules alone: a fixed confidence). */
  score: number;
  /** The model's raw label (YIELD stays YIELD here, so callers can split CONCEDE/RETREAT). */
  label?: string;
  /** Token range [start, end) of the lexicon hit taken as the trigger, if any. */
  trigger?: { start: number; end: number };
}

/** Tokens looked at before the first actor and after the second one. */
export const CONTEXT_WINDOW = 5;
/** Confidence reported when no model is loaded and a lexicon hit decides alone. */
export const RULE_ONLY_SCORE = 0.5;
const SKIP_POS = new Set(['PUNCT', 'SPACE', 'DET', 'SYM', 'NUM', 'CCONJ']);

/** Tokenise a lone sentence with wink-nlp, restoring character offsets (as segment() does). */
export function tokenize(text: string): Token[] {
  const doc = nlp().readDoc(text);
  const its = nlp().its;
  const values = doc.tokens().out() as string[];
  const spaces = doc.tokens().out(its.precedingSpaces) as string[];
  const pos = doc.tokens().out(its.pos) as string[];
  const norms = doc.tokens().out(its.normal) as string[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const lemmas = doc.tokens().out(its.lemma as any) as string[];
  const out: Token[] = [];
  let at = 0;
  for (let i = 0; i < values.length; i++) {
    at += spaces[i]!.length;
    const v = values[i]!;
    let start = at;
    if (!text.startsWith(v, at)) {
      const found = text.indexOf(v, at);
      start = found >= 0 && found - at < 8 ? found : at;
    }
    const end = Math.min(text.length, start + v.length);
    out.push({ start, end, pos: pos[i]!, norm: norms[i] ?? v.toLowerCase(), lemma: (lemmas[i] ?? norms[i] ?? v).toLowerCase() });
    at = end;
  }
  return out;
}

function wordMatches(w: string, t: Token): boolean {
  return w === '*' || w === t.lemma || w === t.norm;
}

/** End index (exclusive) of `words` matched at token i, or -1. */
export function matchAt(tokens: Token[], i: number, words: string[], hi = tokens.length): number {
  let j = i;
  for (const w of words) {
    if (j >= hi || !wordMatches(w, tokens[j]!)) return -1;
    j++;
  }
  return j;
}

export interface Hit {
  start: number;
  end: number;
  type: PloverType;
}

/** A phrase list indexed by its first word, so a token is tried only against phrases that can start there. */
interface PhraseIndex {
  byFirst: Map<string, string[][]>;
  /** Phrases starting with the wildcard "*" (or empty): tried everywhere. */
  anywhere: string[][];
}
const phraseIndexes = new WeakMap<Phrases, PhraseIndex>();
function phraseIndex(list: Phrases): PhraseIndex {
  let ix = phraseIndexes.get(list);
  if (!ix) {
    ix = { byFirst: new Map(), anywhere: [] };
    for (const words of list) {
      const w = words[0];
      if (w === undefined || w === '*') ix.anywhere.push(words);
      else ix.byFirst.set(w, [...(ix.byFirst.get(w) ?? []), words]);
    }
    phraseIndexes.set(list, ix);
  }
  return ix;
}

/** Does any phrase of `list` match at token i (same as `list.some((w) => matchAt(tokens, i, w, hi) > 0)`)? */
export function phraseAt(tokens: Token[], i: number, list: Phrases, hi = tokens.length): boolean {
  const t = tokens[i];
  if (!t || list.length === 0) return list.some((w) => matchAt(tokens, i, w, hi) > 0);
  return indexedPhraseAt(tokens, i, phraseIndex(list), hi);
}

/** phraseAt with the list's index in hand (token i exists). */
function indexedPhraseAt(tokens: Token[], i: number, ix: PhraseIndex, hi: number): boolean {
  const t = tokens[i]!;
  if (anyMatchAt(tokens, i, ix.anywhere, hi)) return true;
  const a = ix.byFirst.get(t.lemma);
  if (a && anyMatchAt(tokens, i, a, hi)) return true;
  const b = t.norm !== t.lemma ? ix.byFirst.get(t.norm) : undefined;
  return b !== undefined && anyMatchAt(tokens, i, b, hi);
}

function anyMatchAt(tokens: Token[], i: number, list: string[][], hi: number): boolean {
  for (const w of list) if (matchAt(tokens, i, w, hi) > 0) return true;
  return false;
}

/**
 * The pattern matches of one token list, in token order, each with its end and the end of the
 * shortest not-trigger phrase starting at its token (`none` if none), all matched without an upper
 * bound. A bounded search (findHits with `hi`) then only compares ends with `hi`: a phrase matched
 * within the bound ends where the unbounded match ends. Built once per token list, because the
 * events stage asks again for each candidate pair's window of the same sentence. Only matches are
 * stored (most tokens start none): no per-token arrays to allocate.
 */
interface HitTable {
  tokens: Token[];
  lex: EventLexicon;
  /** Per match: its first token, its end, its type, and the not-trigger phrase end at its first token. */
  starts: number[];
  ends: number[];
  types: PloverType[];
  notEnds: number[];
}

/**
 * The last table built. The events stage asks for the same sentence's table again and again
 * (once for its triggers, once per candidate pair), then moves on: one entry is enough, and holds
 * no per-sentence garbage for the collector the way a WeakMap of every sentence did.
 */
let lastTable: HitTable | null = null;

/** Bits of the first-word filter (a power of two). */
const FILTER_SIZE = 4096;

/** Filter slot of a word: its length and first and last characters. */
function filterSlot(w: string): number {
  const n = w.length;
  return n === 0 ? 0 : (w.charCodeAt(0) * 31 + w.charCodeAt(n - 1) * 7 + n) & (FILTER_SIZE - 1);
}

/**
 * A filter over the first words of a lexicon's patterns: 0 at a word's slot means no pattern
 * starts with it, and the map is not asked. Most tokens ("the", "of", names) start none: a slot
 * costs two character reads, a map probe more. Built once per lexicon.
 */
const firstWordFilters = new WeakMap<Map<string, EventPattern[]>, Uint8Array>();
function firstWordFilter(byFirst: Map<string, EventPattern[]>): Uint8Array {
  let f = firstWordFilters.get(byFirst);
  if (!f) {
    f = new Uint8Array(FILTER_SIZE);
    for (const w of byFirst.keys()) f[filterSlot(w)] = 1;
    firstWordFilters.set(byFirst, f);
  }
  return f;
}

/** The patterns starting with `w`, asking the map only when the filter lets `w` through. */
function patternsStarting(byFirst: Map<string, EventPattern[]>, filter: Uint8Array, w: string): EventPattern[] | undefined {
  return filter[filterSlot(w)] === 0 ? undefined : byFirst.get(w);
}

function hitTable(tokens: Token[], lex: EventLexicon): HitTable {
  if (lastTable !== null && lastTable.tokens === tokens && lastTable.lex === lex) return lastTable;
  const n = tokens.length;
  // Past any bound (bounds are at most tokens.length).
  const none = n + 1;
  const table: HitTable = { tokens, lex, starts: [], ends: [], types: [], notEnds: [] };
  const byFirst = lex.byFirst;
  const filter = firstWordFilter(byFirst);
  for (let i = 0; i < n; i++) {
    const t = tokens[i]!;
    const byLemma = patternsStarting(byFirst, filter, t.lemma);
    const byNorm = t.norm !== t.lemma ? patternsStarting(byFirst, filter, t.norm) : undefined;
    // Not-trigger phrases only matter where a trigger starts (most tokens start none).
    if (!byLemma && !byNorm) continue;
    const from = table.ends.length;
    if (byLemma) addMatches(table, tokens, i, byLemma);
    if (byNorm) addMatches(table, tokens, i, byNorm);
    if (table.ends.length === from) continue;
    const notEnd = lex.notTriggers.length ? Math.min(none, phraseEnd(tokens, i, lex.notTriggers)) : none;
    for (let k = from; k < table.ends.length; k++) table.notEnds.push(notEnd);
  }
  lastTable = table;
  return table;
}

/** Add the patterns of `list` that match at token i. */
function addMatches(table: HitTable, tokens: Token[], i: number, list: EventPattern[]): void {
  for (const p of list) {
    const e = matchAt(tokens, i, p.words);
    if (e > 0) { table.starts.push(i); table.ends.push(e); table.types.push(p.type); }
  }
}

/** End of the shortest phrase of `list` matching at token i (no upper bound), or Infinity. */
function phraseEnd(tokens: Token[], i: number, list: Phrases): number {
  const t = tokens[i]!;
  const ix = phraseIndex(list);
  let end = shortestEnd(tokens, i, ix.anywhere, Infinity);
  const a = ix.byFirst.get(t.lemma);
  if (a) end = shortestEnd(tokens, i, a, end);
  const b = t.norm !== t.lemma ? ix.byFirst.get(t.norm) : undefined;
  if (b) end = shortestEnd(tokens, i, b, end);
  return end;
}

/** The smaller of `end` and the ends of the phrases matching at token i. */
function shortestEnd(tokens: Token[], i: number, list: string[][], end: number): number {
  for (const w of list) { const e = matchAt(tokens, i, w); if (e > 0 && e < end) end = e; }
  return end;
}

/** All pattern hits in tokens[lo, hi). */
export function findHits(tokens: Token[], lex: EventLexicon, lo = 0, hi = tokens.length): Hit[] {
  const hits: Hit[] = [];
  const { starts, ends, types, notEnds } = hitTable(tokens, lex);
  for (let k = 0; k < starts.length; k++) {
    const i = starts[k]!;
    if (i < lo) continue;
    if (i >= hi) break;
    // A not-trigger phrase inside the bound ("press secretary") cancels every trigger at i.
    if (notEnds[k]! <= hi) continue;
    if (ends[k]! <= hi) hits.push({ start: i, end: ends[k]!, type: types[k]! });
  }
  return hits;
}

/** Does any phrase occur in tokens[lo, hi)? Returns the token index of the first, or -1. */
export function findPhrase(tokens: Token[], list: Phrases, lo: number, hi: number): number {
  if (list.length === 0) return -1;
  // The index is looked up once for the whole window, not once per token (as phraseAt would).
  const ix = phraseIndex(list);
  const to = Math.min(hi, tokens.length);
  for (let i = Math.max(0, lo); i < to; i++) {
    if (indexedPhraseAt(tokens, i, ix, hi)) return i;
  }
  return -1;
}

/** Token index range [start, end) covering a character span. */
export function tokenRange(tokens: Token[], span: Span): { start: number; end: number } {
  let s = -1;
  let e = -1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.end > span.start && t.start < span.end) {
      if (s < 0) s = i;
      e = i + 1;
    }
  }
  return s < 0 ? { start: 0, end: 0 } : { start: s, end: e };
}

function isContent(t: Token): boolean {
  return !SKIP_POS.has(t.pos);
}

export interface PairFeatures {
  features: string[];
  hits: Hit[];
  /** The region where the trigger is looked for: between the actors, else after the source. */
  region: { start: number; end: number };
}

/**
 * Where the pair features go. A feature is named `${prefix}:${rest}` (prefixes hold no colon) or
 * is a bare flag. Training and codeTokens want the names (FeatureNames); the events stage only
 * wants the model's scores, and FeatureScores adds each feature's weights straight away, without
 * building its name: no strings and no set per candidate pair.
 */
interface FeatureSink {
  add(prefix: string, rest: string): void;
  /** The word-pair feature `m2:${first}_${second}`. */
  pair(first: string, second: string): void;
  flag(name: string): void;
}

/** The features' names, each once, in the order first given. */
class FeatureNames implements FeatureSink {
  readonly names = new Set<string>();
  add(prefix: string, rest: string): void {
    this.names.add(`${prefix}:${rest}`);
  }
  pair(first: string, second: string): void {
    this.names.add(`m2:${first}_${second}`);
  }
  flag(name: string): void {
    this.names.add(name);
  }
}

/** One feature's weights; `seen` marks the scoring that last added them (features count once). */
interface WeightEntry {
  w: number[];
  seen: number;
}

/** A model's weights by prefix then rest (and bare flags by name), built once per model. */
interface WeightIndex {
  byPrefix: Map<string, Map<string, WeightEntry>>;
  flags: Map<string, WeightEntry>;
  /**
   * The word-pair weights "m2:A_B" by A then B, at every "_" of "A_B" (a word may hold one), so a
   * pair is looked up by its two words without joining them: (A, B) is here exactly when
   * "m2:" + A + "_" + B is a weight's name.
   */
  pairs: Map<string, Map<string, WeightEntry>>;
}
const weightIndexes = new WeakMap<object, WeightIndex>();
function weightIndex(m: EventModel): WeightIndex {
  let ix = weightIndexes.get(m);
  if (ix) return ix;
  ix = { byPrefix: new Map(), flags: new Map(), pairs: new Map() };
  for (const [name, w] of Object.entries(m.weights)) {
    const entry: WeightEntry = { w, seen: 0 };
    // The first colon ends the prefix: the same split FeatureNames joins.
    const colon = name.indexOf(':');
    if (colon < 0) { ix.flags.set(name, entry); continue; }
    const prefix = name.slice(0, colon);
    let rests = ix.byPrefix.get(prefix);
    if (!rests) ix.byPrefix.set(prefix, (rests = new Map()));
    const rest = name.slice(colon + 1);
    rests.set(rest, entry);
    if (prefix === 'm2') for (let u = rest.indexOf('_'); u >= 0; u = rest.indexOf('_', u + 1)) {
      const first = rest.slice(0, u);
      let seconds = ix.pairs.get(first);
      if (!seconds) ix.pairs.set(first, (seconds = new Map()));
      seconds.set(rest.slice(u + 1), entry);
    }
  }
  weightIndexes.set(m, ix);
  return ix;
}

/** Counts scorings, so a WeightEntry can tell whether this one has already added it. */
let scoring = 0;

/**
 * The model's summed weights (`z`, from the bias) for the features given: each feature's
 * weights once, in the order first given, exactly as scoreFeatures sums a name list.
 */
class FeatureScores implements FeatureSink {
  readonly z: number[];
  private readonly stamp: number;
  constructor(private readonly ix: WeightIndex, bias: number[]) {
    this.z = bias.slice();
    this.stamp = ++scoring;
  }
  add(prefix: string, rest: string): void {
    const rests = this.ix.byPrefix.get(prefix);
    if (rests === undefined) return;
    const e = rests.get(rest);
    if (e !== undefined) this.take(e);
  }
  pair(first: string, second: string): void {
    const seconds = this.ix.pairs.get(first);
    if (seconds === undefined) return;
    const e = seconds.get(second);
    if (e !== undefined) this.take(e);
  }
  flag(name: string): void {
    const e = this.ix.flags.get(name);
    if (e !== undefined) this.take(e);
  }
  private take(e: WeightEntry): void {
    if (e.seen === this.stamp) return;
    e.seen = this.stamp;
    const z = this.z;
    const w = e.w;
    for (let k = 0; k < z.length; k++) z[k]! += w[k]!;
  }
}

/** Content words of tokens[lo, hi) as features named by region; the middle region also gets word pairs. */
function addWords(f: FeatureSink, tokens: Token[], prefix: string, lo: number, hi: number): void {
  let prev = '';
  for (let i = lo; i < hi; i++) {
    const t = tokens[i]!;
    if (!isContent(t)) continue;
    f.add(prefix, t.lemma);
    if (prefix === 'm' && prev) f.pair(prev, t.lemma);
    prev = t.lemma;
  }
}

/** Feature prefixes of a lexicon hit by where it lies: in the source, the target, between, before, after. */
const HIT_PREFIX = { S: 'LS', T: 'LT', m: 'Lm', p: 'Lp', a: 'La' } as const;

/**
 * Sparse features for "source does X to target". Both ranges are token ranges. Features name
 * their region: m (between the two actors), p (just before the first), a (just after the second).
 */
export function pairFeatures(tokens: Token[], src: { start: number; end: number }, tgt: { start: number; end: number }, lex: EventLexicon): PairFeatures {
  const f = new FeatureNames();
  const { hits, region } = collectFeatures(tokens, src, tgt, lex, f);
  return { features: [...f.names], hits, region };
}

/**
 * The model's probabilities for "source does X to target": the same as scoreFeatures of
 * pairFeatures' list followed by "implicit:target" and "implicit:source" when asked for, without
 * building the list. Null without a model.
 */
export function pairScores(tokens: Token[], src: { start: number; end: number }, tgt: { start: number; end: number }, lex: EventLexicon, implicitTarget: boolean, implicitSource: boolean): number[] | null {
  const m = lex.model;
  if (!m) return null;
  const f = new FeatureScores(weightIndex(m), m.bias);
  collectFeatures(tokens, src, tgt, lex, f);
  if (implicitTarget) f.add('implicit', 'target');
  if (implicitSource) f.add('implicit', 'source');
  return softmax(f.z);
}

/** Give the pair's features to `f`; returns the lexicon hits around the pair and the trigger region. */
function collectFeatures(tokens: Token[], src: { start: number; end: number }, tgt: { start: number; end: number }, lex: EventLexicon, f: FeatureSink): { hits: Hit[]; region: { start: number; end: number } } {
  const srcFirst = src.start <= tgt.start;
  const first = srcFirst ? src : tgt;
  const second = srcFirst ? tgt : src;
  const midLo = Math.min(first.end, second.start);
  const midHi = Math.max(first.end, second.start);
  const preLo = Math.max(0, first.start - CONTEXT_WINDOW);
  const postHi = Math.min(tokens.length, second.end + CONTEXT_WINDOW);
  f.add('order', srcFirst ? 'st' : 'ts');
  const midLen = midHi - midLo;
  f.add('midlen', midLen <= 1 ? 'adj' : midLen <= 4 ? 'short' : midLen <= 10 ? 'mid' : 'long');

  addWords(f, tokens, 'm', midLo, midHi);
  addWords(f, tokens, 'p', preLo, first.start);
  addWords(f, tokens, 'a', second.end, postHi);
  for (let i = src.start; i < src.end; i++) if (isContent(tokens[i]!)) f.add('s', tokens[i]!.lemma);
  for (let i = tgt.start; i < tgt.end; i++) if (isContent(tokens[i]!)) f.add('t', tokens[i]!.lemma);

  // The trigger region: between the actors, or (target first) the words after the source.
  // A passive ("Y was attacked by X") keeps its trigger between the two.
  const bySource = src.start > 0 && tokens[src.start - 1]!.norm === 'by';
  const byPassive = !srcFirst && bySource;
  const region = srcFirst || byPassive ? { start: midLo, end: midHi } : { start: src.end, end: Math.min(tokens.length, src.end + 2 * CONTEXT_WINDOW) };
  // First verb of the region: usually the predicate the source heads.
  for (let i = region.start; i < region.end; i++) {
    const t = tokens[i]!;
    if (t.pos === 'VERB') {
      f.add('v', t.lemma);
      if (i > 0 && lex.words.passiveAux.has(tokens[i - 1]!.lemma) && PARTICIPLE.test(t.norm)) f.flag('passive');
      break;
    }
  }
  if (!srcFirst && bySource) f.flag('by-source');

  const hits = findHits(tokens, lex, Math.max(0, first.start - CONTEXT_WINDOW), Math.min(tokens.length, second.end + 2 * CONTEXT_WINDOW));
  let nearest: Hit | null = null;
  for (const h of hits) {
    const inSrc = h.start >= src.start && h.end <= src.end;
    const inTgt = h.start >= tgt.start && h.end <= tgt.end;
    const where = inSrc ? 'S' : inTgt ? 'T' : h.start >= midLo && h.end <= midHi ? 'm' : h.start < first.start ? 'p' : 'a';
    f.add(HIT_PREFIX[where], h.type);
    f.add('L', h.type);
    if (h.start >= region.start && h.end <= region.end && (!nearest || h.start < nearest.start)) nearest = h;
  }
  if (nearest) {
    // All types of the nearest trigger word (a word like "strike" maps to several).
    for (const h of hits) if (h.start === nearest.start) f.add('Ln', h.type);
  }
  const neg = findPhrase(tokens, lex.negation, region.start, region.end);
  if (neg >= 0) {
    f.flag('neg');
    if (nearest) f.add('neg&Ln', nearest.type);
  }
  for (let i = region.start; i < region.end; i++) {
    if (lex.words.modals.has(tokens[i]!.norm)) {
      f.flag('modal');
      f.add('modal', tokens[i]!.norm);
      if (nearest) f.add('modal&Ln', nearest.type);
      break;
    }
  }
  return { hits, region };
}

const PARTICIPLE = /(ed|en)$/;

/** The model's weights as a Map, built once per model: looking up fresh strings in a large object is slower. */
const weightMaps = new WeakMap<object, Map<string, number[]>>();

/** Softmax scores of the model for a feature list. */
export function scoreFeatures(features: string[], lex: EventLexicon): number[] | null {
  const m = lex.model;
  if (!m) return null;
  let weights = weightMaps.get(m);
  if (!weights) weightMaps.set(m, (weights = new Map(Object.entries(m.weights))));
  const z = m.bias.slice();
  for (const name of features) {
    const w = weights.get(name);
    if (!w) continue;
    for (let k = 0; k < z.length; k++) z[k]! += w[k]!;
  }
  return softmax(z);
}

/** Softmax of summed weights, in place then copied (as scoreFeatures always did). */
function softmax(z: number[]): number[] {
  const max = Math.max(...z);
  let sum = 0;
  for (let k = 0; k < z.length; k++) {
    z[k] = Math.exp(z[k]! - max);
    sum += z[k]!;
  }
  return z.map((v) => v / sum);
}

/** The mode whose phrases occur near the trigger, if any. */
export function findMode(tokens: Token[], type: PloverType, lo: number, hi: number, lex: EventLexicon): string | undefined {
  const modes = lex.modes[type];
  if (!modes) return undefined;
  for (const [mode, list] of modeEntries(modes)) {
    if (list.length && findPhrase(tokens, list, lo, hi) >= 0) return mode;
  }
  return undefined;
}

/** A type's modes as entries, listed once per lexicon instead of once per call. */
const modeLists = new WeakMap<Record<string, Phrases>, Array<[string, Phrases]>>();
function modeEntries(modes: Record<string, Phrases>): Array<[string, Phrases]> {
  let list = modeLists.get(modes);
  if (!list) modeLists.set(modes, (list = Object.entries(modes)));
  return list;
}

/** Code a pair given tokens and token ranges (shared by codeEvent and findEvents). */
export function codeTokens(tokens: Token[], src: { start: number; end: number }, tgt: { start: number; end: number }, lex: EventLexicon, extra: string[] = []): CodeResult {
  const { features: base, hits, region } = pairFeatures(tokens, src, tgt, lex);
  const features = extra.length ? [...base, ...extra] : base;
  const probs = scoreFeatures(features, lex);
  let label: string | null = null;
  let score = 0;
  let rule = 'plover-patterns';
  if (probs && lex.model) {
    let best = 0;
    for (let k = 1; k < probs.length; k++) if (probs[k]! > probs[best]!) best = k;
    label = lex.model.labels[best]!;
    score = probs[best]!;
    rule = lex.model.name;
  } else {
    const inRegion = hits.filter((h) => h.start >= region.start && h.end <= region.end).sort((a, b) => a.start - b.start);
    const h = inRegion[0] ?? hits[0];
    if (h) {
      label = h.type;
      score = RULE_ONLY_SCORE;
    }
  }
  if (!label) return { event: 'NONE', quad: 0, rule, score: 0 };
  const type = (lex.labelMap[label] ?? label) as PloverType;
  const trig = hits.filter((h) => h.type === type || (label === 'YIELD' && (h.type === 'CONCEDE' || h.type === 'RETREAT')));
  const inRegion = trig.filter((h) => h.start >= region.start && h.end <= region.end);
  const trigger = (inRegion[0] ?? trig[0]) ? { start: (inRegion[0] ?? trig[0])!.start, end: (inRegion[0] ?? trig[0])!.end } : undefined;
  const lo = trigger ? trigger.start : region.start;
  const mode = findMode(tokens, type, lo, Math.min(tokens.length, Math.max(region.end, lo + 2 * CONTEXT_WINDOW)), lex);
  return { event: type, ...(mode ? { mode } : {}), quad: lex.quad[type] ?? 0, rule, score, label, ...(trigger ? { trigger } : {}) };
}

/** Locate `needle` in `sentence`, preferring an occurrence that does not overlap `avoid`. */
export function locate(sentence: string, needle: string, avoid?: Span): Span | null {
  let from = 0;
  let first: Span | null = null;
  for (;;) {
    const i = sentence.indexOf(needle, from);
    if (i < 0) break;
    const s = { start: i, end: i + needle.length };
    if (!first) first = s;
    if (!avoid || s.end <= avoid.start || s.start >= avoid.end) return s;
    from = i + 1;
  }
  // "the EU" for "The EU": fall back to a case-insensitive match.
  if (!first && needle) {
    const lower = sentence.toLowerCase();
    const i = lower.indexOf(needle.toLowerCase());
    if (i >= 0 && lower.length === sentence.length) return { start: i, end: i + needle.length };
  }
  return first;
}

/** True for a placeholder that names no one ("a recipient", "An actor"): an implicit actor. */
export function isImplicitActor(name: string, lex: EventLexicon): boolean {
  return lex.implicitActors.includes(name.trim().toLowerCase());
}

/**
 * Token ranges of source and target in a sentence. A placeholder actor that is not in the
 * sentence ("a recipient") becomes an empty range: a missing source sits before the sentence, a
 * missing target after it. Throws when a named actor is not a substring of the sentence.
 */
export function resolvePair(sentence: string, source: string, target: string, tokens: Token[], lex: EventLexicon): { src: { start: number; end: number }; tgt: { start: number; end: number }; features: string[] } {
  const s = source.trim();
  const t = target.trim();
  const sSpan = s ? locate(sentence, s) : null;
  const extra: string[] = [];
  let src: { start: number; end: number };
  if (sSpan) src = tokenRange(tokens, sSpan);
  else if (isImplicitActor(s, lex)) {
    src = { start: 0, end: 0 };
    extra.push('implicit:source');
  } else throw new Error('source is not a substring of sentence');
  const tSpan = t ? locate(sentence, t, sSpan ?? undefined) : null;
  let tgt: { start: number; end: number };
  if (tSpan) tgt = tokenRange(tokens, tSpan);
  else if (isImplicitActor(t, lex)) {
    tgt = { start: tokens.length, end: tokens.length };
    extra.push('implicit:target');
  } else throw new Error('target is not a substring of sentence');
  return { src, tgt, features: extra };
}

/**
 * Code one sentence: the PLOVER event `source` does to `target` (both substrings of it, or a
 * placeholder such as "a recipient"). Throws when a named actor is not in the sentence.
 */
export function codeEvent(sentence: string, source: string, target: string, lex: EventLexicon, tokens: Token[] = tokenize(sentence)): CodeResult {
  const { src, tgt, features } = resolvePair(sentence, source, target, tokens, lex);
  return codeTokens(tokens, src, tgt, lex, features);
}
