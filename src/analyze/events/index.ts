// Stage: events — who did what to whom, coded in PLOVER. Trigger patterns find candidate actions
// in each sentence; the actor mentions around a trigger give source and target; the learned coder
// (coder.ts) picks the type among the trigger's types. Own logic: no JS library does event coding.
import { createHash } from 'node:crypto';
import type { Doc } from '../segment.js';
import type { Actor, DateMention, EventRecord, Mention, PloverType, Quote, Span, Token } from '../types.js';
import type { EventLexicon } from './lexicon.js';
import { findHits, findMode, findPhrase, matchAt, phraseAt, scoreFeatures, pairFeatures, type Hit } from './coder.js';
import type { Place } from './places.js';

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

interface MentionRef {
  actor: Actor;
  start: number; // token index within the sentence
  end: number;
  span: Span;
}

function id(parts: string[]): string {
  return 'ev_' + createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 16);
}

/**
 * Each sentence's actor mentions (those inside it), in actor then mention order: built once per
 * text instead of filtering every mention for every sentence.
 */
function mentionsBySentence(sentences: readonly Span[], actors: Actor[]): Array<Array<[Actor, Mention]>> {
  const out = sentences.map((): Array<[Actor, Mention]> => []);
  for (const a of actors) for (const m of a.mentions) {
    // The last sentence starting at or before the mention (sentences are in text order, disjoint).
    let lo = 0, hi = sentences.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (sentences[mid]!.start <= m.start) lo = mid + 1; else hi = mid; }
    const si = lo - 1;
    if (si >= 0 && m.end <= sentences[si]!.end) out[si]!.push([a, m]);
  }
  return out;
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
  out.sort((x, y) => x.start - y.start || y.end - y.start - (x.end - x.start));
  const kept: MentionRef[] = [];
  for (const m of out) {
    const clash = kept.find((k) => m.start < k.end && k.start < m.end);
    if (!clash) kept.push(m);
  }
  return kept;
}

/** Merge hits on the same or adjacent tokens ("prepared to advance") into one trigger with all its types. */
function triggers(hits: Hit[], tokens: Token[]): Array<{ start: number; end: number; types: PloverType[] }> {
  // "prepared to impose martial law": an intent phrase ending in "to" is the modality of the act
  // that follows it, so the following verb decides the type (see futureType).
  const intent = (h: Hit): boolean => h.type === 'AGREE' && tokens[h.end - 1]?.norm === 'to' && hits.some((o) => o.start === h.end && o.type !== 'AGREE');
  const sorted = hits.filter((h) => !intent(h)).sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Array<{ start: number; end: number; types: PloverType[] }> = [];
  for (const h of sorted) {
    const last = out[out.length - 1];
    if (last && h.start <= last.end) {
      last.end = Math.max(last.end, h.end);
      if (!last.types.includes(h.type)) last.types.push(h.type);
    } else out.push({ start: h.start, end: h.end, types: [h.type] });
  }
  return out;
}

function isBoundary(t: Token): boolean {
  return t.norm === ';' || t.norm === ':';
}

/** Mentions joined by "and" (allowing a title between: "President Putin and President Trump"). */
function coordinated(tokens: Token[], mentions: MentionRef[]): Array<[MentionRef, MentionRef]> {
  const pairs: Array<[MentionRef, MentionRef]> = [];
  for (const a of mentions) {
    if (tokens[a.end]?.norm !== 'and') continue;
    const b = mentions.find((m) => m.start > a.end && m.start - a.end <= 3 && tokens.slice(a.end + 1, m.start).every((t) => t.pos === 'PROPN' || t.pos === 'NOUN'));
    if (b && b.actor.id !== a.actor.id) pairs.push([a, b]);
  }
  return pairs;
}

/** Location of the event: "in Abu Dhabi", "the Alaska summit"; a region is refined by a city of it named in the paragraph. */
function findLocation(tokens: Token[], text: string, trig: { start: number; end: number }, lex: EventLexicon, paragraph: Span): (Place & { span: Span }) | undefined {
  const gaz = lex.places();
  const nameAt = (i: number): { end: number; name: string } | null => {
    let j = i;
    while (j < tokens.length && tokens[j]!.pos === 'PROPN') j++;
    if (j === i) return null;
    return { end: j, name: text.slice(tokens[i]!.start, tokens[j - 1]!.end) };
  };
  let found: (Place & { span: Span }) | undefined;
  for (let i = Math.max(0, trig.start - 3); i < tokens.length && !found; i++) {
    const t = tokens[i]!;
    if (lex.words.locationPrepositions.has(t.norm) && i >= trig.start) {
      const n = nameAt(i + 1);
      const p = n && gaz.lookup(n.name);
      if (n && p) found = { ...p, name: n.name, span: { start: tokens[i + 1]!.start, end: tokens[n.end - 1]!.end } };
    } else if (t.pos === 'PROPN' && (tokens[i - 1]?.pos !== 'PROPN')) {
      const n = nameAt(i);
      if (n && lex.words.locationHeads.has(tokens[n.end]?.norm ?? '') && n.end >= trig.start && n.end <= trig.end) {
        const p = gaz.lookup(n.name);
        if (p) found = { ...p, name: n.name, span: { start: t.start, end: tokens[n.end - 1]!.end } };
      }
    }
    if (i > trig.end + MAX_ACTOR_DISTANCE) break;
  }
  if (found && found.kind === 'region') {
    // A city inside the region named in the same paragraph pins the place down ("Anchorage, Alaska").
    const para = text.slice(paragraph.start, paragraph.end);
    for (const m of para.matchAll(/\b\p{Lu}[\p{L}-]+(?:\s\p{Lu}[\p{L}-]+)?/gu)) {
      const c = gaz.cityIn(m[0], found);
      if (c) return { ...found, name: `${c.name}, ${found.name}`, lat: c.lat, lon: c.lon, kind: 'city' };
    }
  }
  return found;
}

/** Context tag for an event the text places before the reported news (an earlier summit). */
export const HISTORICAL = 'historical';

/**
 * Is the act told as background? A historical cue near the trigger ("earlier", "last year"), a
 * past perfect ("had met"), or a nominal trigger inside a reduced relative clause ("the
 * understanding reached … during their summit").
 */
function isHistorical(tokens: Token[], lo: number, trig: { start: number; end: number }, lex: EventLexicon): boolean {
  const from = Math.max(0, Math.min(lo, trig.start - CUE_WINDOW));
  if (findPhrase(tokens, lex.historical, from, Math.min(tokens.length, trig.end + CUE_WINDOW)) >= 0) return true;
  const head = tokens[trig.start]!;
  for (let i = Math.max(1, trig.start - MAX_ACTOR_DISTANCE); i < trig.start; i++) {
    const t = tokens[i]!;
    if (t.pos !== 'VERB' || !/ed$|en$/.test(t.norm)) continue;
    const prev = tokens[i - 1]!;
    if (prev.norm === 'had' && i >= from) return true;
    // "the understanding reached between…": NOUN + participle + preposition is a reduced relative.
    if (head.pos === 'NOUN' && prev.pos === 'NOUN' && tokens[i + 1]?.pos === 'ADP' && tokens[i - 2]?.pos === 'DET') return true;
  }
  return false;
}

/** Tokens between a passive's subject and its participle, at most ("Ortiz was quickly shot"). */
const PASSIVE_SUBJECT_GAP = 3;

/** "was shot", "have been captured", "were quickly arrested" (not "is attacking"). */
function isPassive(tokens: Token[], i: number, passiveAux: Set<string>): boolean {
  // "is prepared to", "was set to": an adjectival participle before an infinitive is not passive.
  if (/ing$/.test(tokens[i]!.norm) || tokens[i + 1]?.norm === 'to') return false;
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

/** Every context's phrases in one index by first word: a token is looked up once, not once per context. */
interface ContextIndex {
  byFirst: Map<string, Array<{ k: number; words: string[] }>>;
  /** Phrases starting with the wildcard "*" (or empty): tried at every token. */
  anywhere: Array<{ k: number; words: string[] }>;
}
const contextIndexes = new WeakMap<EventLexicon['contexts'], ContextIndex>();
function contextIndex(contexts: EventLexicon['contexts']): ContextIndex {
  let ix = contextIndexes.get(contexts);
  if (!ix) {
    ix = { byFirst: new Map(), anywhere: [] };
    contexts.forEach((c, k) => {
      for (const words of c.phrases) {
        const w = words[0];
        if (w === undefined || w === '*') ix!.anywhere.push({ k, words });
        else {
          const list = ix!.byFirst.get(w);
          if (list) list.push({ k, words });
          else ix!.byFirst.set(w, [{ k, words }]);
        }
      }
    });
    contextIndexes.set(contexts, ix);
  }
  return ix;
}

/**
 * The contexts (in lexicon order) one of whose phrases starts at a token outside names: the same as
 * asking phraseAt of each context's list at each such token, in one pass over the sentence.
 */
function contextsIn(tokens: Token[], inMention: boolean[], lex: EventLexicon): string[] {
  const ix = contextIndex(lex.contexts);
  const found = new Array<boolean>(lex.contexts.length).fill(false);
  const tryAll = (i: number, list: Array<{ k: number; words: string[] }> | undefined): void => {
    if (list) for (const { k, words } of list) if (!found[k] && matchAt(tokens, i, words) > 0) found[k] = true;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (inMention[i] || t.pos === 'PROPN') continue;
    tryAll(i, ix.anywhere);
    tryAll(i, ix.byFirst.get(t.lemma));
    if (t.norm !== t.lemma) tryAll(i, ix.byFirst.get(t.norm));
  }
  return lex.contexts.filter((_, k) => found[k]).map((c) => c.context);
}

/**
 * Events in an article: one record per real-world action (same type, source, target and place
 * merge), each with evidence (its sentence), trigger span, negation, modality, place and date.
 */
export function findEvents(doc: Doc, actors: Actor[], quotes: Quote[], dates: DateMention[], lex: EventLexicon): EventRecord[] {
  const text = doc.text;
  const out: EventRecord[] = [];
  const byKey = new Map<string, EventRecord>();
  /** Last dated event per source actor, so later sentences about the same act inherit its date. */
  const lastDate = new Map<string, string>();
  const sentMentions = mentionsBySentence(doc.structure.sentences, actors);
  for (const [si, sent] of doc.structure.sentences.entries()) {
    if (sentMentions[si]!.length === 0) continue;
    const tokens = doc.tokens.slice(sent.tokenStart, sent.tokenEnd);
    // Places and names after "in"/"at" are where things happen, not who acts.
    const mentions = mentionsIn(tokens, sentMentions[si]!).filter((m) => m.actor.kind !== 'place' && !lex.words.locationPrepositions.has(tokens[m.start - 1]?.norm ?? ''));
    if (mentions.length === 0) continue;
    const trigs = triggers(findHits(tokens, lex).filter((h) => !mentions.some((m) => h.start < m.end && m.start < h.end)), tokens);
    // Most sentences hold no trigger: everything below is per-trigger work.
    if (trigs.length === 0) continue;
    const pairs = coordinated(tokens, mentions);
    let sentContexts: string[] | undefined;
    let suppressUntil = -1;
    let suppressedBy = '';
    // A quote's cue that only reports ('"…," the diplomat acknowledged', "warned that …") is not an
    // event; a cue that commits or asks ("expressed willingness to", "advocated for") still is.
    const cues: Array<{ cue: Span; q: Quote }> = [];
    for (const q of quotes) if (q.cue && q.cue.start >= sent.start && q.cue.end <= sent.end) cues.push({ cue: q.cue, q });
    for (const trig of trigs) {
      const next = tokens[trig.end];
      const reportsOnly = (q: Quote): boolean => q.kind !== 'indirect' || q.content.end <= q.cue!.start || !next || next.norm === 'that' || next.pos === 'PUNCT';
      if (cues.some(({ cue, q }) => tokens[trig.start]!.start < cue.end && cue.start < tokens[trig.end - 1]!.end && reportsOnly(q))) continue;
      // Inside a verbal act's content, only a new agent right before a trigger starts a new event.
      const adjacent = mentions.find((m) => m.end <= trig.start && trig.start - m.end <= ADJACENT_AGENT);
      // "X and Y … their summit": an unresolved plural possessive right before a trigger is the pair.
      let theirAt = -1;
      for (let i = Math.max(0, trig.start - ADJACENT_AGENT); i < trig.start; i++) if (tokens[i]!.norm === 'their') theirAt = i;
      const theirPair = theirAt >= 0 && !adjacent ? pairs.filter(([, b]) => b.end <= theirAt).pop() : undefined;
      if (trig.start < suppressUntil && !theirPair && (!adjacent || adjacent.actor.id === suppressedBy)) continue;
      // Source: the nearest mention before the trigger within the clause; target: the nearest after.
      let src: MentionRef | undefined;
      for (const m of mentions) {
        if (m.end > trig.start || trig.start - m.end > MAX_ACTOR_DISTANCE) continue;
        if (tokens.slice(m.end, trig.start).some(isBoundary)) continue;
        src = m;
      }
      if (theirPair) src = theirPair[1];
      if (!src) continue;
      const head = tokens[trig.start]!;
      // A lone adjective ("free agent") or a capitalised name ("Promises Treatment Center") is no act.
      if (trig.end - trig.start === 1 && (head.pos === 'ADJ' || (head.pos === 'PROPN' && trig.start > 0))) continue;
      // A word glued into a compound ("US-supported") is not an action of its own.
      if (tokens[trig.start - 1]?.norm === '-') continue;
      // "X said Y must …": the speaker asks, the modal's subject is asked.
      let modalTarget: MentionRef | undefined;
      if (lex.words.modalTriggers.has(head.norm)) {
        const nextPos = tokens[trig.start + 1]?.pos;
        if (nextPos !== 'VERB' && nextPos !== 'AUX') continue;
        // The verb after the modal is what is asked for, not a second act.
        trig.types = trig.types.filter((t) => t === 'REQUEST');
        if (!trig.types.length) continue;
        // The mention right before the modal is its subject unless a preposition governs it ("decisions about Europe must").
        if (trig.start - src.end <= 1 && tokens[src.start - 1]?.pos !== 'ADP') {
          const subject = src;
          const speaker = mentions.filter((m) => m.end < subject.start && m.actor.id !== subject.actor.id && tokens.slice(m.end, subject.start).some((t) => t.pos === 'VERB')).pop();
          if (!speaker) continue;
          modalTarget = subject;
          src = speaker;
        } else if (src.actor.kind !== 'person') continue;
      }
      // A noun trigger needs its agent attached: "Driscoll's meetings", "his address", "their Alaska summit", "talks with X".
      if (head.pos === 'NOUN' || head.pos === 'PROPN') {
        const gap = tokens.slice(theirPair ? theirAt + 1 : src.end, trig.start);
        const srcText = text.slice(src.span.start, src.span.end).toLowerCase();
        const possessive = !!theirPair || lex.words.possessives.has(srcText) || /['’]s$/.test(srcText) || gap[0]?.norm === "'s" || gap[0]?.norm === '’s';
        const attached = possessive && gap.every((t) => t.pos === 'PROPN' || t.pos === 'ADJ' || t.pos === 'PART' || t.norm === "'s" || t.norm === '’s');
        // "held talks with", "has launched an investigation", "staged mass demonstrations": the
        // light verb's subject is the agent.
        let g = 0;
        while (g < gap.length && (gap[g]!.pos === 'AUX' || gap[g]!.pos === 'ADV' || gap[g]!.pos === 'PART')) g++;
        const light = g < gap.length && gap.length <= LIGHT_GAP && lex.words.lightVerbs.has(gap[g]!.lemma) && gap.slice(g + 1).every((t) => t.pos === 'DET' || t.pos === 'ADJ' || t.pos === 'NUM' || t.pos === 'ADV' || t.pos === 'NOUN');
        const betweenPair = tokens[trig.end]?.norm === 'between' ? pairs.find(([a]) => a.start > trig.end && a.start <= trig.end + 2) : undefined;
        if (betweenPair) src = betweenPair[1];
        else if (!attached && !light) continue;
      }
      // "warned that …": what follows the complementiser is the content, not the recipient.
      const thatAt = tokens.findIndex((t, i) => i >= trig.end && i <= trig.end + 1 && t.norm === 'that');
      const after = mentions.filter((m) => thatAt < 0 || m.start < thatAt).filter((m) => m.start >= trig.end && m.start - trig.end <= MAX_TARGET_DISTANCE && m.actor.id !== src!.actor.id && !tokens.slice(trig.end, m.start).some(isBoundary));
      // An actor rarely acts on its own side: prefer a target from another country.
      let tgt: MentionRef | undefined = modalTarget ?? after.find((m) => !m.actor.country || m.actor.country !== src!.actor.country) ?? after[0];
      // "US President Donald Trump": a country name used as a title gives way to the person it introduces.
      if (tgt && tgt.actor.kind !== 'person') {
        const t0 = tgt;
        const person = after.find((m) => m.actor.kind === 'person' && m.start > t0.end && m.start - t0.end <= 2 && tokens.slice(t0.end, m.start).every((t) => t.pos === 'PROPN' || t.pos === 'NOUN'));
        if (person) tgt = person;
      }
      // "between X and Y": both are participants (sources) of a meeting.
      const sources: MentionRef[] = [src];
      // "X and Y met", "between X and Y": the coordinated mention is a co-source; a plural
      // possessive ("their summit") after such a pair refers to the pair.
      const srcWord = text.slice(src.span.start, src.span.end).toLowerCase();
      const pair = theirPair ?? pairs.find(([, b]) => b === src!) ?? (srcWord === 'their' ? pairs.filter(([, b]) => b.end <= src!.start).pop() : undefined);
      if (pair) {
        sources.length = 0;
        sources.push(pair[0], pair[1]);
        // Participants listed together act together: none of them is also the recipient.
        if (tgt && sources.some((m) => m.actor.id === tgt!.actor.id)) tgt = undefined;
      }
      // Passive voice ("Ortiz was shot", "boats were captured by the navy"): the subject is the
      // recipient, the "by" phrase (if any) the actor.
      const passive = head.pos === 'VERB' && !pair && isPassive(tokens, trig.start, lex.words.passiveAux);
      if (passive) {
        const agent = mentions.find((m) => m.start >= trig.end && m.start - trig.end <= MAX_ACTOR_DISTANCE && tokens[m.start - 1]?.norm === 'by');
        // Only a mention right before the auxiliary is the passive's subject ("three boats were captured" has none).
        tgt = trig.start - src.end <= PASSIVE_SUBJECT_GAP && (!agent || agent.actor.id !== src.actor.id) ? src : undefined;
        sources.length = 0;
        if (agent) sources.push(agent);
        if (!tgt && !agent) continue;
      }
      const agentM = sources[0];
      const srcRange = agentM ? { start: agentM.start, end: agentM.end } : { start: 0, end: 0 };
      const tgtRange = tgt ? { start: tgt.start, end: tgt.end } : { start: tokens.length, end: tokens.length };
      const pf = pairFeatures(tokens, srcRange, tgtRange, lex);
      const probs = scoreFeatures([...pf.features, ...(tgt ? [] : ['implicit:target']), ...(agentM ? [] : ['implicit:source'])], lex);
      // The model chooses among the trigger's own types (YIELD covers CONCEDE and RETREAT).
      let type: PloverType = trig.types[0]!;
      let share = 1;
      let rule = 'plover-patterns';
      if (probs && lex.model) {
        const labels = lex.model.labels;
        const pOf = (t: PloverType): number => probs[labels.indexOf(t === 'CONCEDE' || t === 'RETREAT' ? 'YIELD' : t)] ?? 0;
        const total = trig.types.reduce((a, t) => a + pOf(t), 0);
        type = [...trig.types].sort((a, b) => pOf(b) - pOf(a))[0]!;
        share = total > 0 ? pOf(type) / total : 0;
        rule = `plover-patterns+${lex.model.name}`;
      }
      if (share < MIN_TYPE_SHARE) continue;
      // Coordinated sources ("Bosnia and Slovenia agreed …") act on each other: no recipient needed.
      if (!tgt && NEEDS_TARGET.has(type) && sources.length < 2) continue;
      // Negation and modality: cues just before the trigger ("refused to meet", "ready to").
      const lo = Math.max(src.end, trig.start - CUE_WINDOW);
      // "demonstrates no intention", "met no one": a negator right after the trigger counts too.
      const negAt = Math.max(findPhrase(tokens, lex.negation, lo, trig.start), ['no', 'not', 'never'].includes(tokens[trig.end]?.norm ?? '') ? trig.end : -1);
      let modality: string | undefined;
      for (let i = lo; i <= trig.start && !modality; i++) modality = phraseText(tokens, text, i, lex.modality);
      const before = tokens.slice(lo, trig.start).map((t) => t.norm);
      const future = before.some((w) => lex.words.futureCues.has(w));
      // PLOVER: future cooperation is AGREE, a future coercive act is a THREAT, a refusal
      // ("would not meet their demands") is REJECT, an announced retreat is a CONCESSION.
      if (future) {
        const q = lex.quad[type];
        if (negAt >= 0 && (q === 1 || q === 2)) type = 'REJECT';
        else if (type === 'RETREAT') type = 'CONCEDE';
        else if (q === 4) type = 'THREATEN';
        else if ((q === 1 || q === 2) && type !== 'CONCEDE') type = 'AGREE';
      }
      const trigText = tokens.slice(trig.start, trig.end).map((t) => t.norm).join(' ');
      if (!modality && /^(ready|prepared|willing|willingness) /.test(trigText + ' ')) modality = text.slice(tokens[trig.start]!.start, tokens[trig.end - 1]!.end);
      // Mode cues lie in the clause: from the source to a little past the trigger ("amended plan must…").
      const mode = findMode(tokens, type, trig.start, Math.min(tokens.length, trig.end + MAX_ACTOR_DISTANCE), lex)
        ?? findMode(tokens, type, src.end, trig.start, lex);
      const para = doc.structure.paragraphs[sent.paragraph]!;
      const loc = findLocation(tokens, text, trig, lex, para);
      // Context words count outside names ("US Army Secretary" says nothing about the topic).
      // The same for every trigger of the sentence: computed once.
      sentContexts ??= contextsIn(tokens, tokens.map((_, i) => mentions.some((m) => i >= m.start && i < m.end)), lex);
      const context = [...sentContexts];
      if (isHistorical(tokens, src.end, trig, lex)) context.push(HISTORICAL);
      // Date: a date said in the sentence, else in the sentence before it in the same paragraph,
      // else the last date of an earlier event by the same source (a later line on the same act).
      const inSent = dates.filter((d) => d.start >= sent.start && d.end <= sent.end);
      const prevSent = si > 0 && doc.structure.sentences[si - 1]!.paragraph === sent.paragraph ? doc.structure.sentences[si - 1]! : undefined;
      const near = prevSent ? dates.filter((d) => d.start >= prevSent.start && d.end <= prevSent.end) : [];
      const date = inSent[0]?.value ?? near[near.length - 1]?.value ?? (agentM ? lastDate.get(agentM.actor.id) : undefined);
      let finalMode = mode;
      if (type === 'CONSULT' && loc?.country && !sources.some((m) => m.actor.country === loc.country) && (!tgt || tgt.actor.country !== loc.country)) finalMode = 'third-party';
      // A speaker of the same country who announces the act ("X announced that Kyiv is prepared to…") shares it.
      const srcIds = [...new Set(sources.map((m) => m.actor.id))];
      if (!passive && (src.actor.kind === 'country' || src.actor.kind === 'organization')) {
        const quoted = quotes.find((q) => q.speaker && q.content.start <= src!.span.start && q.content.end >= src!.span.end)?.speaker;
        const sameCountry = (id: string | null | undefined): boolean => !!id && actors.find((a) => a.id === id)?.country === src!.actor.country;
        const speaker = (sameCountry(quoted) ? quoted : undefined)
          ?? mentions.find((m) => m.start < src!.start && m.actor.kind === 'person' && m.actor.country && m.actor.country === src!.actor.country)?.actor.id;
        if (speaker && !srcIds.includes(speaker)) srcIds.unshift(speaker);
      }
      const tgtIds = tgt ? [tgt.actor.id] : [];
      const trigger = { start: tokens[trig.start]!.start, end: tokens[trig.end - 1]!.end };
      const key = [type, [...srcIds].sort().join(','), [...tgtIds].sort().join(','), loc?.name ?? ''].join('|');
      const prev = byKey.get(key);
      if (prev) {
        prev.date ??= date;
        continue;
      }
      const rec: EventRecord = {
        id: id([key, String(trigger.start)]),
        type,
        ...(finalMode ? { mode: finalMode } : {}),
        context,
        source: srcIds,
        target: tgtIds,
        ...(loc ? { location: { name: loc.name, ...(loc.country ? { country: loc.country } : {}), ...(loc.lat !== undefined ? { lat: loc.lat, lon: loc.lon } : {}), span: loc.span } } : {}),
        ...(date ? { date } : {}),
        ...(negAt >= 0 ? { negated: true } : {}),
        ...(modality ? { modality } : {}),
        evidence: { start: sent.start, end: sent.end },
        trigger,
        rule,
      };
      byKey.set(key, rec);
      out.push(rec);
      if (date && inSent.length) for (const s of srcIds) lastDate.set(s, date);
      // The complement of a verbal act ("ready to discuss…", "advocated for X to deploy…") is its content.
      if (COMPLEMENT_TYPES.has(type)) {
        const stop = tokens.findIndex((t, i) => i > trig.end && isBoundary(t));
        suppressUntil = stop < 0 ? tokens.length : stop;
        suppressedBy = src.actor.id;
      }
    }
  }
  return out;
}
