// Stage: events — who did what to whom, coded in PLOVER. Trigger patterns find candidate actions
// in each sentence; the actor mentions around a trigger give source and target; the learned coder
// (coder.ts) picks the type among the trigger's types. Own logic: no JS library does event coding.
import { sha256Hex } from '../hash.js';
import type { Doc } from '../segment.js';
import type { Actor, DateMention, EventRecord, Mention, PloverType, Quote, Sentence, Span, Token } from '../types.js';
import type { EventLexicon } from './lexicon.js';
import { findHits, findMode, findPhrase, matchAt, pairScores, type Hit } from './coder.js';
import type { Gazetteer, Place } from './places.js';

/** Tokens between a trigger and the actor mention taken as its source or target, at most. */
export const MAX_ACTOR_DISTANCE = 14;
/** A mention this close before a trigger is its own agent ("their Alaska summit"). */
const ADJACENT_AGENT = 2;
/** Tokens after a trigger searched for its target, at most (objects can follow a quoted phrase). */
export const MAX_TARGET_DISTANCE = 20;
/** Tokens before a trigger searched for negation and modality cues. */
export const CUE_WINDOW = 4;
/** A trigger type the model gives less than this probability (renormalised over the trigger's types) is dropped. */
export const MIN_TYPE_SHARE = 0.05;
/** Verbal types whose complement ("ready to discuss", "urged X to deploy") is their content, not a separate event. */
const COMPLEMENT_TYPES = new Set<PloverType>(['AGREE', 'REQUEST', 'REJECT', 'THREATEN', 'SUPPORT', 'ACCUSE', 'CONCEDE']);
/** Types coded only with a recipient in articles: without one, these words are mostly talk about talk. */
const NEEDS_TARGET = new Set<PloverType>(['AGREE', 'SUPPORT', 'COOPERATE', 'AID', 'REQUEST', 'ACCUSE', 'REJECT', 'THREATEN', 'SANCTION', 'COERCE']);
/** Tokens between an agent and a nominal trigger when a light verb joins them, at most. */
const LIGHT_GAP = 5;

// Code shape (why it looks like this): findEvents is a small driver over sentences, a sentence is
// a small driver over its triggers, and each decision about a trigger (source, attachment of a
// noun trigger, target, passive, type, modality, place, date) is its own top-level function with
// plain loops. V8 then optimises small units, and new object shapes met in one of them deoptimise
// that one only, instead of recompiling one huge function with dozens of inlined closures. The
// objects built here (mention refs, triggers, pairs, per-sentence state) always get every field.

interface MentionRef {
  actor: Actor;
  start: number; // token index within the sentence
  end: number;
  span: Span;
}

/** A candidate action: merged pattern hits on adjacent tokens, with all their types. */
interface Trigger {
  start: number;
  end: number;
  types: PloverType[];
}

/** Two mentions joined by "and" ("Putin and Trump"): `a` comes first. */
interface Pair {
  a: MentionRef;
  b: MentionRef;
}

/** Where an event took place, as found near its trigger. */
interface Located {
  name: string;
  country: string | undefined;
  lat: number | undefined;
  lon: number | undefined;
  span: Span;
}

/** What the whole article shares: inputs and the events found so far. */
interface ArticleState {
  doc: Doc;
  text: string;
  actors: Actor[];
  quotes: Quote[];
  dates: DateMention[];
  lex: EventLexicon;
  out: EventRecord[];
  byKey: Map<string, EventRecord>;
  /** Last dated event per source actor, so later sentences about the same act inherit its date. */
  lastDate: Map<string, string>;
}

/** What the triggers of one sentence share. */
interface SentenceState {
  si: number;
  sent: Sentence;
  tokens: Token[];
  mentions: MentionRef[];
  pairs: Pair[];
  /** Quotes whose cue lies in the sentence. */
  cues: Quote[];
  /** Context tags of the sentence, computed for its first event only. */
  contexts: string[] | null;
  /** Triggers before this token are a verbal act's content (see COMPLEMENT_TYPES)… */
  suppressUntil: number;
  /** …unless a new agent other than this actor stands right before them. */
  suppressedBy: string;
  /** The date said in the sentence, else the last one of the sentence before it in the paragraph. */
  date: string | undefined;
  /** Does the sentence itself say a date? */
  saysDate: boolean;
}

function id(parts: string[]): string {
  return 'ev_' + sha256Hex(parts.join('|')).slice(0, 16);
}

/**
 * Each sentence's actor mentions (those inside it), in actor then mention order: built once per
 * text instead of filtering every mention for every sentence.
 */
function mentionsBySentence(sentences: readonly Span[], actors: Actor[]): Array<Array<[Actor, Mention]>> {
  const out: Array<Array<[Actor, Mention]>> = [];
  for (let i = 0; i < sentences.length; i++) out.push([]);
  for (const a of actors) for (const m of a.mentions) {
    const si = sentenceOf(sentences, m.start);
    if (si >= 0 && m.end <= sentences[si]!.end) out[si]!.push([a, m]);
  }
  return out;
}

/** The last sentence starting at or before `at` (sentences are in text order, disjoint), or -1. */
function sentenceOf(sentences: readonly Span[], at: number): number {
  let lo = 0, hi = sentences.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (sentences[mid]!.start <= at) lo = mid + 1; else hi = mid; }
  return lo - 1;
}

/** Longer mentions first among those starting at the same token. */
function byStartThenLength(x: MentionRef, y: MentionRef): number {
  return x.start - y.start || y.end - y.start - (x.end - x.start);
}

/** Actor mentions inside a sentence as sentence-local token ranges; the longest wins an overlap. */
function mentionsIn(tokens: Token[], inSentence: Array<[Actor, Mention]>): MentionRef[] {
  const out: MentionRef[] = [];
  for (const [a, m] of inSentence) {
    let ts = -1;
    let te = -1;
    // Token starts only grow (segment() restores them in order): stop at the first past the mention.
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.start >= m.end) break;
      if (t.end > m.start) {
        if (ts < 0) ts = i;
        te = i + 1;
      }
    }
    if (ts >= 0) out.push({ actor: a, start: ts, end: te, span: { start: m.start, end: m.end } });
  }
  out.sort(byStartThenLength);
  const kept: MentionRef[] = [];
  for (const m of out) if (!overlapsAny(kept, m.start, m.end)) kept.push(m);
  return kept;
}

/** Does any mention overlap the token range [start, end)? */
function overlapsAny(mentions: MentionRef[], start: number, end: number): boolean {
  for (const k of mentions) if (start < k.end && k.start < end) return true;
  return false;
}

/** Mentions that can act: places and names after "in"/"at" are where things happen, not who acts. */
function actingMentions(tokens: Token[], all: MentionRef[], lex: EventLexicon): MentionRef[] {
  const out: MentionRef[] = [];
  for (const m of all) {
    if (m.actor.kind === 'place') continue;
    const before = m.start > 0 ? tokens[m.start - 1]!.norm : '';
    if (!lex.words.locationPrepositions.has(before)) out.push(m);
  }
  return out;
}

/**
 * "prepared to impose martial law": an intent phrase ending in "to" is the modality of the act
 * that follows it, so the following verb decides the type (see futureType).
 */
function isIntent(h: Hit, hits: Hit[], tokens: Token[]): boolean {
  if (h.type !== 'AGREE' || tokens[h.end - 1]?.norm !== 'to') return false;
  for (const o of hits) if (o.start === h.end && o.type !== 'AGREE') return true;
  return false;
}

function byStartThenLongest(a: Hit, b: Hit): number {
  return a.start - b.start || b.end - a.end;
}

/**
 * The sentence's triggers: pattern hits outside actor mentions, hits on the same or adjacent tokens
 * ("prepared to advance") merged into one trigger with all its types.
 */
function triggersIn(tokens: Token[], all: Hit[], mentions: MentionRef[]): Trigger[] {
  const out: Trigger[] = [];
  if (all.length === 0) return out;
  const hits: Hit[] = [];
  for (const h of all) if (!overlapsAny(mentions, h.start, h.end)) hits.push(h);
  const sorted: Hit[] = [];
  for (const h of hits) if (!isIntent(h, hits, tokens)) sorted.push(h);
  sorted.sort(byStartThenLongest);
  for (const h of sorted) {
    const last = out.length > 0 ? out[out.length - 1]! : null;
    if (last !== null && h.start <= last.end) {
      last.end = Math.max(last.end, h.end);
      if (!last.types.includes(h.type)) last.types.push(h.type);
    } else out.push({ start: h.start, end: h.end, types: [h.type] });
  }
  return out;
}

function isBoundary(t: Token): boolean {
  return t.norm === ';' || t.norm === ':';
}

/** Is there a clause boundary among tokens[from, to)? */
function hasBoundary(tokens: Token[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (isBoundary(tokens[i]!)) return true;
  return false;
}

/** Are tokens[from, to) all names or nouns (a title: "President")? */
function allNominal(tokens: Token[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const p = tokens[i]!.pos;
    if (p !== 'PROPN' && p !== 'NOUN') return false;
  }
  return true;
}

/** Is there a verb among tokens[from, to)? */
function hasVerb(tokens: Token[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (tokens[i]!.pos === 'VERB') return true;
  return false;
}

/** Mentions joined by "and" (allowing a title between: "President Putin and President Trump"). */
function coordinated(tokens: Token[], mentions: MentionRef[]): Pair[] {
  const pairs: Pair[] = [];
  for (const a of mentions) {
    if (a.end >= tokens.length || tokens[a.end]!.norm !== 'and') continue;
    const b = conjunct(tokens, mentions, a);
    if (b !== null && b.actor.id !== a.actor.id) pairs.push({ a, b });
  }
  return pairs;
}

/** The first mention after "A and", within three tokens of names or nouns. */
function conjunct(tokens: Token[], mentions: MentionRef[], a: MentionRef): MentionRef | null {
  for (const m of mentions) if (m.start > a.end && m.start - a.end <= 3 && allNominal(tokens, a.end + 1, m.start)) return m;
  return null;
}

/** Location of the event: "in Abu Dhabi", "the Alaska summit"; a region is refined by a city of it named in the paragraph. */
function findLocation(tokens: Token[], text: string, trig: Trigger, lex: EventLexicon, paragraph: Span): Located | null {
  const gaz = lex.places();
  for (let i = Math.max(0, trig.start - 3); i < tokens.length; i++) {
    const t = tokens[i]!;
    // The place's names start at `from`.
    let p: Place | null = null;
    let from = i;
    if (lex.words.locationPrepositions.has(t.norm) && i >= trig.start) {
      p = placeAfterPreposition(tokens, text, i, gaz);
      from = i + 1;
    } else if (t.pos === 'PROPN' && (i === 0 || tokens[i - 1]!.pos !== 'PROPN')) {
      p = placeBeforeHead(tokens, text, i, trig, lex, gaz);
    }
    if (p !== null) {
      // The name as written ("the Alaska summit": "Alaska"), spanning the run of names.
      const end = nameEnd(tokens, from);
      const name = text.slice(tokens[from]!.start, tokens[end - 1]!.end);
      const found: Located = { name, country: p.country, lat: p.lat, lon: p.lon, span: { start: tokens[from]!.start, end: tokens[end - 1]!.end } };
      return p.kind === 'region' ? cityOfRegion(text, paragraph, found, p, gaz) ?? found : found;
    }
    if (i > trig.end + MAX_ACTOR_DISTANCE) break;
  }
  return null;
}

/** "in Abu Dhabi": the place the names after a preposition at token i name, if any. */
function placeAfterPreposition(tokens: Token[], text: string, i: number, gaz: Gazetteer): Place | null {
  const end = nameEnd(tokens, i + 1);
  if (end === i + 1) return null;
  return gaz.lookup(text.slice(tokens[i + 1]!.start, tokens[end - 1]!.end)) ?? null;
}

/** "the Alaska summit": the place names starting at token i name before a setting noun that is (part of) the trigger. */
function placeBeforeHead(tokens: Token[], text: string, i: number, trig: Trigger, lex: EventLexicon, gaz: Gazetteer): Place | null {
  const end = nameEnd(tokens, i);
  const head = end < tokens.length ? tokens[end]!.norm : '';
  if (end === i || !lex.words.locationHeads.has(head) || end < trig.start || end > trig.end) return null;
  return gaz.lookup(text.slice(tokens[i]!.start, tokens[end - 1]!.end)) ?? null;
}

/** End (exclusive) of the run of proper nouns starting at token i (i itself when none). */
function nameEnd(tokens: Token[], i: number): number {
  let j = i;
  while (j < tokens.length && tokens[j]!.pos === 'PROPN') j++;
  return j;
}

/** Capitalised words, one or two: candidate city names in a paragraph. */
const CAPITALISED = /\b\p{Lu}[\p{L}-]+(?:\s\p{Lu}[\p{L}-]+)?/gu;

/** A city inside the region named in the same paragraph pins the place down ("Anchorage, Alaska"). */
function cityOfRegion(text: string, paragraph: Span, found: Located, region: Place, gaz: Gazetteer): Located | null {
  const para = text.slice(paragraph.start, paragraph.end);
  for (const m of para.matchAll(CAPITALISED)) {
    const c = gaz.cityIn(m[0], region);
    if (c) return { name: `${c.name}, ${found.name}`, country: found.country, lat: c.lat, lon: c.lon, span: found.span };
  }
  return null;
}

/** Context tag for an event the text places before the reported news (an earlier summit). */
export const HISTORICAL = 'historical';

const PARTICIPLE = /ed$|en$/;

/**
 * Is the act told as background? A historical cue near the trigger ("earlier", "last year"), a
 * past perfect ("had met"), or a nominal trigger inside a reduced relative clause ("the
 * understanding reached … during their summit").
 */
function isHistorical(tokens: Token[], lo: number, trig: Trigger, lex: EventLexicon): boolean {
  const from = Math.max(0, Math.min(lo, trig.start - CUE_WINDOW));
  if (findPhrase(tokens, lex.historical, from, Math.min(tokens.length, trig.end + CUE_WINDOW)) >= 0) return true;
  const head = tokens[trig.start]!;
  for (let i = Math.max(1, trig.start - MAX_ACTOR_DISTANCE); i < trig.start; i++) {
    const t = tokens[i]!;
    if (t.pos !== 'VERB' || !PARTICIPLE.test(t.norm)) continue;
    const prev = tokens[i - 1]!;
    if (prev.norm === 'had' && i >= from) return true;
    // "the understanding reached between…": NOUN + participle + preposition is a reduced relative.
    if (head.pos === 'NOUN' && prev.pos === 'NOUN' && i + 1 < tokens.length && tokens[i + 1]!.pos === 'ADP' && i >= 2 && tokens[i - 2]!.pos === 'DET') return true;
  }
  return false;
}

/** Tokens between a passive's subject and its participle, at most ("Ortiz was quickly shot"). */
const PASSIVE_SUBJECT_GAP = 3;

const PROGRESSIVE = /ing$/;

/** "was shot", "have been captured", "were quickly arrested" (not "is attacking"). */
function isPassive(tokens: Token[], i: number, passiveAux: Set<string>): boolean {
  // "is prepared to", "was set to": an adjectival participle before an infinitive is not passive.
  if (PROGRESSIVE.test(tokens[i]!.norm) || (i + 1 < tokens.length && tokens[i + 1]!.norm === 'to')) return false;
  let j = i - 1;
  while (j >= 0 && tokens[j]!.pos === 'ADV') j--;
  return j >= 0 && passiveAux.has(tokens[j]!.norm);
}

function phraseText(tokens: Token[], text: string, i: number, list: string[][]): string | undefined {
  for (const words of list) {
    let j = i;
    let ok = true;
    for (const w of words) {
      const t = tokens[j];
      if (!t || (w !== t.lemma && w !== t.norm)) { ok = false; break; }
      j++;
    }
    if (ok) return text.slice(tokens[i]!.start, tokens[j - 1]!.end);
  }
  return undefined;
}

/** One phrase of a context, with the context's index in the lexicon. */
interface ContextPhrase {
  k: number;
  words: string[];
}

/** Every context's phrases in one index by first word: a token is looked up once, not once per context. */
interface ContextIndex {
  byFirst: Map<string, ContextPhrase[]>;
  /** Phrases starting with the wildcard "*" (or empty): tried at every token. */
  anywhere: ContextPhrase[];
}
const contextIndexes = new WeakMap<EventLexicon['contexts'], ContextIndex>();
function contextIndex(contexts: EventLexicon['contexts']): ContextIndex {
  let ix = contextIndexes.get(contexts);
  if (!ix) {
    ix = { byFirst: new Map(), anywhere: [] };
    for (let k = 0; k < contexts.length; k++) {
      for (const words of contexts[k]!.phrases) {
        const w = words[0];
        if (w === undefined || w === '*') ix.anywhere.push({ k, words });
        else {
          const list = ix.byFirst.get(w);
          if (list) list.push({ k, words });
          else ix.byFirst.set(w, [{ k, words }]);
        }
      }
    }
    contextIndexes.set(contexts, ix);
  }
  return ix;
}

/** Mark the contexts of `list` one of whose phrases matches at token i. */
function markContexts(tokens: Token[], i: number, list: ContextPhrase[] | undefined, found: boolean[]): void {
  if (list) for (const p of list) if (!found[p.k] && matchAt(tokens, i, p.words) > 0) found[p.k] = true;
}

/** Per token of the sentence: is it inside an actor mention? */
function mentionMask(n: number, mentions: MentionRef[]): boolean[] {
  const mask: boolean[] = [];
  for (let i = 0; i < n; i++) mask.push(false);
  for (const m of mentions) for (let i = m.start; i < m.end && i < n; i++) mask[i] = true;
  return mask;
}

/**
 * The contexts (in lexicon order) one of whose phrases starts at a token outside names: the same as
 * asking phraseAt of each context's list at each such token, in one pass over the sentence.
 */
function contextsIn(tokens: Token[], inMention: boolean[], lex: EventLexicon): string[] {
  const ix = contextIndex(lex.contexts);
  const found: boolean[] = [];
  for (let k = 0; k < lex.contexts.length; k++) found.push(false);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (inMention[i] || t.pos === 'PROPN') continue;
    markContexts(tokens, i, ix.anywhere, found);
    markContexts(tokens, i, ix.byFirst.get(t.lemma), found);
    if (t.norm !== t.lemma) markContexts(tokens, i, ix.byFirst.get(t.norm), found);
  }
  const out: string[] = [];
  for (let k = 0; k < lex.contexts.length; k++) if (found[k]) out.push(lex.contexts[k]!.context);
  return out;
}

/**
 * Events in an article: one record per real-world action (same type, source, target and place
 * merge), each with evidence (its sentence), trigger span, negation, modality, place and date.
 */
export function findEvents(doc: Doc, actors: Actor[], quotes: Quote[], dates: DateMention[], lex: EventLexicon): EventRecord[] {
  const a: ArticleState = { doc, text: doc.text, actors, quotes, dates, lex, out: [], byKey: new Map(), lastDate: new Map() };
  const sentences = doc.structure.sentences;
  const sentMentions = mentionsBySentence(sentences, actors);
  for (let si = 0; si < sentences.length; si++) {
    if (sentMentions[si]!.length > 0) eventsInSentence(a, si, sentMentions[si]!);
  }
  return a.out;
}

/** The events of one sentence, in trigger order. */
function eventsInSentence(a: ArticleState, si: number, inSentence: Array<[Actor, Mention]>): void {
  const sent = a.doc.structure.sentences[si]!;
  const tokens = a.doc.tokens.slice(sent.tokenStart, sent.tokenEnd);
  // Pattern hits first: a sentence with none (most) has no trigger whatever its mentions, so its
  // mentions are not worked out (each is looked for among the tokens).
  const hits = findHits(tokens, a.lex);
  if (hits.length === 0) return;
  const mentions = actingMentions(tokens, mentionsIn(tokens, inSentence), a.lex);
  if (mentions.length === 0) return;
  const trigs = triggersIn(tokens, hits, mentions);
  // Most sentences hold no trigger: everything below is per-trigger work.
  if (trigs.length === 0) return;
  const s: SentenceState = {
    si, sent, tokens, mentions,
    pairs: coordinated(tokens, mentions),
    cues: cuesIn(a.quotes, sent),
    contexts: null,
    suppressUntil: -1,
    suppressedBy: '',
    date: undefined,
    saysDate: false,
  };
  sentenceDate(a, s);
  for (const trig of trigs) eventAt(a, s, trig);
}

/** Quotes whose cue lies in the sentence. */
function cuesIn(quotes: Quote[], sent: Span): Quote[] {
  const out: Quote[] = [];
  for (const q of quotes) if (q.cue && q.cue.start >= sent.start && q.cue.end <= sent.end) out.push(q);
  return out;
}

/**
 * Date: a date said in the sentence, else in the sentence before it in the same paragraph (the
 * last one there). An event's own source may supply one later (see eventAt).
 */
function sentenceDate(a: ArticleState, s: SentenceState): void {
  const sent = s.sent;
  let first: string | undefined;
  let said = false;
  for (const d of a.dates) if (d.start >= sent.start && d.end <= sent.end) { first = d.value; said = true; break; }
  let last: string | undefined;
  const prev = s.si > 0 ? a.doc.structure.sentences[s.si - 1]! : null;
  if (prev !== null && prev.paragraph === sent.paragraph) {
    for (const d of a.dates) if (d.start >= prev.start && d.end <= prev.end) last = d.value;
  }
  s.date = first ?? last;
  s.saysDate = said;
}

/**
 * A quote's cue that only reports ('"…," the diplomat acknowledged', "warned that …") is not an
 * event; a cue that commits or asks ("expressed willingness to", "advocated for") still is.
 */
function isReportingCue(s: SentenceState, trig: Trigger): boolean {
  const tokens = s.tokens;
  const from = tokens[trig.start]!.start;
  const to = tokens[trig.end - 1]!.end;
  const next = trig.end < tokens.length ? tokens[trig.end]! : null;
  for (const q of s.cues) {
    const cue = q.cue!;
    if (!(from < cue.end && cue.start < to)) continue;
    if (q.kind !== 'indirect' || q.content.end <= cue.start || next === null || next.norm === 'that' || next.pos === 'PUNCT') return true;
  }
  return false;
}

/** Inside a verbal act's content, only a new agent right before a trigger starts a new event. */
function adjacentAgent(mentions: MentionRef[], at: number): MentionRef | null {
  for (const m of mentions) if (m.end <= at && at - m.end <= ADJACENT_AGENT) return m;
  return null;
}

/** The last "their" right before a trigger, or -1. */
function theirBefore(tokens: Token[], at: number): number {
  let theirAt = -1;
  for (let i = Math.max(0, at - ADJACENT_AGENT); i < at; i++) if (tokens[i]!.norm === 'their') theirAt = i;
  return theirAt;
}

/** The last coordinated pair ending at or before token `at`. */
function lastPairBefore(pairs: Pair[], at: number): Pair | null {
  let found: Pair | null = null;
  for (const p of pairs) if (p.b.end <= at) found = p;
  return found;
}

/** Source: the nearest mention before the trigger within the clause. */
function nearestSource(tokens: Token[], mentions: MentionRef[], at: number): MentionRef | null {
  let src: MentionRef | null = null;
  for (const m of mentions) {
    if (m.end > at || at - m.end > MAX_ACTOR_DISTANCE) continue;
    if (hasBoundary(tokens, m.end, at)) continue;
    src = m;
  }
  return src;
}

/** "X said Y must …": the speaker, the last other mention before the modal's subject with a verb between. */
function modalSpeaker(tokens: Token[], mentions: MentionRef[], subject: MentionRef): MentionRef | null {
  let speaker: MentionRef | null = null;
  for (const m of mentions) {
    if (m.end < subject.start && m.actor.id !== subject.actor.id && hasVerb(tokens, m.end, subject.start)) speaker = m;
  }
  return speaker;
}

const APOSTROPHE_S = /['’]s$/;

function isApostropheS(t: Token): boolean {
  return t.norm === "'s" || t.norm === '’s';
}

/**
 * A noun trigger needs its agent attached: "Driscoll's meetings", "his address", "their Alaska
 * summit", "talks with X", "talks between X and Y". The agent, or null when none is attached.
 */
function nounAgent(text: string, s: SentenceState, trig: Trigger, src: MentionRef, theirPair: Pair | null, theirAt: number, lex: EventLexicon): MentionRef | null {
  const tokens = s.tokens;
  // "between X and Y": the pair are the participants.
  if (trig.end < tokens.length && tokens[trig.end]!.norm === 'between') {
    for (const p of s.pairs) if (p.a.start > trig.end && p.a.start <= trig.end + 2) return p.b;
  }
  const from = theirPair !== null ? theirAt + 1 : src.end;
  const to = trig.start;
  if (isPossessive(text, tokens, src, theirPair !== null, from, to, lex) && allAttachable(tokens, from, to)) return src;
  return isLightVerbGap(tokens, from, to, lex) ? src : null;
}

/** "their …", "his …", "Driscoll's …": the source owns what follows. */
function isPossessive(text: string, tokens: Token[], src: MentionRef, their: boolean, from: number, to: number, lex: EventLexicon): boolean {
  if (their) return true;
  const srcText = text.slice(src.span.start, src.span.end).toLowerCase();
  if (lex.words.possessives.has(srcText) || APOSTROPHE_S.test(srcText)) return true;
  return from < to && isApostropheS(tokens[from]!);
}

/** Only names, adjectives and particles between an owner and its noun ("their Alaska summit"). */
function allAttachable(tokens: Token[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    if (t.pos !== 'PROPN' && t.pos !== 'ADJ' && t.pos !== 'PART' && !isApostropheS(t)) return false;
  }
  return true;
}

/**
 * "held talks with", "has launched an investigation", "staged mass demonstrations": the light
 * verb's subject is the agent.
 */
function isLightVerbGap(tokens: Token[], from: number, to: number, lex: EventLexicon): boolean {
  if (to - from > LIGHT_GAP) return false;
  let g = from;
  while (g < to && (tokens[g]!.pos === 'AUX' || tokens[g]!.pos === 'ADV' || tokens[g]!.pos === 'PART')) g++;
  if (g >= to || !lex.words.lightVerbs.has(tokens[g]!.lemma)) return false;
  for (let i = g + 1; i < to; i++) {
    const p = tokens[i]!.pos;
    if (p !== 'DET' && p !== 'ADJ' && p !== 'NUM' && p !== 'ADV' && p !== 'NOUN') return false;
  }
  return true;
}

/** "warned that …": the "that" right after the trigger, whose clause is content, not recipient; or -1. */
function thatAfter(tokens: Token[], end: number): number {
  for (let i = end; i <= end + 1 && i < tokens.length; i++) if (tokens[i]!.norm === 'that') return i;
  return -1;
}

/** A mention after the trigger that can be its target: near, not the source, not across a boundary or "that". */
function isTargetCandidate(tokens: Token[], m: MentionRef, trig: Trigger, src: MentionRef, thatAt: number): boolean {
  return (thatAt < 0 || m.start < thatAt) && m.start >= trig.end && m.start - trig.end <= MAX_TARGET_DISTANCE
    && m.actor.id !== src.actor.id && !hasBoundary(tokens, trig.end, m.start);
}

/** Target: the nearest candidate after the trigger; an actor rarely acts on its own side, so another country's first. */
function nearestTarget(s: SentenceState, trig: Trigger, src: MentionRef, thatAt: number): MentionRef | null {
  let any: MentionRef | null = null;
  for (const m of s.mentions) {
    if (!isTargetCandidate(s.tokens, m, trig, src, thatAt)) continue;
    if (!m.actor.country || m.actor.country !== src.actor.country) return m;
    any ??= m;
  }
  return any;
}

/** "US President Donald Trump": a country name used as a title gives way to the person it introduces. */
function personAfter(s: SentenceState, trig: Trigger, src: MentionRef, thatAt: number, t0: MentionRef): MentionRef | null {
  const tokens = s.tokens;
  for (const m of s.mentions) {
    if (!isTargetCandidate(tokens, m, trig, src, thatAt)) continue;
    if (m.actor.kind === 'person' && m.start > t0.end && m.start - t0.end <= 2 && allNominal(tokens, t0.end, m.start)) return m;
  }
  return null;
}

/**
 * "X and Y met", "between X and Y": the coordinated mention is a co-source; a plural possessive
 * ("their summit") after such a pair refers to the pair.
 */
function pairOfSource(text: string, pairs: Pair[], src: MentionRef): Pair | null {
  for (const p of pairs) if (p.b === src) return p;
  if (text.slice(src.span.start, src.span.end).toLowerCase() !== 'their') return null;
  return lastPairBefore(pairs, src.start);
}

/** Passive "by" phrase: the first mention after the trigger right after "by". */
function byAgent(tokens: Token[], mentions: MentionRef[], end: number): MentionRef | null {
  for (const m of mentions) {
    if (m.start >= end && m.start - end <= MAX_ACTOR_DISTANCE && m.start > 0 && tokens[m.start - 1]!.norm === 'by') return m;
  }
  return null;
}

/** The type the model gives a trigger among its own types, with its share of them. */
interface TypeChoice {
  type: PloverType;
  share: number;
  rule: string;
}

/** Probability of a PLOVER type (YIELD covers CONCEDE and RETREAT). */
function probOf(t: PloverType, probs: number[], labels: string[]): number {
  const k = labels.indexOf(t === 'CONCEDE' || t === 'RETREAT' ? 'YIELD' : t);
  return k < 0 ? 0 : probs[k] ?? 0;
}

/** The model chooses among the trigger's own types; without a model the first type wins. */
function chooseType(tokens: Token[], trig: Trigger, agent: MentionRef | null, tgt: MentionRef | null, lex: EventLexicon): TypeChoice {
  const srcRange = agent !== null ? { start: agent.start, end: agent.end } : { start: 0, end: 0 };
  const tgtRange = tgt !== null ? { start: tgt.start, end: tgt.end } : { start: tokens.length, end: tokens.length };
  // The model's scores of pairFeatures' list plus the implicit-actor features (as the coder is trained).
  const probs = pairScores(tokens, srcRange, tgtRange, lex, tgt === null, agent === null);
  if (!probs || !lex.model) return { type: trig.types[0]!, share: 1, rule: 'plover-patterns' };
  const labels = lex.model.labels;
  // The first type with the highest probability (a stable sort's first).
  let type = trig.types[0]!;
  let best = probOf(type, probs, labels);
  let total = 0;
  for (const t of trig.types) {
    const p = probOf(t, probs, labels);
    total += p;
    if (p > best) { best = p; type = t; }
  }
  return { type, share: total > 0 ? best / total : 0, rule: `plover-patterns+${lex.model.name}` };
}

const NEGATORS_AFTER = new Set(['no', 'not', 'never']);

/** Negation cue before the trigger, or a negator right after it ("demonstrates no intention", "met no one"); or -1. */
function negationAt(tokens: Token[], trig: Trigger, lo: number, lex: EventLexicon): number {
  const before = findPhrase(tokens, lex.negation, lo, trig.start);
  const after = trig.end < tokens.length && NEGATORS_AFTER.has(tokens[trig.end]!.norm) ? trig.end : -1;
  return Math.max(before, after);
}

const INTENT_START = /^(ready|prepared|willing|willingness) /;

/** Modality cue just before the trigger ("ready to", "will"), or the trigger itself when it is one ("prepared to"). */
function modalityOf(tokens: Token[], text: string, trig: Trigger, lo: number, lex: EventLexicon): string | undefined {
  let modality: string | undefined;
  for (let i = lo; i <= trig.start && !modality; i++) modality = phraseText(tokens, text, i, lex.modality);
  if (!modality && INTENT_START.test(triggerText(tokens, trig) + ' ')) modality = text.slice(tokens[trig.start]!.start, tokens[trig.end - 1]!.end);
  return modality;
}

function triggerText(tokens: Token[], trig: Trigger): string {
  let s = tokens[trig.start]!.norm;
  for (let i = trig.start + 1; i < trig.end; i++) s += ' ' + tokens[i]!.norm;
  return s;
}

/** A future cue ("will", "plans to") among tokens[lo, hi)? */
function hasFutureCue(tokens: Token[], lo: number, hi: number, lex: EventLexicon): boolean {
  for (let i = lo; i < hi; i++) if (lex.words.futureCues.has(tokens[i]!.norm)) return true;
  return false;
}

/**
 * PLOVER: future cooperation is AGREE, a future coercive act is a THREAT, a refusal ("would not
 * meet their demands") is REJECT, an announced retreat is a CONCESSION.
 */
function futureType(type: PloverType, negAt: number, lex: EventLexicon): PloverType {
  const q = lex.quad[type];
  if (negAt >= 0 && (q === 1 || q === 2)) return 'REJECT';
  if (type === 'RETREAT') return 'CONCEDE';
  if (q === 4) return 'THREATEN';
  if ((q === 1 || q === 2) && type !== 'CONCEDE') return 'AGREE';
  return type;
}

/** A meeting held in a country none of its participants belongs to is mediated ("third-party"). */
function isThirdParty(loc: Located | null, sources: MentionRef[], tgt: MentionRef | null): boolean {
  if (loc === null || !loc.country) return false;
  for (const m of sources) if (m.actor.country === loc.country) return false;
  return !tgt || tgt.actor.country !== loc.country;
}

/** Source actor ids (unique, in order), with a same-country speaker who announces the act first. */
function sourceIds(a: ArticleState, s: SentenceState, sources: MentionRef[], src: MentionRef, passive: boolean): string[] {
  const ids: string[] = [];
  for (const m of sources) if (!ids.includes(m.actor.id)) ids.push(m.actor.id);
  // "X announced that Kyiv is prepared to…": the announcer shares the act.
  if (!passive && (src.actor.kind === 'country' || src.actor.kind === 'organization')) {
    const speaker = announcer(a, s, src);
    if (speaker && !ids.includes(speaker)) ids.unshift(speaker);
  }
  return ids;
}

/** The speaker of a quote holding the source, if of its country; else an earlier person of its country. */
function announcer(a: ArticleState, s: SentenceState, src: MentionRef): string | undefined {
  let quoted: string | null = null;
  for (const q of a.quotes) {
    if (q.speaker && q.content.start <= src.span.start && q.content.end >= src.span.end) { quoted = q.speaker; break; }
  }
  if (quoted && countryOf(a.actors, quoted) === src.actor.country) return quoted;
  for (const m of s.mentions) {
    if (m.start < src.start && m.actor.kind === 'person' && m.actor.country && m.actor.country === src.actor.country) return m.actor.id;
  }
  return undefined;
}

/** Country of the actor with this id (undefined when unknown or absent). */
function countryOf(actors: Actor[], id: string): string | undefined {
  for (const x of actors) if (x.id === id) return x.country;
  return undefined;
}

/** The earliest clause boundary after token i, or the sentence end. */
function boundaryAfter(tokens: Token[], i: number): number {
  for (let j = i + 1; j < tokens.length; j++) if (isBoundary(tokens[j]!)) return j;
  return tokens.length;
}

/** One trigger: decide who did what to whom, and record it (or merge it into an equal event). */
function eventAt(a: ArticleState, s: SentenceState, trig: Trigger): void {
  const { tokens, mentions } = s;
  const lex = a.lex;
  if (isReportingCue(s, trig)) return;
  const adjacent = adjacentAgent(mentions, trig.start);
  // "X and Y … their summit": an unresolved plural possessive right before a trigger is the pair.
  const theirAt = theirBefore(tokens, trig.start);
  const theirPair = theirAt >= 0 && adjacent === null ? lastPairBefore(s.pairs, theirAt) : null;
  if (trig.start < s.suppressUntil && theirPair === null && (adjacent === null || adjacent.actor.id === s.suppressedBy)) return;
  let src = theirPair !== null ? theirPair.b : nearestSource(tokens, mentions, trig.start);
  if (src === null) return;
  const head = tokens[trig.start]!;
  // A lone adjective ("free agent") or a capitalised name ("Promises Treatment Center") is no act.
  if (trig.end - trig.start === 1 && (head.pos === 'ADJ' || (head.pos === 'PROPN' && trig.start > 0))) return;
  // A word glued into a compound ("US-supported") is not an action of its own.
  if (trig.start > 0 && tokens[trig.start - 1]!.norm === '-') return;
  // "X said Y must …": the speaker asks, the modal's subject is asked.
  let modalTarget: MentionRef | null = null;
  if (lex.words.modalTriggers.has(head.norm)) {
    const nextPos = trig.start + 1 < tokens.length ? tokens[trig.start + 1]!.pos : '';
    if (nextPos !== 'VERB' && nextPos !== 'AUX') return;
    // The verb after the modal is what is asked for, not a second act.
    trig.types = trig.types.filter(isRequest);
    if (trig.types.length === 0) return;
    // The mention right before the modal is its subject unless a preposition governs it ("decisions about Europe must").
    if (trig.start - src.end <= 1 && (src.start === 0 || tokens[src.start - 1]!.pos !== 'ADP')) {
      const speaker = modalSpeaker(tokens, mentions, src);
      if (speaker === null) return;
      modalTarget = src;
      src = speaker;
    } else if (src.actor.kind !== 'person') return;
  }
  if (head.pos === 'NOUN' || head.pos === 'PROPN') {
    src = nounAgent(a.text, s, trig, src, theirPair, theirAt, lex);
    if (src === null) return;
  }
  const thatAt = thatAfter(tokens, trig.end);
  let tgt = modalTarget ?? nearestTarget(s, trig, src, thatAt);
  if (tgt !== null && tgt.actor.kind !== 'person') tgt = personAfter(s, trig, src, thatAt, tgt) ?? tgt;
  const pair = theirPair ?? pairOfSource(a.text, s.pairs, src);
  let sources: MentionRef[];
  if (pair !== null) {
    sources = [pair.a, pair.b];
    // Participants listed together act together: none of them is also the recipient.
    if (tgt !== null && (pair.a.actor.id === tgt.actor.id || pair.b.actor.id === tgt.actor.id)) tgt = null;
  } else sources = [src];
  // Passive voice ("Ortiz was shot", "boats were captured by the navy"): the subject is the
  // recipient, the "by" phrase (if any) the actor.
  const passive = head.pos === 'VERB' && pair === null && isPassive(tokens, trig.start, lex.words.passiveAux);
  if (passive) {
    const agent = byAgent(tokens, mentions, trig.end);
    // Only a mention right before the auxiliary is the passive's subject ("three boats were captured" has none).
    tgt = trig.start - src.end <= PASSIVE_SUBJECT_GAP && (agent === null || agent.actor.id !== src.actor.id) ? src : null;
    sources = agent !== null ? [agent] : [];
    if (tgt === null && agent === null) return;
  }
  const agentM = sources.length > 0 ? sources[0]! : null;
  const choice = chooseType(tokens, trig, agentM, tgt, lex);
  if (choice.share < MIN_TYPE_SHARE) return;
  let type = choice.type;
  // Coordinated sources ("Bosnia and Slovenia agreed …") act on each other: no recipient needed.
  if (tgt === null && NEEDS_TARGET.has(type) && sources.length < 2) return;
  // Negation and modality: cues just before the trigger ("refused to meet", "ready to").
  const lo = Math.max(src.end, trig.start - CUE_WINDOW);
  const negAt = negationAt(tokens, trig, lo, lex);
  const modality = modalityOf(tokens, a.text, trig, lo, lex);
  if (hasFutureCue(tokens, lo, trig.start, lex)) type = futureType(type, negAt, lex);
  // Mode cues lie in the clause: from the source to a little past the trigger ("amended plan must…").
  const mode = findMode(tokens, type, trig.start, Math.min(tokens.length, trig.end + MAX_ACTOR_DISTANCE), lex)
    ?? findMode(tokens, type, src.end, trig.start, lex);
  const loc = findLocation(tokens, a.text, trig, lex, a.doc.structure.paragraphs[s.sent.paragraph]!);
  // Context words count outside names ("US Army Secretary" says nothing about the topic).
  // The same for every trigger of the sentence: computed once.
  s.contexts ??= contextsIn(tokens, mentionMask(tokens.length, mentions), lex);
  const context = s.contexts.slice();
  if (isHistorical(tokens, src.end, trig, lex)) context.push(HISTORICAL);
  // Else the last date of an earlier event by the same source (a later line on the same act).
  const date = s.date ?? (agentM !== null ? a.lastDate.get(agentM.actor.id) : undefined);
  const finalMode = type === 'CONSULT' && isThirdParty(loc, sources, tgt) ? 'third-party' : mode;
  const srcIds = sourceIds(a, s, sources, src, passive);
  const tgtIds = tgt !== null ? [tgt.actor.id] : [];
  const trigger = { start: tokens[trig.start]!.start, end: tokens[trig.end - 1]!.end };
  const key = [type, [...srcIds].sort().join(','), [...tgtIds].sort().join(','), loc?.name ?? ''].join('|');
  const prev = a.byKey.get(key);
  if (prev) {
    prev.date ??= date;
    return;
  }
  const rec = eventRecord(key, type, finalMode, context, srcIds, tgtIds, loc, date, negAt >= 0, modality, s.sent, trigger, choice.rule);
  a.byKey.set(key, rec);
  a.out.push(rec);
  if (date && s.saysDate) for (const actorId of srcIds) a.lastDate.set(actorId, date);
  // The complement of a verbal act ("ready to discuss…", "advocated for X to deploy…") is its content.
  if (COMPLEMENT_TYPES.has(type)) {
    s.suppressUntil = boundaryAfter(tokens, trig.end);
    s.suppressedBy = src.actor.id;
  }
}

function isRequest(t: PloverType): boolean {
  return t === 'REQUEST';
}

/** The record, its optional fields present only when set (in this key order: the output's). */
function eventRecord(key: string, type: PloverType, mode: string | undefined, context: string[], source: string[], target: string[],
  loc: Located | null, date: string | undefined, negated: boolean, modality: string | undefined, sent: Span, trigger: Span, rule: string): EventRecord {
  return {
    id: id([key, String(trigger.start)]),
    type,
    ...(mode ? { mode } : {}),
    context,
    source,
    target,
    ...(loc ? { location: { name: loc.name, ...(loc.country ? { country: loc.country } : {}), ...(loc.lat !== undefined ? { lat: loc.lat, lon: loc.lon } : {}), span: loc.span } } : {}),
    ...(date ? { date } : {}),
    ...(negated ? { negated: true } : {}),
    ...(modality ? { modality } : {}),
    evidence: { start: sent.start, end: sent.end },
    trigger,
    rule,
  };
}
