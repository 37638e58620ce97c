// States the lexicons do not know (new, renamed, fictional, or simply missing): names the text
// itself uses as states — "Veldra's foreign minister", "the Orsland capital", "a Veldran official",
// "the Tasmiri Federation" — become country entries for this one text, so the usual rules give
// them country actors, demonyms and officials' countries. Own logic: NER libraries tag such a name
// as a place at best; none tells a state from a town, and world-countries lists only real states.
import type { Doc } from '../segment.js';
import type { Span } from '../types.js';
import type { ActorLexicon, LexEntry, Phrase } from './lexicon.js';
import { lexEntry, phraseTokens } from './lexicon.js';
import { tokenView, type TokenView } from './units.js';

/** Cue words from data/actors/states.json. */
export interface StateCues {
  /** "X's <office>": offices only a state has. */
  possessedOffices: string[][];
  /** "the X <office>" (X a name or its demonym). */
  attributiveOffices: string[][];
  /** "the X Federation", "Republic of X". */
  stateForms: Set<string>;
  /** Demonym = name + suffix ("Veldra" → "Veldran", "Tasmir" → "Tasmiri"). */
  demonymSuffixes: string[];
  /** The noun of the capital-city patterns ("Lune, the Orsland capital"). */
  capitalWord: string;
}

/** Prefix of the code given to a state found in the text (ISO 3166 keeps X… codes for user use). */
export const DISCOVERED_CODE_PREFIX = 'X-';
/** A name shorter than this is never taken for a state (initials, abbreviations). */
export const MIN_STATE_NAME_CHARS = 3;

const POSSESSIVE = new Set(["'s", '’s']);
/** A single capitalised word: the only shape a discovered state name (or demonym) takes. */
const NAME_SHAPE = /^\p{Lu}\p{Ll}+$/u;

/** Cheap first test before NAME_SHAPE: an ASCII capital or any non-ASCII letter. */
function isUpperStart(s: string): boolean {
  const c = s.charCodeAt(0);
  return (c >= 65 && c <= 90) || c > 127;
}

/** isUpperStart of the character at `at` of `s`. */
function upperStartAt(s: string, at: number): boolean {
  const c = s.charCodeAt(at);
  return (c >= 65 && c <= 90) || c > 127;
}

/** The cues read words at most this many places before a candidate ("<form> of X", a name part before). */
const CUE_REACH_BACK = 3;
/** How far after a candidate the cues read: offices after "X 's", "X , the Y capital of Z". */
function cueReach(cues: StateCues): number {
  let longest = 0;
  for (const p of [...cues.possessedOffices, ...cues.attributiveOffices]) longest = Math.max(longest, p.length);
  return Math.max(5, 1 + longest);
}

/** Whether no lexicon, name list or state form explains a capitalised word (as written); kept in its WordFacts. */
function isUnexplained(lex: ActorLexicon, text: string): boolean {
  return NAME_SHAPE.test(text) && !lex.phrases.has(text) && !lex.givenNames.has(text) && !knownNameWords(lex).has(text) && !innerWords(lex).has(text) &&
    !lex.notNames.has(text) && !lex.states!.stateForms.has(text);
}

/** A token as the cues read it. */
class Word {
  constructor(
    readonly text: string,
    readonly lower: string,
    readonly pos: string,
    /** In a headline line (title case there says nothing about names). */
    readonly headline: boolean,
  ) {}
}

/** Parts of speech of a capitalised word that, right before a name, make both one longer name ("Fidel Castro", "Planned Parenthood"). */
const NAME_PART_POS = new Set(['PROPN', 'NOUN', 'VERB', 'ADJ', 'NUM']);

const nonInitialWords = new WeakMap<ActorLexicon, Set<string>>();
/** Words that occur only inside longer lexicon names ("Korea" in "South Korea"): never a state of their own. */
function innerWords(lex: ActorLexicon): Set<string> {
  let s = nonInitialWords.get(lex);
  if (!s) {
    s = new Set();
    for (const list of lex.phrases.values()) for (const p of list) for (let k = 1; k < p.tokens.length; k++) s.add(p.tokens[k]!);
    nonInitialWords.set(lex, s);
  }
  return s;
}

/** Extra letters a known country's name may have beyond a stem the text uses ("Philippine" → "Philippines", "Kazakh" → "Kazakhstan"). */
export const MAX_STEM_EXTRA_CHARS = 4;
/** A stem shorter than this is not matched against country names. */
export const MIN_STEM_CHARS = 5;
/** The known country whose common name extends `w` by a few letters, if exactly one does. */
function knownCountryStem(lex: ActorLexicon, w: string): { code: string; name: string } | undefined {
  if (w.length < MIN_STEM_CHARS) return undefined;
  const hits: Array<{ code: string; name: string }> = [];
  for (const [code, c] of lex.countries) if (c.name.startsWith(w) && c.name.length - w.length <= MAX_STEM_EXTRA_CHARS && !c.name.includes(' ')) hits.push({ code, name: c.name });
  return hits.length === 1 ? hits[0] : undefined;
}

/** Code of a state found in the text: deterministic, visibly not ISO ("X-VELDRA"). */
export function discoveredCode(name: string): string {
  return DISCOVERED_CODE_PREFIX + name.normalize('NFD').replace(/[^\p{L}]/gu, '').toUpperCase();
}

const nameWordSets = new WeakMap<ActorLexicon, Set<string>>();
/** Every word of the known people's names ("The Trump troops" is a metaphor, not a state). */
function knownNameWords(lex: ActorLexicon): Set<string> {
  let s = nameWordSets.get(lex);
  if (!s) {
    s = new Set();
    for (const p of lex.people) for (const n of [p.name, ...(p.variants ?? [])]) for (const w of n.split(/\s+/)) s.add(w);
    nameWordSets.set(lex, s);
  }
  return s;
}

/** The word at i, or undefined outside the text or where no word was made (checked first: reading past an array's end is slow). */
function wordAt(words: Array<Word | undefined>, i: number): Word | undefined {
  return i >= 0 && i < words.length ? words[i] : undefined;
}

/** Whether one of the phrases (lower-case words) starts at i. */
function matchesAt(words: Array<Word | undefined>, i: number, list: string[][]): boolean {
  for (const p of list) {
    let k = 0;
    while (k < p.length && wordAt(words, i + k)?.lower === p[k]) k++;
    if (k === p.length) return true;
  }
  return false;
}

/** Add w to the set kept under key s. */
function addTo(m: Map<string, Set<string>>, s: string, w: string): void {
  const set = m.get(s);
  if (set) set.add(w);
  else m.set(s, new Set([w]));
}

/** Candidates of a text: capitalised words no lexicon explains, and those read as a proper noun somewhere. */
class Candidates {
  present = new Set<string>();
  /** Candidates the tagger reads as a proper noun somewhere: only these name a state ("Even" is no state). */
  proper = new Set<string>();
}

/**
 * A candidate: one capitalised word no lexicon, name list or title list explains. Most tokens
 * fail the cheap tests (part of speech, first letter, length) before any string is made.
 */
function findCandidates(doc: Doc, lex: ActorLexicon, cues: StateCues, view: TokenView): Candidates {
  const c = new Candidates();
  const tokens = doc.tokens;
  // Only words opening with a capital or non-ASCII letter (`upperStartAt`) can be candidates: those
  // are the view's words with facts, walked in text order.
  for (let ci = 0; ci < view.caps.length; ci++) {
    const ti = view.nonSpace[view.caps[ci]!]!;
    const t = tokens[ti]!;
    if ((t.pos !== 'PROPN' && t.pos !== 'ADJ') || t.end - t.start < MIN_STATE_NAME_CHARS || !upperStartAt(doc.text, t.start)) continue;
    const text = view.text[ti]!;
    const f = view.facts[ti]!;
    let ok = f.unexplained;
    if (ok === undefined) f.unexplained = ok = isUnexplained(lex, text);
    // The lower-case tests use the token's normal form, as every cue below does.
    if (!ok || lex.titleHeads.has(t.norm) || lex.honorifics.has(t.norm) || lex.titleModifiers.has(t.norm) || t.norm === cues.capitalWord) continue;
    c.present.add(text);
    if (t.pos === 'PROPN') c.proper.add(text);
  }
  return c;
}

/** The words around candidates, as the cues read them (made only near a candidate), and the candidates' positions. */
class Around {
  words: Array<Word | undefined>;
  /** Positions of the words in `present`, in order: the only ones the cues start from. */
  at: number[] = [];
  constructor(n: number) {
    this.words = new Array<Word | undefined>(n).fill(undefined);
  }
}

/** Whether a token starting at `start` lies in a headline: the first headline ending after it starts before it. */
function inHeadlineAt(heads: readonly Span[], start: number): boolean {
  for (let h = 0; h < heads.length; h++) if (heads[h]!.end > start) return heads[h]!.start <= start;
  return false;
}

function wordsAround(doc: Doc, cues: StateCues, view: TokenView, present: Set<string>): Around {
  const tokens = doc.tokens;
  const nonSpace = view.nonSpace;
  const heads = doc.structure.headlines;
  const reach = cueReach(cues);
  const out = new Around(nonSpace.length);
  const words = out.words;
  for (let ci = 0; ci < view.caps.length; ci++) {
    // Candidates are unexplained words (findCandidates), which have facts: a word not known as one is passed by at once.
    const i = view.caps[ci]!;
    const f = view.facts[nonSpace[i]!];
    if (f === undefined || f.unexplained !== true) continue;
    const t = tokens[nonSpace[i]!]!;
    if (t.end - t.start < MIN_STATE_NAME_CHARS || !present.has(view.text[nonSpace[i]!]!)) continue;
    out.at.push(i);
    const last = Math.min(nonSpace.length - 1, i + reach);
    for (let k = Math.max(0, i - CUE_REACH_BACK); k <= last; k++) {
      if (words[k] !== undefined) continue;
      const tk = tokens[nonSpace[k]!]!;
      // Only capitalised words are looked at as written (the view's text); the rest by their normal form.
      words[k] = new Word(upperStartAt(doc.text, tk.start) ? view.text[nonSpace[k]!]! : tk.norm, tk.norm, tk.pos, inHeadlineAt(heads, tk.start));
    }
  }
  return out;
}

/** The evidence the cues give of each candidate state, read candidate by candidate. */
class Evidence {
  /** State name → first cue seen. */
  evidence = new Map<string, string>();
  demonyms = new Map<string, Set<string>>();
  forms = new Map<string, Set<string>>();
  capitals = new Map<string, string>();
  personUse = new Set<string>();
  fullName = new Map<string, string>();
  kinds = new Map<string, Set<string>>();

  constructor(readonly lex: ActorLexicon, readonly cues: StateCues, readonly present: Set<string>, readonly words: Array<Word | undefined>) {}

  /** The name a demonym-like word derives from, when that name is in the text too. */
  baseOf(d: string): string | undefined {
    for (const s of this.cues.demonymSuffixes) {
      if (d.length > s.length + MIN_STATE_NAME_CHARS - 1 && d.endsWith(s) && this.present.has(d.slice(0, -s.length))) return d.slice(0, -s.length);
    }
    return undefined;
  }

  stateOf(w: string): string {
    return this.baseOf(w) ?? w;
  }

  cue(w: string, why: string): void {
    const s = this.stateOf(w);
    if (s !== w) addTo(this.demonyms, s, w);
    if (!this.evidence.has(s)) this.evidence.set(s, why);
    addTo(this.kinds, s, why);
  }

  /** "Donald X", "President X", "Mr. X", "al-X", "Planned X": part of a person's or a longer name, never a state. */
  private namePart(i: number): boolean {
    const lex = this.lex;
    const prev = wordAt(this.words, i - 1);
    if (prev === undefined) return false;
    const prev2 = wordAt(this.words, i - 2);
    const particle = lex.nameParticles.has(prev.lower) || (prev.text === '-' && prev2 !== undefined && lex.nameParticles.has(prev2.lower));
    const longer = !prev.headline && NAME_PART_POS.has(prev.pos) && isUpperStart(prev.text) && LOWER_LETTER.test(prev.text) && !lex.phrases.has(prev.text);
    return lex.honorifics.has(prev.lower) || lex.titleHeads.has(prev.lower) || particle || longer;
  }

  /** Read the cues around the candidate at i. */
  read(i: number): void {
    const words = this.words;
    const w = words[i]!;
    if (this.namePart(i)) {
      this.personUse.add(w.text);
      return;
    }
    const prev = wordAt(words, i - 1);
    const next = wordAt(words, i + 1);
    const cues = this.cues;
    if (next !== undefined && POSSESSIVE.has(next.lower) && matchesAt(words, i + 2, cues.possessedOffices)) this.cue(w.text, 'possessive-office');
    if (prev !== undefined && prev.lower === 'the' && matchesAt(words, i + 1, cues.attributiveOffices)) this.cue(w.text, 'attributive-office');
    const base = this.baseOf(w.text);
    // "a Veldran official", "Tasmiri artillery": the derived word used as an adjective.
    if (base && next !== undefined && (LOWER_START.test(next.text) || this.lex.titleHeads.has(next.lower) || this.lex.titleModifiers.has(next.lower))) this.cue(w.text, 'demonym');
    if (next !== undefined) this.formAfter(w, next);
    this.formBefore(i, w, prev);
    if (next !== undefined && next.text === ',') this.capitalOf(i, w);
  }

  /** "the Tasmiri Federation". */
  private formAfter(w: Word, next: Word): void {
    if (!this.cues.stateForms.has(next.text)) return;
    const s = this.stateOf(w.text);
    addTo(this.forms, s, `${w.text} ${next.text}`);
    this.cue(w.text, 'state-form');
    // With no shorter name in the text ("the Soviet Union" alone), the form is the name.
    if (s === w.text && !this.fullName.has(s)) this.fullName.set(s, `${w.text} ${next.text}`);
  }

  /** "Republic of Veldra" (not "American Federation of X"). */
  private formBefore(i: number, w: Word, prev: Word | undefined): void {
    const w2 = wordAt(this.words, i - 2);
    const w3 = wordAt(this.words, i - 3);
    const formOpens = w3 === undefined || !(NAME_PART_POS.has(w3.pos) && isUpperStart(w3.text));
    if (prev !== undefined && prev.lower === 'of' && w2 !== undefined && this.cues.stateForms.has(w2.text) && formOpens) {
      const s = this.stateOf(w.text);
      addTo(this.forms, s, `${w2.text} of ${w.text}`);
      this.cue(w.text, 'state-form');
    }
  }

  /** "Lune, the Orsland capital" / "Lune, the capital of Orsland": Lune is the state's seat. */
  private capitalOf(i: number, w: Word): void {
    const words = this.words;
    if (wordAt(words, i + 2)?.lower !== 'the') return;
    const a = wordAt(words, i + 3), b = wordAt(words, i + 4), c = wordAt(words, i + 5);
    const capitalWord = this.cues.capitalWord;
    let s: string | undefined;
    if (a !== undefined && this.present.has(a.text) && b !== undefined && b.lower === capitalWord) s = this.stateOf(a.text);
    else if (a !== undefined && a.lower === capitalWord && b !== undefined && b.lower === 'of' && c !== undefined && this.present.has(c.text)) s = this.stateOf(c.text);
    if (s && s !== w.text && !this.capitals.has(w.text)) this.capitals.set(w.text, s);
  }

  /** Whether every cue seen for s is of one kind. */
  onlyKind(s: string, kind: string): boolean {
    for (const k of this.kinds.get(s) ?? []) if (k !== kind) return false;
    return true;
  }
}

/** Add a one-token phrase (a known country's stem) to the text's phrases. */
function addStem(out: Map<string, Phrase[]>, text: string, entry: LexEntry): void {
  const list = out.get(text) ?? [];
  list.push({ tokens: [text], entry: lexEntry(entry) });
  out.set(text, list);
}

/** Add a phrase to the text's phrases, unless there already. */
function addPhrase(out: Map<string, Phrase[]>, text: string, entry: LexEntry): void {
  const tokens = phraseTokens(text);
  const list = out.get(tokens[0]!) ?? [];
  const joined = tokens.join(' ');
  let known = false;
  for (const p of list) if (p.tokens.join(' ') === joined) { known = true; break; }
  if (!known) list.push({ tokens, entry: lexEntry(entry) });
  out.set(tokens[0]!, list);
}

/** The phrases of the states the evidence shows. */
function statePhrases(lex: ActorLexicon, ev: Evidence, proper: Set<string>): Map<string, Phrase[]> {
  const out = new Map<string, Phrase[]>();
  for (const [s, why] of ev.evidence) {
    if (ev.personUse.has(s) || !proper.has(s)) continue;
    // Only a demonym seen: regions have those too ("Tigrayan"); a state shows an office, a form or a capital.
    if (ev.onlyKind(s, 'demonym')) continue;
    // "the Philippine government": a stem of a country the lexicons know is that country.
    const known = knownCountryStem(lex, s);
    if (known) {
      addStem(out, s, { kind: 'country', name: known.name, country: known.code, type: 'demonym', rule: 'state-cue:country-stem' });
      continue;
    }
    // Known only from its state form ("the Soviet Union"): the form is the name, the word a demonym.
    const formOnly = ev.fullName.has(s) && ev.onlyKind(s, 'state-form');
    const name = formOnly ? ev.fullName.get(s)! : s;
    const code = discoveredCode(name);
    const base = { kind: 'country' as const, name, country: code };
    addPhrase(out, s, { ...base, type: formOnly ? 'demonym' : 'name', rule: `state-cue:${why}` });
    for (const f of ev.forms.get(s) ?? []) addPhrase(out, f, { ...base, type: 'name', rule: 'state-cue:state-form' });
    for (const d of ev.demonyms.get(s) ?? []) if (!ev.personUse.has(d)) addPhrase(out, d, { ...base, type: 'demonym', rule: 'state-cue:demonym' });
    for (const [c, cs] of ev.capitals) if (cs === s && !ev.personUse.has(c) && !ev.evidence.has(c)) addPhrase(out, c, { ...base, type: 'alias', rule: 'state-cue:capital' });
  }
  for (const list of out.values()) list.sort(longerFirst);
  return out;
}

function longerFirst(a: Phrase, b: Phrase): number {
  return b.tokens.length - a.tokens.length;
}

const LOWER_START = /^\p{Ll}/u;
const LOWER_LETTER = /\p{Ll}/u;

/**
 * Country phrases for the states this text names without the lexicons knowing them, keyed like
 * `ActorLexicon.phrases` (first token → phrases). Empty when there are none (the usual case).
 */
export function discoverStates(doc: Doc, lex: ActorLexicon, view: TokenView = tokenView(doc, lex)): Map<string, Phrase[]> {
  const cues = lex.states;
  if (!cues) return new Map();
  const cand = findCandidates(doc, lex, cues, view);
  if (cand.present.size === 0) return new Map();
  const around = wordsAround(doc, cues, view, cand.present);
  const ev = new Evidence(lex, cues, cand.present, around.words);
  for (const i of around.at) ev.read(i);
  return statePhrases(lex, ev, cand.proper);
}

/** Compile data/actors/states.json. */
export function compileStateCues(j: { possessedOffices?: string[]; attributiveOffices?: string[]; stateForms?: string[]; demonymSuffixes?: string[]; capitalWord?: string }): StateCues {
  const split = (l: string[] | undefined): string[][] => (l ?? []).map((p) => phraseTokens(p.toLowerCase()));
  return {
    possessedOffices: split(j.possessedOffices),
    attributiveOffices: split(j.attributiveOffices),
    stateForms: new Set(j.stateForms ?? []),
    demonymSuffixes: [...(j.demonymSuffixes ?? [])].sort((a, b) => b.length - a.length),
    capitalWord: j.capitalWord ?? 'capital',
  };
}
