// The token view the actor passes work on: each body sentence (and each headline line) as a run of
// non-space tokens with its text, lower case and POS, plus the lexicon phrase found at each token.
import type { Doc } from '../segment.js';
import type { ActorLexicon, Phrase } from './lexicon.js';
import { hasUpper, spansOfIndexes, tagIndexes, type NerHolder, type NerModel, type NerType } from './ner.js';

export interface Unit {
  /** Doc token indexes (SPACE tokens left out). */
  idx: number[];
  text: string[];
  lower: string[];
  pos: string[];
  lemma: string[];
  /** Body sentence index, or -1 for a headline line. */
  sentence: number;
  headline: boolean;
  /** The longest lexicon phrase starting at each position, if any. */
  phrase: Array<Phrase | undefined>;
  /** Name-tagger spans (positions in this unit). */
  ner: Array<{ start: number; end: number; type: NerType }>;
  /** NER type covering each position ('' for none). */
  nerAt: string[];
  /** Cached facts of each word opening with a capital or a non-ASCII letter (undefined for the rest). */
  facts: Array<WordFacts | undefined>;
}

/**
 * What the passes need of one word as written, worked out once per distinct word (per lexicon) and
 * cached: one lookup per token instead of a lower-casing and several lexicon lookups, and the lower
 * case is then one shared string whose hash later lookups reuse.
 */
export class WordFacts implements NerHolder {
  /** The word's `nameKey`, once something asked for it. */
  key: string | undefined = undefined;
  /** Whether no lexicon, name list or state form explains the word (states.ts), once asked. */
  unexplained: boolean | undefined = undefined;
  nerSlot = -1;
  /** −1 until the tagger leaves a slot (epochs start at 1). */
  nerEpoch = -1;
  constructor(
    readonly lower: string,
    /** Lexicon phrases opening with the word, longest first (names start with a capital or a non-ASCII letter). */
    readonly phrases: Phrase[] | undefined,
    /** May open a tagged name: has an upper-case letter and is no word the tagger always reads as O. */
    readonly nerOpen: boolean,
    /**
     * Can be part of a person's name as far as the word alone tells (scan.ts `nameToken`): opens with
     * an upper-case letter, is no listed non-name, title head or honorific. Asked many times per word.
     */
    readonly nameable: boolean,
  ) {}
}

/**
 * Every token's text (SPACE tokens left out) and, for words opening with a capital or a non-ASCII
 * letter, their cached facts: made once per text and shared by state discovery and the units, so
 * each such word is sliced and looked up once. The other words (most) need only their lower case,
 * and a cache lookup would cost more than it saves.
 */
export interface TokenView {
  text: Array<string | undefined>;
  facts: Array<WordFacts | undefined>;
  /** Doc indexes of the non-SPACE tokens, in order. */
  nonSpace: number[];
  /** Places in `nonSpace` of the tokens with facts, in order: the passes that only look at capitalised words walk these. */
  caps: number[];
}

export function tokenView(doc: Doc, lex: ActorLexicon): TokenView {
  const n = doc.tokens.length;
  const text = new Array<string | undefined>(n);
  const facts = new Array<WordFacts | undefined>(n);
  const nonSpace: number[] = [];
  const caps: number[] = [];
  const cache = factsCache(lex);
  if (cache.size + n > FACTS_CACHE_MAX) cache.clear();
  for (let i = 0; i < n; i++) {
    const t = doc.tokens[i]!;
    if (t.pos === 'SPACE') continue;
    const w = doc.text.slice(t.start, t.end);
    text[i] = w;
    const c = w.charCodeAt(0);
    if ((c >= 65 && c <= 90) || c >= 128) {
      let f = cache.get(w);
      if (f === undefined) cache.set(w, (f = makeFacts(lex, w)));
      facts[i] = f;
      caps.push(nonSpace.length);
    }
    nonSpace.push(i);
  }
  return { text, facts, nonSpace, caps };
}

/** The non-SPACE doc token indexes in [start, end) (a slice of `view.nonSpace`). */
function tokensIn(view: TokenView, start: number, end: number): number[] {
  const ns = view.nonSpace;
  return ns.slice(lowerBound(ns, start), lowerBound(ns, end));
}

/** The first place in a sorted list whose value is at least x. */
function lowerBound(list: readonly number[], x: number): number {
  let lo = 0, hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Words kept at most, per lexicon; then the cache starts afresh. */
const FACTS_CACHE_MAX = 100_000;
const factsCaches = new WeakMap<ActorLexicon, Map<string, WordFacts>>();

function factsCache(lex: ActorLexicon): Map<string, WordFacts> {
  let m = factsCaches.get(lex);
  if (!m) factsCaches.set(lex, (m = new Map()));
  return m;
}

function makeFacts(lex: ActorLexicon, w: string): WordFacts {
  const lower = w.toLowerCase();
  const c = w.charCodeAt(0);
  // Lexicon names start with a capital (or a non-ASCII letter): lower-case words and punctuation have none.
  const phrases = c < 65 || (c > 90 && c < 128) ? undefined : lex.phrases.get(w);
  const cap = (c >= 65 && c <= 90) || (c > 127 && UPPER_START.test(w));
  const nameable = cap && !lex.notNames.has(w) && !lex.titleHeads.has(lower) && !lex.honorifics.has(lower);
  return new WordFacts(lower, phrases, hasUpper(w) && !(lex.ner?.skip.has(lower) ?? false), nameable);
}
const UPPER_START = /^\p{Lu}/u;

/** Longest lexicon phrase matching at position j (case-sensitive: names are written capitalised). */
function phraseAt(facts: WordFacts, text: string[], j: number, extra?: Map<string, Phrase[]>): Phrase | undefined {
  const found = longestAt(facts.phrases, text, j);
  if (!extra || extra.size === 0) return found;
  const c = text[j]!.charCodeAt(0);
  if (c < 65 || (c > 90 && c < 128)) return found;
  const own = longestAt(extra.get(text[j]!), text, j);
  return own && (!found || own.tokens.length > found.tokens.length) ? own : found;
}

/** The first (longest) phrase of a list sorted longest first that matches at position j. */
function longestAt(list: Phrase[] | undefined, text: string[], j: number): Phrase | undefined {
  if (!list) return undefined;
  for (const p of list) {
    if (j + p.tokens.length > text.length) continue;
    let ok = true;
    for (let k = 1; k < p.tokens.length; k++) if (text[j + k] !== p.tokens[k]) { ok = false; break; }
    if (ok) return p;
  }
  return undefined;
}

/**
 * The tagger only adds names the lexicons do not explain: a sentence whose every capitalised word
 * (after the first) lies in a lexicon phrase is not tagged (saves about a third of the tagging).
 */
function needsTagger(lex: ActorLexicon, text: string[], lower: string[], facts: Array<WordFacts | undefined>, phrase: Array<Phrase | undefined>): boolean {
  for (let j = 0; j < text.length; j++) {
    const p = phrase[j];
    if (p) { j += p.tokens.length - 1; continue; }
    if (j === 0) continue;
    const f = facts[j];
    if (f ? !f.nerOpen : !hasUpper(text[j]!) || lex.ner!.skip.has(lower[j]!)) continue;
    return true;
  }
  return false;
}

/** True when the word is ASCII without upper-case letters (its lower case is itself). */
function asciiLower(w: string): boolean {
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c >= 128) return false;
  }
  return true;
}

/** Label indexes of the sentence being tagged (reused between calls). */
let labelBuf = new Uint8Array(256);

/** A unit's tokens (text, lower case, POS, lemma, facts), with no phrases or tagger spans yet. */
function unitTokens(doc: Doc, view: TokenView, idx: number[], sentence: number, headline: boolean): Unit {
  const n = idx.length;
  const text = new Array<string>(n);
  const lower = new Array<string>(n);
  const pos = new Array<string>(n);
  const lemma = new Array<string>(n);
  const facts = new Array<WordFacts | undefined>(n);
  for (let j = 0; j < n; j++) {
    const i = idx[j]!;
    const t = doc.tokens[i]!;
    const w = view.text[i]!;
    const f = view.facts[i];
    text[j] = w;
    pos[j] = t.pos;
    lemma[j] = t.lemma;
    facts[j] = f;
    lower[j] = f ? f.lower : asciiLower(w) ? w : w.toLowerCase();
  }
  return { idx, text, lower, pos, lemma, sentence, headline, phrase: new Array<Phrase | undefined>(n), ner: NO_SPANS, nerAt: noTags(n), facts };
}

/**
 * Units without tagger spans (most) share one array of '' as their `nerAt` and one empty span list;
 * `tagUnit` gives a unit its own arrays when it finds spans. Never written to.
 */
const NO_SPANS: Array<{ start: number; end: number; type: NerType }> = [];
let NO_TAGS: string[] = new Array<string>(256).fill('');
function noTags(n: number): string[] {
  if (NO_TAGS.length < n) NO_TAGS = new Array<string>(n * 2).fill('');
  return NO_TAGS;
}

/** The lexicon phrase at each position (only words with facts can open one). */
function findPhrases(u: Unit, extra: Map<string, Phrase[]> | undefined): void {
  const n = u.text.length;
  for (let j = 0; j < n; j++) {
    const f = u.facts[j];
    u.phrase[j] = f ? phraseAt(f, u.text, j, extra) : undefined;
  }
}

/** The tagger's spans of a unit, and the type at each position. */
function tagUnit(model: NerModel, u: Unit): void {
  const n = u.text.length;
  if (labelBuf.length < n) labelBuf = new Uint8Array(n * 2);
  tagIndexes(model, u.text, u.lower, labelBuf, u.facts);
  const spans = spansOfIndexes(labelBuf, n);
  if (spans.length === 0) return;
  u.ner = spans;
  u.nerAt = new Array<string>(n).fill('');
  for (const s of spans) for (let k = s.start; k < s.end; k++) u.nerAt[k] = s.type;
}

function makeUnit(doc: Doc, lex: ActorLexicon, view: TokenView, idx: number[], sentence: number, headline: boolean, extra?: Map<string, Phrase[]>): Unit {
  const u = unitTokens(doc, view, idx, sentence, headline);
  findPhrases(u, extra);
  // Headlines are title-cased, which the tagger (trained on sentence case) misreads.
  if (lex.ner && !headline && needsTagger(lex, u.text, u.lower, u.facts, u.phrase)) tagUnit(lex.ner, u);
  return u;
}

/** Body sentences in order, then headline lines; `extra` adds this text's own phrases (see states.ts). */
export function buildUnits(doc: Doc, lex: ActorLexicon, extra?: Map<string, Phrase[]>, view: TokenView = tokenView(doc, lex)): Unit[] {
  const units: Unit[] = [];
  const sentences = doc.structure.sentences;
  for (let si = 0; si < sentences.length; si++) {
    const s = sentences[si]!;
    const idx = tokensIn(view, s.tokenStart, s.tokenEnd);
    units.push(makeUnit(doc, lex, view, idx, si, false, extra));
  }
  let t = 0;
  for (const h of doc.structure.headlines) {
    const idx: number[] = [];
    while (t < doc.tokens.length && doc.tokens[t]!.end <= h.start) t++;
    for (let i = t; i < doc.tokens.length && doc.tokens[i]!.start < h.end; i++) if (doc.tokens[i]!.pos !== 'SPACE') idx.push(i);
    if (idx.length) units.push(makeUnit(doc, lex, view, idx, -1, true, extra));
  }
  return units;
}
