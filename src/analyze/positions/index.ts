// Stage: positions — link each attribution and event to the negotiation issues it concerns, and read
// each actor's stance on each issue (support / oppose / conditional / neutral) with evidence.
//
// Hand-written rules rather than a library: stance detection libraries (and NLI models) score a
// text against a target but know neither our issue taxonomy nor who is speaking; here the speaker
// comes from the quote stage, the issue from data/issues, and the stance from cue phrases in the
// same clause — each decision small enough to show as evidence.
import type { Doc } from '../segment.js';
import type { Actor, EventRecord, Position, Quote, Span, Stance } from '../types.js';
import type { IssueLexicon, StanceCue } from './lexicon.js';

export type { IssueLexicon } from './lexicon.js';

/** A cue preceded by a negation this close (in characters) flips support ↔ oppose ("not ready to"). */
export const NEGATION_WINDOW_CHARS = 12;
/** How far back (in sentences, same section) an anaphoric statement ("These are hard choices") looks for its issue. */
export const CONTEXT_SENTENCES = 2;
/** A quote's cue and content closer than this (characters) are read together for the cue's stance ("expressed optimism" + "about…"). */
export const CUE_CONTENT_GAP_CHARS = 3;

/** An event speaks to an issue named at most this many characters after its trigger, in the same clause. */
export const EVENT_ISSUE_WINDOW_CHARS = 30;
/** A generic issue this close (characters) before a stance cue is the cue's subject and is kept beside specific ones. */
export const GENERIC_ATTACH_CHARS = 25;
/** A stance cue farther than this (characters) from an issue mention says nothing about it. */
export const MAX_CUE_ISSUE_GAP_CHARS = 80;
/** An actor named at most this many characters before a stance cue is the cue's subject ("Russia is ready to"). */
export const SUBJECT_GAP_CHARS = 20;
/** How far after a generic issue mention a qualifier ("largely favoring") is looked for. */
export const QUALIFIER_LOOKAHEAD_CHARS = 40;

/** Words that make a statement refer back to an issue named before it. */
const ANAPHOR = /(?<![\p{L}])(?:these|this|those|such|there)(?![\p{L}])/iu;
/** An anaphoric statement is short ("This is a red line for us"); longer ones carry their own topic. */
export const MAX_ANAPHORIC_WORDS = 12;
/** A clause opening with a contrastive negation ("but not X", "not X"). */
const CONTRAST_NEGATION = /^[\s,"“]*(?:but\s+)?(?:not|never)\s/iu;
/** What may stand between two coordinated subject names ("Veldra and Tasmir", "Kyiv, Paris and Berlin"). */
const COORDINATION = /^\s*(?:,|and|&|,\s*and)\s*$/iu;
/** Negations that flip a following support/oppose cue. */
const NEGATION = /(?:(?<![\p{L}])(?:not|never|no|nor|without)|n['’]t)\s+(?:\p{L}+\s+)?$/iu;
/** Clause boundaries inside a statement: contrastive or participial links, semicolons, dashes. */
const CLAUSE_BREAK =
  /(?:,\s*|\s+)(?=(?:while|though|although|but|whereas|indicating|suggesting|noting|highlighting|despite|adding|stressing)\b)|;\s*|\s+[—–]\s+|(?<=[.!?]["”’]?)\s+(?=["“]?\p{Lu})/giu;

export interface IssueMention extends Span {
  issue: string;
  /** The data pattern that matched. */
  pattern: string;
}

interface CueHit extends Span {
  cue: StanceCue;
  stance: Stance;
  negated: boolean;
}

// The context gates of the last text seen: stages call findIssueMentions many times per text.
let gateText: string | null = null;
let gateLex: IssueLexicon | null = null;
let gateOpen = new Set<string>();
function contextOpen(text: string, lex: IssueLexicon, lp: LexiconPlans): Set<string> {
  if (text !== gateText || lex !== gateLex) {
    const pre = prefilterText(text, lp.wanted);
    const open = new Set<string>();
    for (let k = 0; k < lex.issues.length; k++) {
      const plan = lp.context[k];
      if (!plan || anyMatch(plan, text, pre)) open.add(lex.issues[k]!.id);
    }
    gateOpen = open;
    gateText = text;
    gateLex = lex;
  }
  return gateOpen;
}

/** Does a lexicon regex match anywhere in `s`? */
function anyMatch(plan: RegexPlan, s: string, pre: Prefilter | undefined): boolean {
  let found = false;
  wordMatches(plan, s, () => (found = true), pre);
  return found;
}

/** The left word-boundary guard that lexicon.ts puts in front of every pattern. */
const LEFT_GUARD = '(?<![\\p{L}\\p{N}-])';
const GUARD_CHAR = /[\p{L}\p{N}-]/u;
/**
 * What wordMatches needs to know about one lexicon regex, worked out once per regex: its unguarded
 * and sticky twins, its literal openings (with their prefilter keys) or required inner literals.
 */
interface RegexPlan {
  /** The lexicon regex itself. */
  re: RegExp;
  /** The regex without its leading lookbehind (V8 then skips ahead on the pattern's first characters, about twice as fast), or null. */
  bare: RegExp | null;
  /** Source of `bare` (null: the regex has no leading lookbehind); `bare` itself is built on first use (see bareOf). */
  bareSource: string | null;
  /** The sticky twin of `bare` (matches only at lastIndex), when the literal openings allow trying candidates only. */
  sticky: RegExp | null;
  /** Literal lower-case openings one of which every match starts with (literalPrefix), or null. */
  lits: string[] | null;
  /** trigramKey of each opening, distinct. */
  keys: number[] | null;
  /** The openings by trigramKey. */
  litsByKey: Map<number, string[]>;
  /** Inner literals one of which every match contains (requiredLiterals), for regexes without openings. */
  inner: string[] | null;
  /** For regexes without openings: the literal endings every match ends with, by the trigramKey of their last word (see tailsOf), or null. */
  tails: Map<number, Tail[]> | null;
}
const plans = new WeakMap<RegExp, RegexPlan>();
function planOf(re: RegExp): RegexPlan {
  let plan = plans.get(re);
  if (!plan) {
    const bareSource = re.source.startsWith(LEFT_GUARD) ? re.source.slice(LEFT_GUARD.length) : null;
    const lits = bareSource !== null ? literalPrefix(bareSource) : null;
    const keys = lits ? [...new Set(lits.map((l) => trigramKey(l, 0)))] : null;
    const sticky = bareSource !== null && keys && keys.every((k) => k >= 0) ? new RegExp(bareSource, re.flags.replace('g', '') + 'y') : null;
    const litsByKey = new Map<number, string[]>();
    for (const l of lits ?? []) litsByKey.set(trigramKey(l, 0), [...(litsByKey.get(trigramKey(l, 0)) ?? []), l]);
    // The bare regex waits for its first use: a pattern tried only at candidates (sticky) needs it
    // only in the rare text without a prefilter, and each /iu regex with \p classes costs ~0.1 ms to build.
    const tails = bareSource !== null && !lits ? tailsOf(bareSource) : null;
    plan = { re, bare: null, bareSource, sticky, lits, keys, litsByKey, inner: bareSource !== null && !lits ? requiredLiterals(bareSource) : null, tails };
    plans.set(re, plan);
  }
  return plan;
}

/**
 * The plans of every regex of one lexicon, worked out on its first use rather than looked up regex
 * by regex in every text, and the trigram keys their literal openings have (`wanted`): the
 * prefilter records word starts at these keys only, as no plan asks about any other.
 */
interface LexiconPlans {
  /** Per issue, the plan of each of its regexes. */
  issues: RegexPlan[][];
  /** Per issue, the plan of its context regex (null: no context gate). */
  context: Array<RegexPlan | null>;
  /** Per stance cue, the plan of its regex. */
  cues: RegexPlan[];
  /** 1 at each trigramKey some plan opens with. */
  wanted: Uint8Array;
  /** Ids of the generic issues (see specificFirst). */
  generic: Set<string>;
}
const lexiconPlans = new WeakMap<IssueLexicon, LexiconPlans>();
function plansOf(lex: IssueLexicon): LexiconPlans {
  let lp = lexiconPlans.get(lex);
  if (!lp) {
    const issues = lex.issues.map((i) => i.regexes.map(planOf));
    const context = lex.issues.map((i) => (i.context ? planOf(i.context) : null));
    const cues = lex.stanceCues.map((c) => planOf(c.regex));
    const wanted = new Uint8Array(TRIGRAM_KEYS);
    for (const plan of [...issues.flat(), ...context, ...cues]) {
      for (const k of plan?.keys ?? []) if (k >= 0) wanted[k] = 1;
      for (const k of plan?.tails?.keys() ?? []) wanted[k] = 1;
    }
    lp = { issues, context, cues, wanted, generic: new Set(lex.issues.filter((i) => i.generic).map((i) => i.id)) };
    lexiconPlans.set(lex, lp);
  }
  return lp;
}

/**
 * Every match of a whole-word lexicon regex in `s`, exactly as `re.exec` in a loop would give them
 * (empty matches skipped), but with the left-boundary lookbehind checked by hand after the match.
 * `pre` (the prefilter of `s`) lets it skip patterns that cannot match and try others only where
 * they can start.
 */
function wordMatches(plan: RegexPlan, s: string, fn: (index: number, length: number) => boolean | void, pre?: Prefilter): void {
  const { re, bareSource, sticky, lits, keys, litsByKey, inner, tails } = plan;
  if (pre !== undefined && lits && keys) {
    // A pattern whose literal opening is nowhere in the text cannot match: skip the scan.
    let any = false;
    for (const k of keys) if (pre.starts.has(k)) { any = true; break; }
    if (!any) return;
    if (sticky) {
      // Every match starts at a word start holding one of the openings: try the pattern there only.
      const at = pre.lower !== undefined ? openedAt(pre.starts, keys, litsByKey, pre.lower) : candidates(pre.starts, keys);
      stickyMatches(sticky, s, at, fn);
      return;
    }
  }
  // Nor can one with no literal opening whose literal ending ("… dam", "plan to end") is nowhere
  // followed by the end of a word, or whose required inner literal ("dam|reservoir") is absent.
  if (pre !== undefined && !lits && tails && pre.lower !== undefined && !anyTail(tails, s, pre.starts, pre.lower)) return;
  if (pre !== undefined && !lits && inner && !containsInner(pre, inner)) return;
  const r = bareSource !== null ? bareOf(plan, bareSource) : re;
  r.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = r.exec(s)) !== null) {
    const i = m.index;
    if (bareSource !== null && i > 0) {
      const lo = s.charCodeAt(i - 1);
      const pair = i >= 2 && lo >= 0xdc00 && lo <= 0xdfff && s.charCodeAt(i - 2) >= 0xd800 && s.charCodeAt(i - 2) <= 0xdbff;
      if (GUARD_CHAR.test(pair ? s.slice(i - 2, i) : s[i - 1]!)) {
        // The guarded regex would have tried the next position: do the same.
        r.lastIndex = i + (s.codePointAt(i)! > 0xffff ? 2 : 1);
        continue;
      }
    }
    if (m[0].length === 0) {
      r.lastIndex++;
      continue;
    }
    if (fn(i, m[0].length) === true) return;
  }
}

/** Does the text contain one of the literals? */
function containsInner(pre: Prefilter, inner: string[]): boolean {
  for (const l of inner) if (containsLiteral(pre, l)) return true;
  return false;
}

/** The plan's bare regex, built on first use. */
function bareOf(plan: RegexPlan, source: string): RegExp {
  return (plan.bare ??= new RegExp(source, plan.re.flags));
}

/** Word-start positions (ascending) whose first three characters have one of the (distinct) keys. */
function candidates(starts: Map<number, number[]>, keys: number[]): number[] {
  if (keys.length === 1) return starts.get(keys[0]!) ?? [];
  const out: number[] = [];
  for (const k of keys) { const p = starts.get(k); if (p) for (const x of p) out.push(x); }
  return out.sort((a, b) => a - b);
}

/**
 * The word starts (ascending) holding one of the literal openings (`litsByKey`, by trigramKey of
 * `keys`). `lower` (the text lower-cased, same length) lets a whole opening be compared before the
 * regex runs: the trigram key alone lets many words through ("not" for "not on the table"). The
 * few that pass are sorted, rather than every word start of every key ("the", "rea", "a g").
 */
function openedAt(starts: Map<number, number[]>, keys: number[], litsByKey: Map<number, string[]>, lower: string): number[] {
  const out: number[] = [];
  for (const k of keys) {
    const at = starts.get(k);
    if (at === undefined) continue;
    const lits = litsByKey.get(k)!;
    for (const p of at) if (opensWith(lower, p, lits)) out.push(p);
  }
  return keys.length > 1 && out.length > 1 ? out.sort(ascending) : out;
}

function opensWith(lower: string, p: number, lits: string[]): boolean {
  for (const l of lits) if (lower.startsWith(l, p)) return true;
  return false;
}

function ascending(a: number, b: number): number {
  return a - b;
}

/**
 * The matches a global exec loop would give, when every match must start at one of `positions`
 * (ascending): the sticky regex `y` is tried at each, past the end of the last match.
 */
function stickyMatches(y: RegExp, s: string, positions: number[], fn: (index: number, length: number) => boolean | void): void {
  let from = 0;
  for (const p of positions) {
    if (p < from) continue;
    y.lastIndex = p;
    const m = y.exec(s);
    if (m === null || m[0].length === 0) continue;
    if (fn(p, m[0].length) === true) return;
    from = p + m[0].length;
  }
}

/** Shorter literal openings filter too little to be worth a look. */
const MIN_LITERAL_PREFIX = 3;

/** Split a regex source at its top-level "|" (null when a bracket or group is unbalanced). */
function topAlternatives(source: string): string[] | null {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') i++;
    else if (c === '[') { i++; while (i < source.length && source[i] !== ']') { if (source[i] === '\\') i++; i++; } }
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) { out.push(source.slice(from, i)); from = i + 1; }
    if (depth < 0) return null;
  }
  if (depth !== 0) return null;
  out.push(source.slice(from));
  return out;
}

/** Cross products of alternatives larger than this stop growing an opening (it stays a shorter prefix). */
const MAX_OPENINGS = 128;

/** A literal opening and whether it spans all of the source it came from (so what follows extends it). */
interface Opening {
  lit: string;
  whole: boolean;
}
const STOP: Opening[] = [{ lit: '', whole: false }];

/** Openings of a whole source: the union over its top-level alternatives. */
function openingsOf(source: string): Opening[] {
  const alts = topAlternatives(source);
  if (!alts) return STOP;
  if (alts.length > 1) return alts.flatMap(openingsOf);
  const seq = atoms(source);
  return seq ? openingsFrom(seq, 0) : STOP;
}

/**
 * Openings of the atom sequence from `k` on. Literal characters extend an opening; a group
 * contributes its alternatives' openings (an optional group both with and without it); a
 * lookaround consumes nothing and is passed over; anything else ends the opening.
 */
function openingsFrom(seq: Array<{ atom: string; quant: string }>, k: number): Opening[] {
  if (k === seq.length) return [{ lit: '', whole: true }];
  const { atom, quant } = seq[k]!;
  if (/^\(\?(?:[=!]|<[=!])/.test(atom)) return quant === '' ? openingsFrom(seq, k + 1) : STOP;
  const then = (heads: Opening[]): Opening[] => {
    if (!heads.some((h) => h.whole)) return heads;
    const rest = openingsFrom(seq, k + 1);
    if (heads.length * rest.length > MAX_OPENINGS) return heads.map((h) => ({ lit: h.lit, whole: false }));
    return heads.flatMap((h) => (h.whole ? rest.map((r) => ({ lit: h.lit + r.lit, whole: r.whole })) : [h]));
  };
  let heads: Opening[];
  if (atom.length === 1 && /[a-z0-9 ]/i.test(atom)) heads = [{ lit: atom.toLowerCase(), whole: true }];
  else if (atom[0] === '(' && !atom.startsWith('(?<')) heads = openingsOf(atom.startsWith('(?:') ? atom.slice(3, -1) : atom.slice(1, -1));
  else return STOP;
  if (quant === '') return then(heads);
  // "(?:the )?x" opens with "the x" or with "x"; "s?" ends the opening before it.
  if (quant === '?' && atom[0] === '(') {
    const without = openingsFrom(seq, k + 1);
    const all = [...then(heads), ...without];
    return all.length > MAX_OPENINGS ? STOP : all;
  }
  // "(?:ab|cd)+" opens with one of its alternatives, and what follows that is unknown.
  if (quant[0] === '+' || /^\{[1-9]/.test(quant)) return heads.map((h) => ({ lit: h.lit, whole: false }));
  return STOP;
}

/**
 * Literal openings (lower case) one of which every match of a regex source starts with, or null
 * when there is none to rely on (an opening shorter than three characters):
 * "annex(?:ed|ation)" → ["annexed", "annexation"], "(?:cede|give up) land" → ["cede land",
 * "give up land"], "(?:a |the )?basis" → ["a basis", "the basis", "basis"]. Only plain letters,
 * digits and spaces count as literal.
 */
export function literalPrefix(source: string): string[] | null {
  const open = openingsOf(source);
  if (open.some((o) => o.lit.length < MIN_LITERAL_PREFIX)) return null;
  return [...new Set(open.map((o) => o.lit))];
}

/** Split a regex source (one alternative) into its top-level atoms, each with its quantifier. */
function atoms(source: string): Array<{ atom: string; quant: string }> | null {
  const out: Array<{ atom: string; quant: string }> = [];
  let i = 0;
  while (i < source.length) {
    const from = i;
    const c = source[i]!;
    if (c === '\\') {
      i += 2;
      if (/[pPu]/.test(source[i - 1]!) && source[i] === '{') { const close = source.indexOf('}', i); if (close < 0) return null; i = close + 1; }
    } else if (c === '[') {
      i++;
      while (i < source.length && source[i] !== ']') { if (source[i] === '\\') i++; i++; }
      if (i >= source.length) return null;
      i++;
    } else if (c === '(') {
      let depth = 0;
      for (; i < source.length; i++) {
        const d = source[i]!;
        if (d === '\\') i++;
        else if (d === '[') { i++; while (i < source.length && source[i] !== ']') { if (source[i] === '\\') i++; i++; } }
        else if (d === '(') depth++;
        else if (d === ')' && --depth === 0) break;
      }
      if (i >= source.length) return null;
      i++;
    } else if (c === ')' || c === '|') return null;
    else i++;
    const atom = source.slice(from, i);
    const q = /^(?:[?*+]|\{\d*(?:,\d*)?\})\??/.exec(source.slice(i));
    const quant = q ? q[0] : '';
    i += quant.length;
    out.push({ atom, quant });
  }
  return out;
}

/**
 * Literals (lower case) one of which every match of a regex source contains somewhere, or null:
 * "(?:the )?[a-z]+ (?:dam|reservoir)" → ["dam", "reservoir"]. Used where the source has no
 * literal opening (literalPrefix); only groups and letter runs that cannot be skipped count.
 */
export function requiredLiterals(source: string): string[] | null {
  const alts = topAlternatives(source);
  if (!alts) return null;
  if (alts.length > 1) {
    const all = alts.map(requiredLiterals);
    return all.every((a) => a !== null) ? (all as string[][]).flat() : null;
  }
  const seq = atoms(source);
  if (!seq) return null;
  let run = '';
  for (const { atom, quant } of seq) {
    const optional = quant !== '' && quant[0] !== '+' && !/^\{[1-9]/.test(quant);
    if (atom.length === 1 && /[a-z0-9 ]/i.test(atom) && quant === '') {
      run += atom;
      continue;
    }
    if (run.trim().length >= MIN_LITERAL_PREFIX) return [run.toLowerCase()];
    run = '';
    if (optional || atom[0] !== '(' || /^\(\?(?:[=!]|<[=!])/.test(atom)) continue;
    const body = atom.startsWith('(?:') ? atom.slice(3, -1) : atom.startsWith('(?<') ? null : atom.slice(1, -1);
    if (body === null) continue;
    const inner = literalPrefix(body) ?? requiredLiterals(body);
    if (inner) return inner;
  }
  return run.trim().length >= MIN_LITERAL_PREFIX ? [run.toLowerCase()] : null;
}

/**
 * Cross products of alternatives larger than this stop growing an ending. Larger than for openings:
 * an ending only counts when it reaches back to a space ("plan to end", not "end"), and the endings
 * are compared only where their last word occurs.
 */
const MAX_ENDINGS = 1024;

/** The right word-boundary guard that lexicon.ts puts after every pattern. */
const RIGHT_GUARD = '(?![\\p{L}\\p{N}])';

/** Endings of a whole source: the union over its top-level alternatives (the mirror of openingsOf). */
function endingsOf(source: string): Opening[] {
  const alts = topAlternatives(source);
  if (!alts) return STOP;
  if (alts.length > 1) return alts.flatMap(endingsOf);
  const seq = atoms(source);
  return seq ? endingsBefore(seq, seq.length) : STOP;
}

/**
 * Literal endings of the atom sequence before `k` (`whole`: the ending spans all of it, so what
 * precedes extends it). Read backwards as openingsFrom reads forwards; an optional atom ("s?",
 * "(?:the )?") gives both the endings with it and those without.
 */
function endingsBefore(seq: Array<{ atom: string; quant: string }>, k: number): Opening[] {
  if (k === 0) return [{ lit: '', whole: true }];
  const { atom, quant } = seq[k - 1]!;
  if (/^\(\?(?:[=!]|<[=!])/.test(atom)) return quant === '' ? endingsBefore(seq, k - 1) : STOP;
  const then = (tails: Opening[]): Opening[] => {
    if (!tails.some((t) => t.whole)) return tails;
    const rest = endingsBefore(seq, k - 1);
    if (tails.length * rest.length > MAX_ENDINGS) return tails.map((t) => ({ lit: t.lit, whole: false }));
    return tails.flatMap((t) => (t.whole ? rest.map((r) => ({ lit: r.lit + t.lit, whole: r.whole })) : [t]));
  };
  let tails: Opening[];
  // A hyphen is literal too here ("non-starter"): endings are compared as strings, not by trigram key.
  if (atom.length === 1 && /[a-z0-9 -]/i.test(atom)) tails = [{ lit: atom.toLowerCase(), whole: true }];
  else if (atom[0] === '(' && !atom.startsWith('(?<')) tails = endingsOf(atom.startsWith('(?:') ? atom.slice(3, -1) : atom.slice(1, -1));
  else return STOP;
  if (quant === '') return then(tails);
  if (quant === '?') {
    const all = [...then(tails), ...endingsBefore(seq, k - 1)];
    return all.length > MAX_ENDINGS ? STOP : all;
  }
  // "(?:ab|cd)+" ends with one of its alternatives, and what precedes that is unknown.
  if (quant[0] === '+' || /^\{[1-9]/.test(quant)) return tails.map((t) => ({ lit: t.lit, whole: false }));
  return STOP;
}

/** A literal ending of a pattern, and its last word (which starts a word in the text: after a space or at the match's start). */
interface Tail {
  lit: string;
  word: string;
}

/**
 * The literal endings one of which every match of a bare lexicon regex ends with, right before its
 * right guard (so the ending ends a word in the text), by the trigramKey of the ending's last word;
 * null when some ending's last word is shorter than three characters or need not start a word:
 * "(?:the )?[a-z]+ (?:dam|reservoir)" → " dam", " reservoir" (the words "dam" and "reservoir").
 * For patterns with no literal opening, whose scan is the costliest: the ending must be in the text.
 */
export function tailsOf(bareSource: string): Map<number, Tail[]> | null {
  if (!bareSource.endsWith(RIGHT_GUARD)) return null;
  const seq = atoms(bareSource);
  if (!seq || seq.length === 0 || seq[seq.length - 1]!.atom !== RIGHT_GUARD || seq[seq.length - 1]!.quant !== '') return null;
  const ends = endingsOf(bareSource);
  const out = new Map<number, Tail[]>();
  for (const { lit, whole } of ends) {
    const space = lit.lastIndexOf(' ');
    // Without a space, the ending must be the whole match (a match starts a word).
    if (space < 0 && !whole) return null;
    const word = lit.slice(space + 1);
    const key = trigramKey(word, 0);
    if (word.length < MIN_LITERAL_PREFIX || key < 0) return null;
    const list = out.get(key);
    if (list) list.push({ lit, word });
    else out.set(key, [{ lit, word }]);
  }
  return out.size > 0 ? out : null;
}

/**
 * Does one of the endings occur in `s` with its last word at a word start and nothing but the end
 * of a word after it (the right guard)? `starts` are the word starts by key (prefilter), `lower`
 * is `s` lower-cased with the same offsets.
 */
function anyTail(tails: Map<number, Tail[]>, s: string, starts: Map<number, number[]>, lower: string): boolean {
  for (const [k, list] of tails) {
    const at = starts.get(k);
    if (at === undefined) continue;
    for (const p of at) for (const t of list) {
      const end = p + t.word.length;
      if (lower.startsWith(t.word, p) && end >= t.lit.length && lower.startsWith(t.lit, end - t.lit.length) && endsWord(s, end)) return true;
    }
  }
  return false;
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** Does the right guard hold at i (no letter or digit there)? */
function endsWord(s: string, i: number): boolean {
  if (i >= s.length) return true;
  const c = s.charCodeAt(i);
  if (c < 128) return !((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57));
  return !LETTER_OR_DIGIT.test(String.fromCodePoint(s.codePointAt(i)!));
}

/** Characters that case-fold onto ASCII letters under /iu (long s, Kelvin sign): with them, no prefilter. */
const FOLDS_TO_ASCII = /[\u017f\u212a]/;
/** Index 0–36 of a character a literal prefix may hold (a–z any case, 0–9, space), else -1. */
function litCode(c: number): number {
  if (c >= 97 && c <= 122) return c - 97;
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 48 && c <= 57) return c - 22;
  return c === 32 ? 36 : -1;
}
/** Key of the first MIN_LITERAL_PREFIX (= 3) characters of s at i, or -1. */
function trigramKey(s: string, i: number): number {
  const a = litCode(s.charCodeAt(i)), b = litCode(s.charCodeAt(i + 1)), c = litCode(s.charCodeAt(i + 2));
  return a < 0 || a === 36 || b < 0 || c < 0 ? -1 : (a * 37 + b) * 37 + c;
}
/** Can a whole-word match start at i (the lookbehind LEFT_GUARD)? */
function wordStart(s: string, i: number): boolean {
  if (i === 0) return true;
  const p = s.charCodeAt(i - 1);
  if (p < 128) return !((p >= 97 && p <= 122) || (p >= 65 && p <= 90) || (p >= 48 && p <= 57) || p === 45);
  const pair = i >= 2 && p >= 0xdc00 && p <= 0xdfff && s.charCodeAt(i - 2) >= 0xd800 && s.charCodeAt(i - 2) <= 0xdbff;
  return !GUARD_CHAR.test(pair ? s.slice(i - 2, i) : s[i - 1]!);
}
/** ASCII character → litCode (index 0–36), or -1. */
const LIT_CODE = Int8Array.from({ length: 128 }, (_, c) => litCode(c));
/** ASCII characters that end a word start (the lookbehind's class: letters, digits, hyphen). */
const ASCII_GUARD = Uint8Array.from({ length: 128 }, (_, c) => ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 ? 1 : 0));

/** Number of distinct trigramKeys (37 codes per character). */
const TRIGRAM_KEYS = 37 * 37 * 37;

/** Where whole-word matches may start in one text, for skipping patterns that cannot match there. */
interface Prefilter {
  /**
   * Every place where a whole-word match of the lexicon may start, by the key of its first three
   * characters (case-folded): a pattern's literal opening must be one of the keys, and its matches
   * can only start at that key's places. Only keys some pattern opens with are recorded.
   */
  starts: Map<number, number[]>;
  /** The text lower-cased, when that keeps every offset (else undefined: openings are then checked by key only). */
  lower: string | undefined;
  /** The text lower-cased (whatever its length), for containsLiteral. */
  lowered: string;
  /** containsLiteral's answers so far (many patterns share "plan", "back"). */
  seen: Map<string, boolean>;
}
const prefilterCache: { text: string | null; wanted: Uint8Array | null; pre: Prefilter | undefined } = { text: null, wanted: null, pre: undefined };

/** Does the lower-cased text contain `literal`? */
function containsLiteral(pre: Prefilter, literal: string): boolean {
  let v = pre.seen.get(literal);
  if (v === undefined) pre.seen.set(literal, (v = pre.lowered.includes(literal)));
  return v;
}

/**
 * The prefilter of `text` for the lexicon whose opening keys are `wanted`; undefined when it would
 * not be exact (characters that fold onto ASCII letters under /iu).
 */
function prefilterText(text: string, wanted: Uint8Array): Prefilter | undefined {
  if (prefilterCache.text === text && prefilterCache.wanted === wanted) return prefilterCache.pre;
  let pre: Prefilter | undefined;
  if (!FOLDS_TO_ASCII.test(text)) {
    const lowered = text.toLowerCase();
    pre = { starts: wordStarts(text, wanted), lower: lowered.length === text.length ? lowered : undefined, lowered, seen: new Map() };
  }
  prefilterCache.text = text;
  prefilterCache.wanted = wanted;
  prefilterCache.pre = pre;
  return pre;
}

/**
 * Word starts of `text` by trigramKey, for the keys marked in `wanted`. One pass: `guard` says
 * whether the character before i ends a word start (see wordStart). Kept apart from the cache
 * logic around it, so the optimiser compiles this loop on its own.
 */
function wordStarts(text: string, wanted: Uint8Array): Map<number, number[]> {
  const starts = new Map<number, number[]>();
  const n = text.length;
  let guard = false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const wasGuard = guard;
    guard = c < 128 ? ASCII_GUARD[c] === 1 : !wordStart(text, i + 1);
    if (wasGuard || i + 2 >= n || c >= 128) continue;
    const a = LIT_CODE[c]!;
    if (a < 0 || a === 36) continue;
    const c1 = text.charCodeAt(i + 1), c2 = text.charCodeAt(i + 2);
    const b = c1 < 128 ? LIT_CODE[c1]! : -1, d = c2 < 128 ? LIT_CODE[c2]! : -1;
    if (b < 0 || d < 0) continue;
    const k = (a * 37 + b) * 37 + d;
    if (wanted[k] === 0) continue;
    const at = starts.get(k);
    if (at) at.push(i);
    else starts.set(k, [i]);
  }
  return starts;
}

/** Issue mentions inside `span` of `text`; where two issues overlap, the longer match wins. */
function scanIssueMentions(text: string, span: Span, lex: IssueLexicon): IssueMention[] {
  const lp = plansOf(lex);
  const slice = text.slice(span.start, span.end);
  const pre = prefilterText(slice, lp.wanted);
  const hits: IssueMention[] = [];
  const open = contextOpen(text, lex, lp);
  for (let d = 0; d < lex.issues.length; d++) {
    const def = lex.issues[d]!;
    if (!open.has(def.id)) continue;
    const plans = lp.issues[d]!;
    for (let k = 0; k < plans.length; k++) {
      const issue = def.id;
      const pattern = def.patterns[k]!;
      wordMatches(plans[k]!, slice, (index, length) => {
        hits.push({ issue, pattern, start: span.start + index, end: span.start + index + length });
      }, pre);
    }
  }
  hits.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start) || (a.issue < b.issue ? -1 : 1));
  const kept: IssueMention[] = [];
  for (const h of hits) {
    const covered = kept.some(
      (k) => k.start <= h.start && k.end >= h.end && (k.issue !== h.issue || k.end - k.start > h.end - h.start),
    );
    if (covered) continue;
    // Same issue found twice at the same place by two patterns: keep one.
    if (kept.some((k) => k.issue === h.issue && k.start < h.end && h.start < k.end)) continue;
    kept.push(h);
  }
  return kept;
}

function scanCues(text: string, span: Span, lex: IssueLexicon): CueHit[] {
  const lp = plansOf(lex);
  const slice = text.slice(span.start, span.end);
  const pre = prefilterText(slice, lp.wanted);
  const hits: CueHit[] = [];
  for (let c = 0; c < lex.stanceCues.length; c++) {
    const cue = lex.stanceCues[c]!;
    wordMatches(lp.cues[c]!, slice, (index, length) => {
      const start = span.start + index;
      const before = text.slice(Math.max(span.start, start - NEGATION_WINDOW_CHARS), start);
      const negated = (cue.stance === 'support' || cue.stance === 'oppose') && NEGATION.test(before);
      const stance: Stance = negated ? (cue.stance === 'support' ? 'oppose' : 'support') : cue.stance;
      hits.push({ cue, stance, negated, start, end: start + length });
    }, pre);
  }
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  return hits;
}

/** A cue inside a longer cue is the same cue read twice ("ready to" inside "is ready to advance"). */
function outermost(hits: CueHit[]): CueHit[] {
  return hits.filter((h, i) => !hits.some((o, j) => j !== i && o.start <= h.start && o.end >= h.end && (o.end - o.start > h.end - h.start || j < i)));
}

// Every stage pass asks for mentions and cues in many small spans of one text: scan the whole text
// once per (text, lexicon) and filter, instead of running every pattern over every clause. Cues
// are scanned on first use only: a text that names no issue never needs them (see findPositions).
let scanText: string | null = null;
let scanLex: IssueLexicon | null = null;
let scanMentions: IssueMention[] = [];
let scanCueHits: CueHit[] | null = null;
function scanned(text: string, lex: IssueLexicon): void {
  if (text === scanText && lex === scanLex) return;
  scanMentions = scanIssueMentions(text, { start: 0, end: text.length }, lex);
  scanCueHits = null;
  scanText = text;
  scanLex = lex;
}
function cueHits(text: string, lex: IssueLexicon): CueHit[] {
  scanned(text, lex);
  return (scanCueHits ??= scanCues(text, { start: 0, end: text.length }, lex));
}

/** Issue mentions inside `span` (whole words; where two issues overlap, the longer match wins). */
export function findIssueMentions(text: string, span: Span, lex: IssueLexicon): IssueMention[] {
  scanned(text, lex);
  return scanMentions.filter((m) => m.start >= span.start && m.end <= span.end);
}

function findCues(text: string, span: Span, lex: IssueLexicon): CueHit[] {
  return outermost(cueHits(text, lex).filter((c) => c.start >= span.start && c.end <= span.end));
}

/** Split a span into clauses at contrastive/participial links (", while", ", indicating", ";"). */
export function clauses(text: string, span: Span): Span[] {
  const slice = text.slice(span.start, span.end);
  const out: Span[] = [];
  let from = 0;
  CLAUSE_BREAK.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = CLAUSE_BREAK.exec(slice)) !== null) {
    if (m.index > from) out.push({ start: span.start + from, end: span.start + m.index });
    from = m.index + m[0].length;
    if (m[0].length === 0) CLAUSE_BREAK.lastIndex++;
  }
  if (from < slice.length) out.push({ start: span.start + from, end: span.end });
  return out.filter((c) => /[\p{L}]/u.test(text.slice(c.start, c.end)));
}

function gap(a: Span, b: Span): number {
  if (a.end <= b.start) return b.start - a.end;
  if (b.end <= a.start) return a.start - b.end;
  return 0;
}

function hull(...spans: Span[]): Span {
  return { start: Math.min(...spans.map((s) => s.start)), end: Math.max(...spans.map((s) => s.end)) };
}

/** The stance a clause takes on one issue mention: an issue-specific cue first, else the nearest general cue. */
function stanceFor(m: IssueMention, cues: CueHit[]): CueHit | null {
  const specific = cues.filter((c) => c.cue.issues?.includes(m.issue));
  const general = cues.filter((c) => !c.cue.issues);
  const pool = specific.length > 0 ? specific : general;
  let best: CueHit | null = null;
  for (const c of pool) if (gap(c, m) <= MAX_CUE_ISSUE_GAP_CHARS && (!best || gap(c, m) < gap(best, m))) best = c;
  return best;
}

/**
 * Drop generic issues (the plan, a deal) from a clause that names a specific one, and generic
 * mentions whose terms are qualified right after them ("an agreement largely favoring…").
 */
function specificFirst(ms: IssueMention[], lex: IssueLexicon, text: string, cues: CueHit[] = []): IssueMention[] {
  if (ms.length === 0) return ms;
  const generic = plansOf(lex).generic;
  // A generic mention right before a cue is that cue's subject ("any deal … must include X"): it stays.
  const subject = (m: IssueMention): boolean => cues.some((c) => c.start >= m.end && c.start - m.end <= GENERIC_ATTACH_CHARS);
  const kept = ms.some((m) => !generic.has(m.issue)) ? ms.filter((m) => !generic.has(m.issue) || subject(m)) : ms;
  const q = lex.genericQualifier;
  if (!q) return kept;
  return kept.filter((m) => !generic.has(m.issue) || !q.test(text.slice(m.end, m.end + QUALIFIER_LOOKAHEAD_CHARS)));
}

interface Draft {
  actor: string;
  issue: string;
  stance: Stance;
  evidence: Span;
  from?: string;
  rule: string;
}

/** An actor mention as a plain span with its actor id and country. */
interface AgentMention extends Span {
  actor: string;
  country: string | undefined;
}

/** Every mention of every actor, in text order (one object shape: country is undefined when the actor has none). */
function agentMentions(actors: Actor[]): AgentMention[] {
  const out: AgentMention[] = [];
  for (const a of actors) {
    const country = a.country ? a.country : undefined;
    for (const m of a.mentions) out.push({ start: m.start, end: m.end, actor: a.id, country });
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}

/**
 * A stance reported about someone else: "the diplomat said Russia is ready to accept X" is Russia's
 * stance, not the diplomat's. The actor named right before the cue (SUBJECT_GAP_CHARS) is its
 * subject; when that actor is neither the speaker nor on the speaker's side (same country), the
 * stance is theirs.
 */
function reportedSubjects(text: string, c: CueHit, cl: Span, speaker: Actor | undefined, mentions: AgentMention[]): AgentMention[] {
  if (c.cue.speakerOnly || !speaker) return [];
  const before = mentions.filter((m) => m.start >= cl.start && m.end <= c.start);
  const last = before[before.length - 1];
  if (!last || c.start - last.end > SUBJECT_GAP_CHARS) return [];
  // "Veldra and Tasmir agreed…": coordinated names share the subject.
  const subj = [last];
  for (let i = before.length - 2; i >= 0; i--) {
    if (!COORDINATION.test(text.slice(before[i]!.end, subj[0]!.start))) break;
    subj.unshift(before[i]!);
  }
  const own = (m: AgentMention): boolean => m.actor === speaker.id || (!!m.country && !!speaker.country && m.country === speaker.country);
  if (subj.some(own)) return [];
  return [...new Map(subj.map((m) => [m.actor, m])).values()];
}

/** Positions read from one attribution; also records the issues it concerns on `q.issues`. */
function fromQuote(doc: Doc, q: Quote, lex: IssueLexicon, speaker: Actor | undefined, mentions: AgentMention[]): Draft[] {
  if (!q.speaker) return [];
  const text = doc.text;
  const regions = [q.content, ...(q.contentParts ?? [])].filter((r) => r.end > r.start);
  const out: Draft[] = [];
  const issues = new Set<string>();
  // The attributing expression carries a stance of its own: "expressed optimism about", "advocated".
  let cueStance: CueHit | null = null;
  if (q.cue) {
    const cueSpan = gap(q.cue, q.content) <= CUE_CONTENT_GAP_CHARS ? hull(q.cue, q.content) : q.cue;
    const cueHits = findCues(text, q.cue, lex).filter((c) => !c.cue.issues);
    cueStance = cueHits[0] ?? findCues(text, cueSpan, lex).filter((c) => !c.cue.issues && c.start < q.cue!.end)[0] ?? null;
  }
  let anyIssue = false;
  let firstCue: CueHit | null = null;
  for (const region of regions) {
    let prev: Stance | null = null;
    clauses(text, region).forEach((cl, k) => {
      const cues = findCues(text, cl, lex);
      firstCue ??= cues[0] ?? null;
      const ms = findIssueMentions(text, cl, lex);
      if (ms.length > 0) anyIssue = true;
      for (const m of ms) issues.add(m.issue);
      const contrast = CONTRAST_NEGATION.test(text.slice(cl.start, cl.end));
      let clauseStance: Stance | null = null;
      for (const m of specificFirst(ms, lex, doc.text, cues)) {
        const c = stanceFor(m, cues);
        if (c) {
          clauseStance = c.stance;
          const others = reportedSubjects(text, c, cl, speaker, mentions);
          for (const o of others) out.push({ actor: o.actor, issue: m.issue, stance: c.stance, evidence: cl, from: q.id, rule: `positions:reported-stance[${c.stance}${c.negated ? ',negated' : ''}]` });
          if (others.length === 0) out.push({ actor: q.speaker!, issue: m.issue, stance: c.stance, evidence: cl, from: q.id, rule: `positions:clause-cue[${c.stance}${c.negated ? ',negated' : ''}]` });
        } else if (contrast && (prev === 'support' || prev === 'oppose')) {
          // "ready to discuss a ceasefire, but not territorial concessions": the contrast flips the stance before it.
          const flipped: Stance = prev === 'support' ? 'oppose' : 'support';
          out.push({ actor: q.speaker!, issue: m.issue, stance: flipped, evidence: cl, from: q.id, rule: `positions:contrast-negation[${flipped}]` });
        } else if (k === 0 && cueStance) {
          // The main clause of the statement takes the stance of its attributing verb.
          clauseStance = cueStance.stance;
          out.push({ actor: q.speaker!, issue: m.issue, stance: cueStance.stance, evidence: hull(q.cue!, cl), from: q.id, rule: `positions:attribution-cue[${cueStance.stance}]` });
        }
      }
      prev = clauseStance ?? (cues[0]?.stance ?? null);
    });
  }
  // "This is a red line for us": a stance with no issue of its own refers back.
  const stance = firstCue ?? cueStance;
  if (!anyIssue && stance && wordCount(text, regions) <= MAX_ANAPHORIC_WORDS && regions.some((r) => ANAPHOR.test(text.slice(r.start, r.end)))) {
    const ctx = contextIssues(doc, q, lex);
    for (const issue of ctx) {
      issues.add(issue);
      out.push({ actor: q.speaker, issue, stance: stance.stance, evidence: q.cue ? hull(q.cue, q.content) : q.content, from: q.id, rule: `positions:context-issue[${stance.stance}]` });
    }
  }
  if (issues.size > 0) q.issues = [...issues].sort();
  return out;
}

/** Words (runs of letters and digits) in the regions of `text`: counted only for statements that may be anaphoric. */
function wordCount(text: string, regions: Span[]): number {
  let n = 0;
  for (const r of regions) n += text.slice(r.start, r.end).match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
  return n;
}

/** Issues named just before a statement: its own sentence outside the quote, then earlier sentences of the section. */
function contextIssues(doc: Doc, q: Quote, lex: IssueLexicon): string[] {
  const sents = doc.structure.sentences;
  const si = sents.findIndex((s) => s.start <= q.content.start && q.content.start < s.end);
  if (si < 0) return [];
  const section = (i: number): number => doc.structure.paragraphs[sents[i]!.paragraph]?.section ?? -1;
  const look: Span[] = [];
  const own = sents[si]!;
  if (own.start < q.content.start) look.push({ start: own.start, end: Math.min(q.content.start, q.cue?.start ?? Infinity, q.source?.start ?? Infinity) });
  if (q.content.end < own.end) look.push({ start: Math.max(q.content.end, q.cue?.end ?? 0), end: own.end });
  for (let i = si - 1; i >= Math.max(0, si - CONTEXT_SENTENCES); i--) {
    if (section(i) !== section(si)) break;
    look.push(sents[i]!);
  }
  for (const span of look) {
    if (span.end <= span.start) continue;
    const ms = specificFirst(findIssueMentions(doc.text, span, lex), lex, doc.text);
    if (ms.length > 0) return [...new Set(ms.map((m) => m.issue))].sort();
  }
  return [];
}

/** Positions read from an event whose type implies a stance (AGREE → support, REJECT → oppose). */
function fromEvent(doc: Doc, e: EventRecord, lex: IssueLexicon): Draft[] {
  const ms = findIssueMentions(doc.text, e.evidence, lex);
  if (ms.length > 0) e.issues = [...new Set([...(e.issues ?? []), ...ms.map((m) => m.issue)])].sort();
  const stance = lex.eventStance[e.type];
  if (!stance || e.negated || e.source.length === 0 || !e.trigger) return [];
  const trigger = e.trigger;
  const out: Draft[] = [];
  const cues = findCues(doc.text, e.evidence, lex).filter((c) => c.stance !== 'neutral');
  // Only the issue the action is about: after its trigger, in the trigger's clause, close to it.
  const clause = clauses(doc.text, e.evidence).find((c) => c.start <= trigger.start && trigger.start < c.end);
  // A name between trigger and issue ("send Ms. Martin to Crimea") means the issue is not the action's object.
  const nameBetween = (m: IssueMention): boolean => doc.tokens.some((t) => t.pos === 'PROPN' && t.start >= trigger.end && t.end <= m.start);
  const about = ms.filter((m) => clause && m.start >= trigger.start && m.end <= clause.end && m.start - trigger.end <= EVENT_ISSUE_WINDOW_CHARS && !nameBetween(m));
  for (const m of specificFirst(about, lex, doc.text)) {
    // The event type is a coarse signal: a stance cue next to the issue in the same evidence wins
    // ("raised concerns about being pressured into accepting…" is not an AGREE on the issue).
    const near = stanceFor(m, cues);
    if (near && near.stance !== stance) continue;
    for (const a of e.source) out.push({ actor: a, issue: m.issue, stance, evidence: e.evidence, from: e.id, rule: `positions:event-type[${e.type}]` });
  }
  return out;
}

/** Mention types that name an actor as the agent of a narrated clause ("Russia's insistence that…"). */
const AGENT_MENTIONS = new Set(['name', 'alias', 'title', 'descriptor', 'pronoun']);

/**
 * Narrated stances outside quotes: in a clause where an actor is named before a stance cue and an
 * issue follows the actor ("Russia's insistence that any agreement must align with…").
 */
function fromNarration(doc: Doc, actors: Actor[], quotes: Quote[], lex: IssueLexicon): Draft[] {
  const quoted = quotes.flatMap((q) => [q.content, ...(q.contentParts ?? []), ...(q.cue ? [q.cue] : [])]);
  const mentions = actors
    .flatMap((a) => a.mentions.filter((m) => AGENT_MENTIONS.has(m.type)).map((m) => ({ actor: a.id, start: m.start, end: m.end })))
    .sort((a, b) => a.start - b.start);
  const names = new Truecase(doc);
  const out: Draft[] = [];
  for (const s of doc.structure.sentences) {
    if (overlapsAny(quoted, s)) continue;
    // Clauses lie inside their sentence: one naming no issue has none to read.
    if (findIssueMentions(doc.text, s, lex).length === 0) continue;
    for (const cl of clauses(doc.text, s)) narratedClause(doc, cl, lex, mentions, names, out);
  }
  return out;
}

/** Does any of `spans` overlap `s`? */
function overlapsAny(spans: Span[], s: Span): boolean {
  for (const q of spans) if (q.start < s.end && s.start < q.end) return true;
  return false;
}

/** The narrated stances of one clause (see fromNarration), added to `out`. */
function narratedClause(doc: Doc, cl: Span, lex: IssueLexicon, mentions: Array<{ actor: string; start: number; end: number }>, names: Truecase, out: Draft[]): void {
  const ms = specificFirst(findIssueMentions(doc.text, cl, lex), lex, doc.text);
  if (ms.length === 0) return;
  const cues = findCues(doc.text, cl, lex);
  for (const m of ms) {
    const c = stanceFor(m, cues);
    if (!c) continue;
    // The agent: the last actor mention before both the cue and the issue.
    const limit = Math.min(c.start, m.start);
    let agent: { actor: string; start: number; end: number } | undefined;
    for (let i = mentions.length - 1; i >= 0; i--) {
      const x = mentions[i]!;
      if (x.start >= cl.start && x.end <= limit) {
        agent = x;
        break;
      }
    }
    if (!agent) continue;
    // The agent must be the first name in the clause: "McConnell … on Capitol Hill in support of" is McConnell's stance.
    if (nameBetween(doc.tokens, cl.start, agent.start, names)) continue;
    out.push({ actor: agent.actor, issue: m.issue, stance: c.stance, evidence: cl, rule: `positions:actor-clause[${c.stance}]` });
  }
}

/** Is a token lying within [from, to) a name? */
function nameBetween(tokens: Doc['tokens'], from: number, to: number, names: Truecase): boolean {
  for (const t of tokens) if (t.start >= from && t.end <= to && names.isName(t)) return true;
  return false;
}

/**
 * wink tags any capitalised sentence opener as PROPN ("Optimism is tempered…"); an opener counts as
 * a name only when the same word is capitalised mid-sentence elsewhere in the text (truecasing).
 * Built on first use: most texts have no clause that needs it.
 */
class Truecase {
  private openers: Set<number> | null = null;
  private midCaps: Set<string> | null = null;
  constructor(private readonly doc: Doc) {}

  isName(t: { pos: string; start: number; end: number }): boolean {
    if (t.pos !== 'PROPN') return false;
    if (this.openers === null) this.build();
    return !this.openers!.has(t.start) || this.midCaps!.has(this.doc.text.slice(t.start, t.end));
  }

  private build(): void {
    const doc = this.doc;
    const openers = new Set(doc.structure.sentences.map((s) => doc.tokens[s.tokenStart]?.start ?? -1));
    this.midCaps = new Set(doc.tokens.filter((t) => t.pos === 'PROPN' && !openers.has(t.start)).map((t) => doc.text.slice(t.start, t.end)));
    this.openers = openers;
  }
}

/**
 * Stance of a party: a person, group or organisation with a country and an official role (title or
 * name matching `officialRoles`) speaks for that country when the analysis has the country as an actor. Both positions are kept — the speaker's own and the
 * party's — so a party table and a who-said-it table both read from `positions`.
 */
function partyOf(actorId: string, byId: Map<string, Actor>, countries: Map<string, Actor>, lex: IssueLexicon): Actor | null {
  const a = byId.get(actorId);
  if (!a || a.kind === 'country' || !a.country) return null;
  // Only officials speak for their country: a candidate or a commentator does not.
  const role = lex.officialRole;
  if (role) {
    role.lastIndex = 0;
    const t = `${a.title ?? ''}\n${a.name}`;
    if (!role.test(t)) return null;
    role.lastIndex = 0;
  }
  return countries.get(a.country) ?? null;
}

/** Rules from most to least explicit: a cue in the statement itself beats one read from its verb, context or narration. */
const RULE_ORDER = ['positions:clause-cue', 'positions:reported-stance', 'positions:contrast-negation', 'positions:attribution-cue', 'positions:context-issue', 'positions:event-type', 'positions:actor-clause'];
function ruleRank(rule: string): number {
  const i = RULE_ORDER.findIndex((r) => rule.startsWith(r));
  return i < 0 ? RULE_ORDER.length : i;
}

/**
 * Each actor's stance on each issue, with evidence spans and the rule that read it. As a side
 * effect sets `issues` on the quotes and events it reads (the issues they concern).
 */
export function findPositions(doc: Doc, actors: Actor[], quotes: Quote[], events: EventRecord[], lex: IssueLexicon): Position[] {
  if (!lex.issues || lex.issues.length === 0) return [];
  // Every position, and every issue set on a quote or event, comes from an issue mention: a text
  // naming none (most texts) has no positions, and its stance cues need no scan.
  if (findIssueMentions(doc.text, { start: 0, end: doc.text.length }, lex).length === 0) return [];
  const drafts: Draft[] = [];
  const actorById = new Map(actors.map((a) => [a.id, a]));
  const allMentions = agentMentions(actors);
  for (const q of quotes) drafts.push(...fromQuote(doc, q, lex, q.speaker ? actorById.get(q.speaker) : undefined, allMentions));
  drafts.push(...fromNarration(doc, actors, quotes, lex));
  // An event only adds a stance where no statement in the same place already gave this actor one on the issue.
  for (const e of events)
    for (const d of fromEvent(doc, e, lex))
      if (!drafts.some((x) => !x.rule.startsWith('positions:event-type') && x.actor === d.actor && x.issue === d.issue && x.evidence.start < d.evidence.end && d.evidence.start < x.evidence.end)) drafts.push(d);

  const byId = new Map(actors.map((a) => [a.id, a]));
  const countries = new Map<string, Actor>();
  for (const a of actors) if (a.kind === 'country' && a.country && !countries.has(a.country)) countries.set(a.country, a);
  const withParty: Draft[] = [];
  for (const d of drafts) {
    if (!byId.has(d.actor)) continue; // an event or quote naming an actor this analysis does not have
    withParty.push(d);
    const party = partyOf(d.actor, byId, countries, lex);
    if (party) withParty.push({ ...d, actor: party.id, rule: `${d.rule}+party-of-speaker` });
  }
  // One position per actor, issue and stance: the most explicit evidence, then the first in text order.
  const byText = (a: Draft, b: Draft): number =>
    a.evidence.start - b.evidence.start || a.evidence.end - b.evidence.end || (a.actor < b.actor ? -1 : a.actor > b.actor ? 1 : 0) || (a.issue < b.issue ? -1 : a.issue > b.issue ? 1 : 0);
  const best = new Map<string, Draft>();
  for (const d of [...withParty].sort(byText)) {
    const key = `${d.actor}\u0000${d.issue}\u0000${d.stance}`;
    const cur = best.get(key);
    if (!cur || ruleRank(d.rule) < ruleRank(cur.rule)) best.set(key, d);
  }
  return [...best.values()]
    .sort(byText)
    .map((d) => ({ actor: d.actor, issue: d.issue, stance: d.stance, evidence: d.evidence, ...(d.from ? { from: d.from } : {}), rule: d.rule }));
}
