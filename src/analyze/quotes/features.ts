// Token features for the attribution tagger: each token of a paragraph becomes a fixed number of
// hashed feature ids (feature hashing: no vocabulary to ship, integer mixing instead of string joins).
import type { Doc } from '../segment.js';
import type { Token } from '../types.js';

/** Number of feature templates per token (the stride of `Seq.feats`). */
export const N_TEMPLATES = 53;

/** A token whose lemma is a cue this often in training (or is in the hand list) anchors cue-distance features. */
export const CUE_CANDIDATE_RATE = 0.15;

/** Quote-mark state of a token. */
export const Q_OUT = 0;
export const Q_IN = 1;
export const Q_OPEN = 2;
export const Q_CLOSE = 3;

/** One paragraph of body tokens, ready for tagging. */
export interface Seq {
  /** Indexes into `Doc.tokens` (SPACE tokens skipped). */
  toks: number[];
  /** Sentence index (into `doc.structure.sentences`) of each token. */
  sent: number[];
  /** Quote state of each token (Q_OUT, Q_IN, Q_OPEN, Q_CLOSE). */
  quote: Uint8Array;
  /** `toks.length * stride` raw 32-bit feature hashes. */
  feats: Uint32Array;
  /** Features per token: N_TEMPLATES, or N_TEMPLATES + N_STACK after stacking. */
  stride: number;
  /** Lemma hash of each token (kept from featurisation for the stacked features). */
  lemmaHash?: Uint32Array;
  /** Paragraph index. */
  paragraph: number;
  /** One-past-last doc token of each sentence id in `sent` (a merged fragment extends its sentence). */
  sentEnd?: Map<number, number>;
}

/** A paragraph before featurisation. */
export type BaseSeq = Omit<Seq, 'feats' | 'stride'>;

/** What the features need from the lexicon: cue rates of lemmas and the hand-written cue list. */
export interface FeatureLexicon {
  /** Share of a lemma's occurrences that are (part of) a cue in training data. */
  cueRate: Map<string, number>;
  /** Hand-written cue lemmas and words (speech and belief verbs, nouns). */
  cueWords: Set<string>;
}

/** FNV-1a over a string: stable across runs and platforms. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** `hashString(s.slice(from))` without the copy. */
function hashFrom(s: string, from: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Mix two 32-bit values into one (murmur3-style finaliser). The 32 bits come back as a signed int:
 * every caller stores them in a Uint32Array or mixes them again (both read only the bits), and an
 * int32 stays a small integer in V8 where an unsigned value of 2^31 or more is boxed as a heap
 * number whenever the call is not inlined.
 */
export function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h ^ b, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** Kinds of quote-mark tokens. */
const M_NONE = 0;
const M_OPEN = 1; // “ « „
const M_CLOSE = 2; // ” »
const M_STRAIGHT = 3; // " `` ''

/** The quote-mark kind of the token `text[start, end)`, read from char codes (no string copy per token). */
function markKind(text: string, start: number, end: number): number {
  const len = end - start;
  if (len === 1) {
    const c = text.charCodeAt(start);
    if (c === 0x201c || c === 0xab || c === 0x201e) return M_OPEN;
    if (c === 0x201d || c === 0xbb) return M_CLOSE;
    return c === 0x22 ? M_STRAIGHT : M_NONE;
  }
  if (len === 2) {
    const c = text.charCodeAt(start);
    return (c === 0x60 || c === 0x27) && text.charCodeAt(start + 1) === c ? M_STRAIGHT : M_NONE;
  }
  return M_NONE;
}

/** POS tags that make up a rough noun phrase. */
const NP_POS = new Set(['DET', 'ADJ', 'NOUN', 'PROPN', 'NUM', 'PRON']);

/** Word shape of `s[start, end)`: capitalisation and digits, the classic cheap shape feature (char codes: no string copies). */
function shapeOf(s: string, start: number, end: number): number {
  if (end <= start) return 6; // (an empty token: no letters)
  const c = s.charCodeAt(start);
  if (c >= 48 && c <= 57) return 1;
  let up = false;
  let low = false;
  for (let i = start; i < end; i++) {
    const k = s.charCodeAt(i);
    if (k >= 65 && k <= 90) up = true;
    else if (k >= 97 && k <= 122) low = true;
    else if (k > 127) {
      const ch = s[i]!;
      if (ch !== ch.toLowerCase()) up = true;
      if (ch !== ch.toUpperCase()) low = true;
    }
  }
  if (up && !low) return end - start > 1 ? 2 : 3;
  if (up) return 4;
  if (low) return 5;
  return 6;
}

function distBucket(d: number): number {
  if (d <= 0) return 0;
  if (d <= 4) return d;
  if (d <= 6) return 5;
  if (d <= 10) return 6;
  if (d <= 20) return 7;
  return 8;
}

function rateBucket(r: number): number {
  if (r <= 0) return 0;
  if (r < 0.02) return 1;
  if (r < 0.1) return 2;
  if (r < 0.3) return 3;
  if (r < 0.6) return 4;
  return 5;
}

/**
 * Split the body into paragraph sequences and mark each token's quote state; with `mergeFragments`,
 * a sentence fragment split off by the segmenter is given its sentence's id (see continuesSentence).
 */
export function paragraphSeqs(doc: Doc, mergeFragments = true): BaseSeq[] {
  const out: BaseSeq[] = [];
  const { sentences } = doc.structure;
  let cur: BaseSeq | null = null;
  let inQ = false;
  let group = -1; // the sentence a split-off fragment is merged back into
  let depth = 0; // open parentheses at the end of the previous sentence
  for (let si = 0; si < sentences.length; si++) {
    const s = sentences[si]!;
    if (!cur || cur.paragraph !== s.paragraph) {
      cur = { toks: [], sent: [], quote: new Uint8Array(0), paragraph: s.paragraph, sentEnd: new Map() };
      out.push(cur);
      inQ = false; // marks are balanced per paragraph: a new paragraph re-opens its own quote
      group = -1;
      depth = 0;
    }
    if (group < 0 || !mergeFragments || !continuesSentence(doc, s.tokenStart, s.tokenEnd, depth)) {
      group = si;
      depth = 0;
    }
    for (let t = s.tokenStart; t < s.tokenEnd; t++) {
      const tok = doc.tokens[t]!;
      if (tok.pos === 'SPACE') continue;
      cur.toks.push(t);
      cur.sent.push(group);
      if (tok.end - tok.start === 1) {
        const c = doc.text[tok.start];
        if (c === '(') depth++;
        else if (c === ')' && depth > 0) depth--;
      }
    }
    cur.sentEnd!.set(group, s.tokenEnd);
  }
  for (const seq of out) {
    inQ = false;
    const q = new Uint8Array(seq.toks.length);
    for (let i = 0; i < seq.toks.length; i++) {
      const tok = doc.tokens[seq.toks[i]!]!;
      const m = markKind(doc.text, tok.start, tok.end);
      if (m === M_OPEN || (m === M_STRAIGHT && !inQ)) {
        q[i] = Q_OPEN;
        inQ = true;
      } else if (m === M_CLOSE || (m === M_STRAIGHT && inQ)) {
        q[i] = Q_CLOSE;
        inQ = false;
      } else q[i] = inQ ? Q_IN : Q_OUT;
    }
    seq.quote = q;
  }
  return out;
}

/** A sentence opening this many tokens that closes a parenthesis left open is a fragment of the one before. */
const MAX_PAREN_FRAGMENT = 3;

/**
 * Sentence splits inside "(D-N.C.)" or before a lower-case word ("(D-Wis.) | said Friday") cut a
 * source from its cue; such a fragment is merged back into the sentence before it.
 */
function continuesSentence(doc: Doc, start: number, end: number, depth: number): boolean {
  let seen = 0;
  for (let t = start; t < end && seen < MAX_PAREN_FRAGMENT; t++) {
    const tok = doc.tokens[t]!;
    if (tok.pos === 'SPACE') continue;
    const v = doc.text.slice(tok.start, tok.end);
    if (seen === 0 && /^\p{Ll}/u.test(v)) return true;
    if (depth > 0 && v === ')') return true;
    seen++;
  }
  return false;
}

/** Per-document token attributes computed once, so templates only mix integers. */
interface TokAttrs {
  norm: Uint32Array;
  lemma: Uint32Array;
  pos: Uint32Array;
  shape: Uint8Array;
  suffix: Uint32Array;
  cueB: Uint8Array;
  cand: Uint8Array;
  /** POS class of each token (P_*), for the chunk and skip tests. */
  posKind: Uint8Array;
}

/** POS classes featurizeInto tests: other, noun-phrase POS other than DET, DET, PART, ADV, AUX, PUNCT. */
const P_OTHER = 0;
const P_NP = 1;
const P_DET = 2;
const P_PART = 3;
const P_ADV = 4;
const P_AUX = 5;
const P_PUNCT = 6;

function posKindOf(pos: string): number {
  if (pos === 'DET') return P_DET;
  if (NP_POS.has(pos)) return P_NP;
  if (pos === 'PART') return P_PART;
  if (pos === 'ADV') return P_ADV;
  if (pos === 'AUX') return P_AUX;
  if (pos === 'PUNCT') return P_PUNCT;
  return P_OTHER;
}

/** Slots of the word cache (a power of two): ~78% of PolNeAR's tokens find their word there. Fewer slots
 * than words on purpose: 2^12 measured ~2.5% faster for the stage than 2^13 (fewer cache misses in
 * the slots themselves outweigh more refills). */
const WORD_SLOTS = 1 << 12;

/**
 * Everything tokenAttrs reads from a token's word alone (normal form, lemma and POS; not the shape,
 * which depends on the spelling in the text), kept per worker in a direct-mapped cache indexed by
 * the normal form's hash (which the features need anyway): hashing the lemma, POS and suffix and up
 * to four lexicon lookups per token were most of tokenAttrs' time. A slot holds one word; another
 * word of the same slot replaces it. Fixed size, so memory stays flat over any stream; a slot is
 * one record of strings and one of numbers, so a lookup reads two cache lines (with one array per
 * attribute it read nine and measured ~4% slower for the stage; a Map of every word seen was
 * slower than no cache: its lookups missed the cache). The slots belong to the lexicon they were
 * filled from (a cue rate or cue word is part of each), whose maps are not changed once in use.
 */
const STR_STRIDE = 3; // normal form, lemma, POS
const NUM_STRIDE = 4; // lemma hash, POS hash, suffix hash, cue bucket | cand << 8 | POS class << 16
/** The POS of an empty slot ('\u0000', no POS tag): no token matches it. */
const EMPTY_POS = '\u0000';
const words = {
  rates: null as Map<string, number> | null,
  cueWords: null as Set<string> | null,
  str: emptySlots(),
  num: new Uint32Array(WORD_SLOTS * NUM_STRIDE),
};

function emptySlots(): string[] {
  const a = new Array<string>(WORD_SLOTS * STR_STRIDE).fill('');
  for (let i = 2; i < a.length; i += STR_STRIDE) a[i] = EMPTY_POS;
  return a;
}

/** Empty the word cache when `lex` is not the lexicon it was filled from. */
function useWordLexicon(lex: FeatureLexicon): void {
  if (words.rates === lex.cueRate && words.cueWords === lex.cueWords) return;
  words.rates = lex.cueRate;
  words.cueWords = lex.cueWords;
  words.str = emptySlots();
}

/** The word-cache slot of a normal form's hash. */
function wordSlot(normH: number): number {
  return (normH ^ (normH >>> 15)) & (WORD_SLOTS - 1);
}

/** Fill `slot` with the word attributes of `tok`. */
function fillWordSlot(lex: FeatureLexicon, tok: Token, slot: number): void {
  const { norm, lemma, pos } = tok;
  const r = lex.cueRate.get(lemma) ?? lex.cueRate.get(norm) ?? 0;
  const hand = lex.cueWords.has(lemma) || lex.cueWords.has(norm);
  const cueB = rateBucket(r) + (hand ? 8 : 0);
  const cand = r >= CUE_CANDIDATE_RATE || (hand && pos !== 'PUNCT') ? 1 : 0;
  const s = slot * STR_STRIDE;
  words.str[s] = norm;
  words.str[s + 1] = lemma;
  words.str[s + 2] = pos;
  const o = slot * NUM_STRIDE;
  words.num[o] = hashString(lemma);
  words.num[o + 1] = hashString(pos);
  words.num[o + 2] = hashFrom(norm, norm.length > 3 ? norm.length - 3 : 0);
  words.num[o + 3] = cueB | (cand << 8) | (posKindOf(pos) << 16);
}

/**
 * Per-paragraph arrays, grown to the longest paragraph seen and reused: typed arrays live off the JS
 * heap, and allocating a dozen per paragraph cost more than filling them. Only the first n entries of
 * each are meaningful, and they are valid until the next `featurizeInto`.
 */
class Scratch {
  cap = -1;
  norm = new Uint32Array(0);
  lemma = new Uint32Array(0);
  pos = new Uint32Array(0);
  shape = new Uint8Array(0);
  suffix = new Uint32Array(0);
  cueB = new Uint8Array(0);
  cand = new Uint8Array(0);
  posKind = new Uint8Array(0);
  left = new Int32Array(0);
  right = new Int32Array(0);
  chunk = new Int32Array(0);
  chunkStart = new Int32Array(0);
  chunkEnd = new Int32Array(0);
  /** n + 1 long (prefix sums). */
  commas = new Int32Array(0);
  thats = new Int32Array(0);
  leftCue = new Int32Array(0);
  rightCue = new Int32Array(0);
  leftSrc = new Int32Array(0);
  rightSrc = new Int32Array(0);

  ensure(n: number): this {
    if (n <= this.cap) return this;
    const m = Math.max(n, 2 * this.cap, 256);
    this.cap = m;
    this.norm = new Uint32Array(m);
    this.lemma = new Uint32Array(m);
    this.pos = new Uint32Array(m);
    this.shape = new Uint8Array(m);
    this.suffix = new Uint32Array(m);
    this.cueB = new Uint8Array(m);
    this.cand = new Uint8Array(m);
    this.posKind = new Uint8Array(m);
    this.left = new Int32Array(m);
    this.right = new Int32Array(m);
    this.chunk = new Int32Array(m);
    this.chunkStart = new Int32Array(m);
    this.chunkEnd = new Int32Array(m);
    this.commas = new Int32Array(m + 1);
    this.thats = new Int32Array(m + 1);
    this.leftCue = new Int32Array(m);
    this.rightCue = new Int32Array(m);
    this.leftSrc = new Int32Array(m);
    this.rightSrc = new Int32Array(m);
    return this;
  }
}
const scratch = new Scratch();

function tokenAttrs(doc: Doc, lex: FeatureLexicon, seq: BaseSeq): TokAttrs {
  const n = seq.toks.length;
  const a: TokAttrs = scratch.ensure(n);
  useWordLexicon(lex);
  const str = words.str;
  const num = words.num;
  for (let i = 0; i < n; i++) {
    const tok = doc.tokens[seq.toks[i]!]!;
    const normH = hashString(tok.norm);
    const slot = wordSlot(normH);
    const s = slot * STR_STRIDE;
    // (the same string objects as a rule: the segmenter shares one per word, so these are pointer tests)
    if (str[s] !== tok.norm || str[s + 1] !== tok.lemma || str[s + 2] !== tok.pos) fillWordSlot(lex, tok, slot);
    const o = slot * NUM_STRIDE;
    const packed = num[o + 3]!;
    a.norm[i] = normH;
    a.lemma[i] = num[o]!;
    a.pos[i] = num[o + 1]!;
    a.shape[i] = shapeOf(doc.text, tok.start, tok.end);
    a.suffix[i] = num[o + 2]!;
    a.cueB[i] = packed & 0xff;
    a.cand[i] = (packed >>> 8) & 0xff;
    a.posKind[i] = packed >>> 16;
  }
  return a;
}

const BOS = 0x1234567;
const EOS = 0x7654321;

/** What the templates read of one token (filled per token, reused: no allocation). */
class TokenContext {
  w0 = 0; wm1 = 0; wp1 = 0; wm2 = 0; wp2 = 0; lemma0 = 0; lemmaNext = 0;
  p0 = 0; pm1 = 0; pp1 = 0; shape = 0; suffix = 0; q0 = 0; qm1 = 0; qp1 = 0;
  cb0 = 0; cbm1 = 0; cbp1 = 0; ld = 0; rd = 0; ll = 0; rl = 0; si = 0; spos = 0;
  toEnd = 0; fromStart = 0; cl = 0; cr = 0; tl = 0; afterL = 0; beforeR = 0;
  hasHere = 0; hasElse = 0; inChunk = 0; cueAfter = 0; cueBefore = 0;
}
const ctx = new TokenContext();
/** Template keys of the current token: feature k = mix(K[k], k). */
const K = new Uint32Array(N_TEMPLATES);

/**
 * Keys of templates 0-26. The templates are split over four functions so each stays within V8's
 * inlining budget for its `mix` calls; the hashes equal the original one-expression-per-template form.
 */
function templateKeysA(c: TokenContext, K: Uint32Array): void {
  const pm1p0 = mix(c.pm1, c.p0);
  K[0] = 1;
  K[1] = c.w0;
  K[2] = c.wm1;
  K[3] = c.wp1;
  K[4] = c.wm2;
  K[5] = c.wp2;
  K[6] = c.lemma0;
  K[7] = c.p0;
  K[8] = pm1p0;
  K[9] = mix(c.p0, c.pp1);
  K[10] = mix(pm1p0, c.pp1);
  K[11] = mix(c.shape, c.p0);
  K[12] = c.suffix;
  K[13] = c.q0;
  K[14] = mix(c.q0, c.p0);
  K[15] = mix(mix(c.qm1, c.q0), c.qp1);
  K[16] = c.cb0;
  K[17] = c.cbm1;
  K[18] = c.cbp1;
  K[19] = c.ld;
  K[20] = mix(c.ld, c.ll);
  K[21] = c.rd;
  K[22] = mix(c.rd, c.rl);
  K[23] = mix(c.ld, c.p0);
  K[24] = mix(c.rd, c.p0);
  K[25] = mix(c.spos, c.p0);
  K[26] = mix(c.si, c.q0);
}

/** Keys of templates 27-36 (see templateKeysA). */
function templateKeysB(c: TokenContext, K: Uint32Array): void {
  K[27] = mix(c.wm1, c.w0);
  K[28] = mix(c.w0, c.wp1);
  K[29] = mix(mix(c.si, c.ld), c.rd);
  K[30] = mix(c.lemma0, c.q0);
  K[31] = c.toEnd;
  K[32] = c.fromStart;
  K[33] = mix(mix(c.ld, c.rd), c.q0);
  K[34] = mix(mix(c.cb0, c.q0), c.spos);
  K[35] = mix(c.ll, c.p0);
  K[36] = mix(c.rl, c.p0);
}

/** Keys of templates 37-44 (see templateKeysA). */
function templateKeysC(c: TokenContext, K: Uint32Array): void {
  const ld6 = Math.min(c.ld, 6);
  const rd6 = Math.min(c.rd, 6);
  K[37] = mix(K[20]!, c.q0);
  K[38] = mix(K[22]!, c.q0);
  K[39] = mix(mix(c.toEnd, c.q0), c.p0);
  K[40] = mix(mix(c.cl, ld6), c.q0);
  K[41] = mix(mix(c.cr, rd6), c.q0);
  K[42] = mix(mix(c.tl, c.cl), c.p0);
  K[43] = mix(mix(c.afterL, ld6), c.p0);
  K[44] = mix(mix(c.beforeR, rd6), c.p0);
}

/** Keys of templates 45-52 (see templateKeysA). */
function templateKeysD(c: TokenContext, K: Uint32Array): void {
  K[45] = mix(mix(mix(c.hasHere, c.hasElse), c.si), c.q0);
  K[46] = mix(mix(c.ll, c.cl), c.tl);
  K[47] = mix(c.inChunk, c.q0);
  K[48] = mix(mix(c.inChunk, c.cueAfter ? 1 : 0), c.cueBefore ? 1 : 0);
  K[49] = mix(c.cueAfter, c.inChunk);
  K[50] = mix(c.cueBefore, c.inChunk);
  K[51] = mix(mix(c.cueAfter ? 1 : 0, c.cueBefore ? 1 : 0), c.p0);
  K[52] = mix(c.lemma0, c.lemmaNext);
}

/**
 * Can the paragraph hold an attribution the tagger would find: a quote mark or a cue candidate (the
 * test of `tokenAttrs`'s `cand`)? Used by the optional paragraph gate (QuoteLexicon.tagOnlyCuedParagraphs).
 */
export function mayHoldAttribution(doc: Doc, lex: FeatureLexicon, base: BaseSeq): boolean {
  for (let i = 0; i < base.toks.length; i++) {
    if (base.quote[i] !== Q_OUT) return true;
    const tok = doc.tokens[base.toks[i]!]!;
    const r = lex.cueRate.get(tok.lemma) ?? lex.cueRate.get(tok.norm) ?? 0;
    if (r >= CUE_CANDIDATE_RATE) return true;
    if (tok.pos !== 'PUNCT' && (lex.cueWords.has(tok.lemma) || lex.cueWords.has(tok.norm))) return true;
  }
  return false;
}

/** Compute all feature hashes of a paragraph sequence. */
export function featurize(doc: Doc, lex: FeatureLexicon, base: BaseSeq): Seq {
  const F = new Uint32Array(base.toks.length * N_TEMPLATES);
  const lemmaHash = featurizeInto(doc, lex, base, F).slice(); // a copy: the returned view is scratch
  return { ...base, feats: F, stride: N_TEMPLATES, lemmaHash };
}

/**
 * The features of `featurize`, written into `F` (at least `toks.length * N_TEMPLATES` long), so
 * inference can reuse one buffer for every paragraph; returns the tokens' lemma hashes (a view of
 * scratch memory, valid until the next call).
 */
export function featurizeInto(doc: Doc, lex: FeatureLexicon, base: BaseSeq, F: Uint32Array): Uint32Array {
  const n = base.toks.length;
  const A = tokenAttrs(doc, lex, base);
  const q = base.quote;
  const sentences = doc.structure.sentences;
  // Nearest cue candidate to the left / right within the sentence.
  const left = scratch.left.fill(-1, 0, n);
  const right = scratch.right.fill(-1, 0, n);
  for (let i = 0, last = -1; i < n; i++) {
    if (i > 0 && base.sent[i] !== base.sent[i - 1]) last = -1;
    left[i] = last;
    if (A.cand[i]) last = i;
  }
  for (let i = n - 1, last = -1; i >= 0; i--) {
    if (i < n - 1 && base.sent[i] !== base.sent[i + 1]) last = -1;
    right[i] = last;
    if (A.cand[i]) last = i;
  }
  // Sentence-level facts: does it hold a quote mark, does it start inside/with a quote, its index in the paragraph.
  const sentInfo = new Map<number, number>();
  let sentIdx = -1;
  let prevSent = -1;
  for (let i = 0; i < n; i++) {
    if (base.sent[i] !== prevSent) {
      prevSent = base.sent[i]!;
      sentIdx++;
      let hasQ = 0;
      for (let j = i; j < n && base.sent[j] === prevSent; j++) if (q[j] !== Q_OUT) hasQ = 1;
      const startQ = q[i]!;
      sentInfo.set(prevSent, (Math.min(sentIdx, 2) << 4) | (hasQ << 3) | startQ);
    }
  }
  // Clause cues between a token and its nearest cue: commas and "that", by prefix sums.
  const commas = scratch.commas;
  const thats = scratch.thats;
  commas[0] = 0;
  thats[0] = 0;
  const HCOMMA = hashString(',');
  const HTHAT = hashString('that');
  for (let i = 0; i < n; i++) {
    commas[i + 1] = commas[i]! + (A.norm[i] === HCOMMA ? 1 : 0);
    thats[i + 1] = thats[i]! + (A.norm[i] === HTHAT ? 1 : 0);
  }
  // Does the paragraph hold a cue candidate in some other sentence?
  const candSents = new Set<number>();
  for (let i = 0; i < n; i++) if (A.cand[i]) candSents.add(base.sent[i]!);
  // Rough noun-phrase chunks from POS runs, so a multi-word source ("White House press secretary
  // Karoline Leavitt") can be seen as the phrase next to its cue, whatever its length.
  const chunk = scratch.chunk.fill(-1, 0, n);
  let nChunks = 0;
  const kind = A.posKind;
  for (let i = 0; i < n; i++) {
    const pk = kind[i]!;
    const inNp = pk === P_NP || pk === P_DET || (pk === P_PART && i > 0 && chunk[i - 1]! >= 0);
    if (!inNp) continue;
    const cont = i > 0 && chunk[i - 1]! >= 0 && base.sent[i - 1] === base.sent[i] && !(pk === P_DET && kind[i - 1] !== P_DET);
    chunk[i] = cont ? chunk[i - 1]! : nChunks++;
  }
  const chunkStart = scratch.chunkStart; // every chunk id below nChunks is written next
  const chunkEnd = scratch.chunkEnd;
  for (let i = n - 1; i >= 0; i--) if (chunk[i]! >= 0) chunkStart[chunk[i]!] = i;
  for (let i = 0; i < n; i++) if (chunk[i]! >= 0) chunkEnd[chunk[i]!] = i + 1;
  // Skip adverbs and commas between a chunk and a cue ("Trump, however, said").
  const skippable = (k: number): boolean => {
    const pk = kind[k]!;
    return pk === P_ADV || (pk === P_PUNCT && A.norm[k] === HCOMMA) || pk === P_AUX;
  };
  const c = ctx;
  let curS = -1;
  let si = 0;
  let sentTokStart = 0;
  let sentTokEnd = 0;
  let hasHere = 0;
  for (let i = 0; i < n; i++) {
    const s = base.sent[i]!;
    if (s !== curS) {
      // sentence-level values, fetched once per sentence rather than per token
      curS = s;
      si = sentInfo.get(s)!;
      const sent = sentences[s]!;
      sentTokStart = sent.tokenStart;
      sentTokEnd = base.sentEnd?.get(s) ?? sent.tokenEnd;
      hasHere = candSents.has(s) ? 1 : 0;
    }
    const sentStart = i === 0 || base.sent[i - 1] !== s;
    const sentEnd = i === n - 1 || base.sent[i + 1] !== s;
    c.w0 = A.norm[i]!;
    c.wm1 = sentStart ? BOS : A.norm[i - 1]!;
    c.wp1 = sentEnd ? EOS : A.norm[i + 1]!;
    c.wm2 = i >= 2 && base.sent[i - 2] === s ? A.norm[i - 2]! : BOS;
    c.wp2 = i + 2 < n && base.sent[i + 2] === s ? A.norm[i + 2]! : EOS;
    c.lemma0 = A.lemma[i]!;
    c.lemmaNext = sentEnd ? EOS : A.lemma[i + 1]!;
    c.p0 = A.pos[i]!;
    c.pm1 = sentStart ? BOS : A.pos[i - 1]!;
    c.pp1 = sentEnd ? EOS : A.pos[i + 1]!;
    c.shape = A.shape[i]!;
    c.suffix = A.suffix[i]!;
    c.q0 = q[i]!;
    c.qm1 = i > 0 ? q[i - 1]! : 7;
    c.qp1 = i < n - 1 ? q[i + 1]! : 7;
    c.cb0 = A.cueB[i]!;
    c.cbm1 = sentStart ? 99 : A.cueB[i - 1]!;
    c.cbp1 = sentEnd ? 99 : A.cueB[i + 1]!;
    const l = left[i]!;
    const r = right[i]!;
    const ld = l < 0 ? 0 : distBucket(i - l);
    const rd = r < 0 ? 0 : distBucket(r - i);
    c.ld = ld;
    c.rd = rd;
    c.ll = l < 0 ? 0 : A.lemma[l]!;
    c.rl = r < 0 ? 0 : A.lemma[r]!;
    c.si = si;
    c.spos = sentStart ? 1 : sentEnd ? 2 : 0;
    c.toEnd = distBucket(sentTokEnd - base.toks[i]!);
    c.fromStart = distBucket(base.toks[i]! - sentTokStart + 1);
    c.cl = l < 0 ? 9 : Math.min(commas[i]! - commas[l + 1]!, 2);
    c.cr = r < 0 ? 9 : Math.min(commas[r]! - commas[i + 1]!, 2);
    c.tl = l < 0 ? 9 : Math.min(thats[i]! - thats[l + 1]!, 1);
    c.afterL = l < 0 ? 0 : l + 1 < n ? A.norm[l + 1]! : EOS;
    c.beforeR = r < 0 ? 0 : r > 0 ? A.norm[r - 1]! : BOS;
    c.hasHere = hasHere;
    c.hasElse = candSents.size - hasHere > 0 ? 1 : 0;
    const ch = chunk[i]!;
    let inChunk = 0; // 0 none, 1 single, 2 first, 3 inside, 4 last
    let cueAfter = 0;
    let cueBefore = 0;
    if (ch >= 0) {
      const cs = chunkStart[ch]!;
      const ce = chunkEnd[ch]!;
      inChunk = ce - cs === 1 ? 1 : i === cs ? 2 : i === ce - 1 ? 4 : 3;
      let k = ce;
      while (k < n && base.sent[k] === s && skippable(k)) k++;
      if (k < n && base.sent[k] === s && A.cand[k]) cueAfter = A.lemma[k]!;
      k = cs - 1;
      while (k >= 0 && base.sent[k] === s && skippable(k)) k--;
      if (k >= 0 && base.sent[k] === s && A.cand[k]) cueBefore = A.lemma[k]!;
    }
    c.inChunk = inChunk;
    c.cueAfter = cueAfter;
    c.cueBefore = cueBefore;
    templateKeysA(c, K);
    templateKeysB(c, K);
    templateKeysC(c, K);
    templateKeysD(c, K);
    // Template k's feature: its key mixed with k. One call site in a loop, so V8 inlines `mix`
    // here (with ~100 call sites in one function it ran out of inlining budget and called it).
    const o = i * N_TEMPLATES;
    for (let k = 0; k < N_TEMPLATES; k++) F[o + k] = mix(K[k]!, k);
  }
  return A.lemma.subarray(0, n);
}

/** Number of stacked templates: features read from the first tagger's labels. */
export const N_STACK = 16;

/** Keys of the current token's stacked templates (see stackFeaturesInto). */
const SK = new Uint32Array(N_STACK);

/** Label groups of the first pass: 0 O, 1 source, 2 cue, 3 content. */
function group(t: number): number {
  return t === 0 ? 0 : (t + 1) >> 1;
}

/** Per-sentence arrays of `stackFeaturesInto`, grown as needed and reused. */
const sentArrays = { mask: new Int32Array(0), firstGroup: new Int32Array(0), lastGroup: new Int32Array(0) };

/** `sentArrays` cleared for `span` sentences (masks 0, groups -1). */
function sentScratch(span: number): typeof sentArrays {
  if (sentArrays.mask.length < span) {
    const m = Math.max(span, 2 * sentArrays.mask.length, 64);
    sentArrays.mask = new Int32Array(m);
    sentArrays.firstGroup = new Int32Array(m);
    sentArrays.lastGroup = new Int32Array(m);
  }
  sentArrays.mask.fill(0, 0, span);
  sentArrays.firstGroup.fill(-1, 0, span);
  sentArrays.lastGroup.fill(-1, 0, span);
  return sentArrays;
}

/**
 * Stacking: add features built from a first tagging pass (labels around the token, the predicted
 * cue nearest in the sentence, what neighbouring sentences hold), so the second pass sees decisions
 * rather than word lists. Trained on cross-validated first-pass output (scripts/train-quotes.ts).
 */
export function stackFeatures(doc: Doc, seq: Seq, tags: Uint8Array): Seq {
  const n = seq.toks.length;
  const S = seq.stride + N_STACK;
  const F = new Uint32Array(n * S);
  for (let i = 0; i < n; i++) F.set(seq.feats.subarray(i * seq.stride, (i + 1) * seq.stride), i * S);
  stackFeaturesInto(doc, seq, seq.lemmaHash, tags, F, S, seq.stride);
  return { ...seq, feats: F, stride: S };
}

/**
 * The N_STACK stacked features of each token i, written at `F[i * S + off ...]`: inference keeps
 * only these (the base part of the second pass's scores is summed with the first pass's).
 * `lemmaHash` is the tokens' lemma hashes from featurisation, if at hand (else they are hashed here);
 * a parameter rather than a copy of `seq` with it, so `seq` keeps the one shape paragraphSeqs made.
 */
export function stackFeaturesInto(doc: Doc, seq: BaseSeq, lemmaHash: Uint32Array | undefined, tags: Uint8Array, F: Uint32Array, S: number, off: number): void {
  const n = seq.toks.length;
  if (n === 0) return;
  // Per sentence: which groups occur, and the first and last token's group (-1: no such sentence).
  // Sentence ids rise through a paragraph, so arrays indexed from the first id serve as the maps.
  const s0 = seq.sent[0]!;
  const span = seq.sent[n - 1]! - s0 + 1;
  const { mask, firstGroup, lastGroup } = sentScratch(span);
  for (let i = 0; i < n; i++) {
    const k = seq.sent[i]! - s0;
    const g = group(tags[i]!);
    mask[k] |= 1 << g;
    if (firstGroup[k]! < 0) firstGroup[k] = g;
    lastGroup[k] = g;
  }
  let paraMask = 0;
  for (let k = 0; k < span; k++) paraMask |= mask[k]!;
  scratch.ensure(n);
  const leftCue = scratch.leftCue.fill(-1, 0, n);
  const rightCue = scratch.rightCue.fill(-1, 0, n);
  const leftSrc = scratch.leftSrc.fill(-1, 0, n);
  const rightSrc = scratch.rightSrc.fill(-1, 0, n);
  for (let i = 0, lc = -1, ls = -1; i < n; i++) {
    if (i > 0 && seq.sent[i] !== seq.sent[i - 1]) lc = ls = -1;
    leftCue[i] = lc;
    leftSrc[i] = ls;
    if (group(tags[i]!) === 2) lc = i;
    if (group(tags[i]!) === 1) ls = i;
  }
  for (let i = n - 1, rc = -1, rs = -1; i >= 0; i--) {
    if (i < n - 1 && seq.sent[i] !== seq.sent[i + 1]) rc = rs = -1;
    rightCue[i] = rc;
    rightSrc[i] = rs;
    if (group(tags[i]!) === 2) rc = i;
    if (group(tags[i]!) === 1) rs = i;
  }
  const lemmaOf = (k: number): number => lemmaHash?.[k] ?? hashString(doc.tokens[seq.toks[k]!]!.lemma);
  const K = SK;
  let curS = NaN;
  let m = 0;
  let pm = 0;
  let nm = 0;
  let around = 0;
  for (let i = 0; i < n; i++) {
    const s = seq.sent[i]!;
    if (s !== curS) {
      // sentence-level values, fetched once per sentence rather than per token
      curS = s;
      const k = s - s0;
      m = mask[k]!;
      pm = k > 0 ? mask[k - 1]! : 0;
      nm = k + 1 < span ? mask[k + 1]! : 0;
      const before = k > 0 ? lastGroup[k - 1]! : -1;
      const after = k + 1 < span ? firstGroup[k + 1]! : -1;
      around = mix(before < 0 ? 9 : before, after < 0 ? 9 : after);
    }
    const t0 = tags[i]!;
    const tm1 = i > 0 ? tags[i - 1]! : 9;
    const tp1 = i < n - 1 ? tags[i + 1]! : 9;
    const tm2 = i > 1 ? tags[i - 2]! : 9;
    const tp2 = i < n - 2 ? tags[i + 2]! : 9;
    const lc = leftCue[i]!;
    const rc = rightCue[i]!;
    const lcd = lc < 0 ? 0 : distBucket(i - lc);
    const rcd = rc < 0 ? 0 : distBucket(rc - i);
    const lcl = lc < 0 ? 0 : lemmaOf(lc);
    const rcl = rc < 0 ? 0 : lemmaOf(rc);
    const lsd = leftSrc[i]! < 0 ? 0 : distBucket(i - leftSrc[i]!);
    const rsd = rightSrc[i]! < 0 ? 0 : distBucket(rightSrc[i]! - i);
    const q0 = seq.quote[i]!;
    const t0tp1 = mix(t0, tp1);
    // stacked template k's feature is mix(K[k], 1000 + k) (keys first, as in featurizeInto)
    K[0] = t0;
    K[1] = mix(tm1, t0);
    K[2] = t0tp1;
    K[3] = mix(mix(tm2, tm1), t0);
    K[4] = mix(t0tp1, tp2);
    K[5] = mix(m, t0);
    K[6] = mix(mix(pm, m), nm);
    K[7] = mix(mix(lcd, lcl), t0);
    K[8] = mix(mix(rcd, rcl), t0);
    K[9] = mix(mix(lcd, rcd), q0);
    K[10] = mix(mix(lsd, rsd), t0);
    K[11] = mix(around, t0);
    K[12] = mix(mix(paraMask, m), q0);
    K[13] = mix(mix(t0, q0), lcd === 0 && rcd === 0 ? 1 : 0);
    K[14] = mix(lcl, rcl);
    K[15] = mix(mix(group(tm1), group(tp1)), mix(m, q0));
    const o = i * S + off;
    for (let k = 0; k < N_STACK; k++) F[o + k] = mix(K[k]!, 1000 + k);
  }
}
