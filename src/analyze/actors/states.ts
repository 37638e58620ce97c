// States the lexicons do not know (new, renamed, fictional, or simply missing): names the text
// itself uses as states — "Veldra's foreign minister", "the Orsland capital", "a Veldran official",
// "the Tasmiri Federation" — become country entries for this one text, so the usual rules give
// them country actors, demonyms and officials' countries. Own logic: NER libraries tag such a name
// as a place at best; none tells a state from a town, and world-countries lists only real states.
import type { Doc } from '../segment.js';
import type { ActorLexicon, LexEntry, Phrase } from './lexicon.js';
import { phraseTokens } from './lexicon.js';
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

interface Word {
  text: string;
  lower: string;
  pos: string;
  /** In a headline line (title case there says nothing about names). */
  headline: boolean;
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

function matchesAt(words: Array<Word | undefined>, i: number, list: string[][]): boolean {
  return list.some((p) => p.every((w, k) => words[i + k]?.lower === w));
}

/**
 * Country phrases for the states this text names without the lexicons knowing them, keyed like
 * `ActorLexicon.phrases` (first token → phrases). Empty when there are none (the usual case).
 */
export function discoverStates(doc: Doc, lex: ActorLexicon, view: TokenView = tokenView(doc, lex)): Map<string, Phrase[]> {
  const out = new Map<string, Phrase[]>();
  const cues = lex.states;
  if (!cues) return out;
  // A candidate: one capitalised word no lexicon, name list or title list explains. Most tokens
  // fail the cheap tests (part of speech, first letter, length) before any string is made.
  const tokens = doc.tokens;
  const nonSpace: number[] = [];
  for (let i = 0; i < tokens.length; i++) if (tokens[i]!.pos !== 'SPACE') nonSpace.push(i);
  const present = new Set<string>();
  /** Candidates the tagger reads as a proper noun somewhere: only these name a state ("Even" is no state). */
  const proper = new Set<string>();
  for (const ti of nonSpace) {
    const t = tokens[ti]!;
    if ((t.pos !== 'PROPN' && t.pos !== 'ADJ') || t.end - t.start < MIN_STATE_NAME_CHARS || !upperStartAt(doc.text, t.start)) continue;
    // A word opening with a capital or non-ASCII letter has its facts in the view.
    const text = view.text[ti]!;
    const f = view.facts[ti]!;
    const ok = (f.unexplained ??= isUnexplained(lex, text));
    // The lower-case tests use the token's normal form, as every cue below does.
    if (!ok || lex.titleHeads.has(t.norm) || lex.honorifics.has(t.norm) || lex.titleModifiers.has(t.norm) || t.norm === cues.capitalWord) continue;
    present.add(text);
    if (t.pos === 'PROPN') proper.add(text);
  }
  if (present.size === 0) return out;
  // The words around candidates, as the cues below read them (made only near a candidate).
  const inHeadline = new Uint8Array(nonSpace.length);
  const heads = doc.structure.headlines;
  for (let i = 0, h = 0; i < nonSpace.length; i++) {
    const t = tokens[nonSpace[i]!]!;
    while (h < heads.length && heads[h]!.end <= t.start) h++;
    inHeadline[i] = h < heads.length && heads[h]!.start <= t.start ? 1 : 0;
  }
  const reach = cueReach(cues);
  const words: Array<Word | undefined> = new Array(nonSpace.length);
  /** Positions of the words in `present`, in order: the only ones the cues start from. */
  const at: number[] = [];
  for (let i = 0; i < nonSpace.length; i++) {
    const t = tokens[nonSpace[i]!]!;
    if (t.end - t.start < MIN_STATE_NAME_CHARS || !upperStartAt(doc.text, t.start) || !present.has(view.text[nonSpace[i]!]!)) continue;
    at.push(i);
    for (let k = Math.max(0, i - CUE_REACH_BACK); k <= Math.min(nonSpace.length - 1, i + reach); k++) {
      if (words[k]) continue;
      const tk = tokens[nonSpace[k]!]!;
      // Only capitalised words are looked at as written; the rest by their normal form (no slicing).
      words[k] = { text: upperStartAt(doc.text, tk.start) ? doc.text.slice(tk.start, tk.end) : tk.norm, lower: tk.norm, pos: tk.pos, headline: inHeadline[k] === 1 };
    }
  }
  /** The name a demonym-like word derives from, when that name is in the text too. */
  const baseOf = (d: string): string | undefined => {
    for (const s of cues.demonymSuffixes) if (d.length > s.length + MIN_STATE_NAME_CHARS - 1 && d.endsWith(s) && present.has(d.slice(0, -s.length))) return d.slice(0, -s.length);
    return undefined;
  };
  const evidence = new Map<string, string>(); // state name → first cue seen
  const demonyms = new Map<string, Set<string>>();
  const forms = new Map<string, Set<string>>();
  const capitals = new Map<string, string>();
  const personUse = new Set<string>();
  const fullName = new Map<string, string>();
  const kinds = new Map<string, Set<string>>();
  const stateOf = (w: string): string => baseOf(w) ?? w;
  const cue = (w: string, why: string): void => {
    const s = stateOf(w);
    if (s !== w) (demonyms.get(s) ?? demonyms.set(s, new Set()).get(s)!).add(w);
    if (!evidence.has(s)) evidence.set(s, why);
    (kinds.get(s) ?? kinds.set(s, new Set()).get(s)!).add(why);
  };
  for (const i of at) {
    const w = words[i]!;
    const prev = words[i - 1];
    const next = words[i + 1];
    // "Donald X", "President X", "Mr. X", "al-X", "Planned X": part of a person's or a longer name, never a state.
    const prev2 = words[i - 2];
    const particle = !!prev && (lex.nameParticles.has(prev.lower) || (prev.text === '-' && !!prev2 && lex.nameParticles.has(prev2.lower)));
    const longer = !!prev && !prev.headline && NAME_PART_POS.has(prev.pos) && isUpperStart(prev.text) && /\p{Ll}/u.test(prev.text) && !lex.phrases.has(prev.text);
    if (prev && (lex.honorifics.has(prev.lower) || lex.titleHeads.has(prev.lower) || particle || longer)) {
      personUse.add(w.text);
      continue;
    }
    if (next && POSSESSIVE.has(next.lower) && matchesAt(words, i + 2, cues.possessedOffices)) cue(w.text, 'possessive-office');
    if (prev?.lower === 'the' && matchesAt(words, i + 1, cues.attributiveOffices)) cue(w.text, 'attributive-office');
    const base = baseOf(w.text);
    // "a Veldran official", "Tasmiri artillery": the derived word used as an adjective.
    if (base && next && (/^\p{Ll}/u.test(next.text) || lex.titleHeads.has(next.lower) || lex.titleModifiers.has(next.lower))) cue(w.text, 'demonym');
    // "the Tasmiri Federation", "Republic of Veldra".
    if (next && cues.stateForms.has(next.text)) {
      const s = stateOf(w.text);
      (forms.get(s) ?? forms.set(s, new Set()).get(s)!).add(`${w.text} ${next.text}`);
      cue(w.text, 'state-form');
      // With no shorter name in the text ("the Soviet Union" alone), the form is the name.
      if (s === w.text && !fullName.has(s)) fullName.set(s, `${w.text} ${next.text}`);
    }
    const w3 = words[i - 3];
    const formOpens = !w3 || !(NAME_PART_POS.has(w3.pos) && isUpperStart(w3.text)); // not "American Federation of X"
    if (prev?.lower === 'of' && words[i - 2] && cues.stateForms.has(words[i - 2]!.text) && formOpens) {
      const s = stateOf(w.text);
      (forms.get(s) ?? forms.set(s, new Set()).get(s)!).add(`${words[i - 2]!.text} of ${w.text}`);
      cue(w.text, 'state-form');
    }
    // "Lune, the Orsland capital" / "Lune, the capital of Orsland": Lune is the state's seat.
    if (next?.text === ',' && words[i + 2]?.lower === 'the') {
      const a = words[i + 3], b = words[i + 4], c = words[i + 5];
      let s: string | undefined;
      if (a && present.has(a.text) && b?.lower === cues.capitalWord) s = stateOf(a.text);
      else if (a?.lower === cues.capitalWord && b?.lower === 'of' && c && present.has(c.text)) s = stateOf(c.text);
      if (s && s !== w.text && !capitals.has(w.text)) capitals.set(w.text, s);
    }
  }
  for (const [s, why] of evidence) {
    if (personUse.has(s) || !proper.has(s)) continue;
    // Only a demonym seen: regions have those too ("Tigrayan"); a state shows an office, a form or a capital.
    if ([...kinds.get(s)!].every((k) => k === 'demonym')) continue;
    // "the Philippine government": a stem of a country the lexicons know is that country.
    const known = knownCountryStem(lex, s);
    if (known) {
      const add = (text: string, entry: LexEntry): void => {
        const list = out.get(text) ?? [];
        list.push({ tokens: [text], entry });
        out.set(text, list);
      };
      add(s, { kind: 'country', name: known.name, country: known.code, type: 'demonym', rule: 'state-cue:country-stem' });
      continue;
    }
    // Known only from its state form ("the Soviet Union"): the form is the name, the word a demonym.
    const formOnly = fullName.has(s) && [...(kinds.get(s) ?? [])].every((k) => k === 'state-form');
    const name = formOnly ? fullName.get(s)! : s;
    const code = discoveredCode(name);
    const base = { kind: 'country' as const, name, country: code };
    const add = (text: string, entry: LexEntry): void => {
      const tokens = phraseTokens(text);
      const list = out.get(tokens[0]!) ?? [];
      if (!list.some((p) => p.tokens.join(' ') === tokens.join(' '))) list.push({ tokens, entry });
      out.set(tokens[0]!, list);
    };
    add(s, { ...base, type: formOnly ? 'demonym' : 'name', rule: `state-cue:${why}` });
    for (const f of forms.get(s) ?? []) add(f, { ...base, type: 'name', rule: 'state-cue:state-form' });
    for (const d of demonyms.get(s) ?? []) if (!personUse.has(d)) add(d, { ...base, type: 'demonym', rule: 'state-cue:demonym' });
    for (const [c, cs] of capitals) if (cs === s && !personUse.has(c) && !evidence.has(c)) add(c, { ...base, type: 'alias', rule: 'state-cue:capital' });
  }
  for (const list of out.values()) list.sort((a, b) => b.tokens.length - a.tokens.length);
  return out;
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
