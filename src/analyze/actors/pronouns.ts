// Pass 4 — pronouns resolved within the article by salience: the most recent compatible actor,
// weighted toward sentence subjects, with gender from names, titles or earlier pronouns.
// Own code: no maintained JavaScript coreference resolver exists (wink-nlp and compromise have none).
import type { Unit } from './units.js';
import { Rec } from './scan.js';
import type { Claims } from './index.js';
import type { Draft } from './resolve.js';
import type { ActorLexicon } from './lexicon.js';

/** A mention in subject position counts this many times more than any other. */
export const SUBJECT_WEIGHT = 2;
/** Weight kept per sentence of distance between a pronoun and an earlier mention. */
export const RECENCY_DECAY = 0.5;
/** Pronouns look back at most this many sentences. */
export const MAX_SENTENCES_BACK = 3;
/** Factor for a person whose gender is not known when the pronoun has one. */
export const UNKNOWN_GENDER_FACTOR = 0.6;
/** "it"/"its" reach back only this many sentences (they are often pleonastic or about things). */
export const IT_SENTENCES_BACK = 1;

// Personal and relative pronouns are closed-class grammar: part of the rules, not a lexicon.
const PRONOUNS = new Map<string, 'm' | 'f' | 'pl' | 'it'>(Object.entries({
  he: 'm', him: 'm', his: 'm', himself: 'm',
  she: 'f', her: 'f', hers: 'f', herself: 'f',
  they: 'pl', them: 'pl', their: 'pl', theirs: 'pl', themselves: 'pl',
  it: 'it', its: 'it',
} as const));
/** Relative pronouns that open a clause about the mention right before them. */
const RELATIVE = new Map<string, 'who' | 'which'>([['who', 'who'], ['which', 'which']]);
/** Openers of a preposed clause whose pronoun can point forward ("During his address, X …"). */
const PREPOSED = new Set(['ADP', 'SCONJ']);

/** Where an actor was last mentioned (units are sentences). */
class Seen {
  lastUnit = -99;
  lastSubjectUnit = -99;
  lastPos = -1;
}

function compatible(d: Draft, cls: 'm' | 'f' | 'pl' | 'it'): boolean {
  if (cls === 'm' || cls === 'f') return d.kind === 'person' && (!d.gender || d.gender === cls);
  if (cls === 'pl') return d.kind === 'group' || d.kind === 'organization';
  return d.kind === 'organization' || d.kind === 'country';
}

function personish(drafts: Draft[], r: Rec): boolean {
  if (r.actor === undefined) return false;
  const k = drafts[r.actor]!.kind;
  return k === 'person' || k === 'group';
}

/** The pronouns of the body units that may refer to an actor, as records (no actor yet). */
function findPronouns(units: Unit[], claimed: Claims, lex: ActorLexicon): Rec[] {
  const pron: Rec[] = [];
  for (let ui = 0; ui < units.length; ui++) {
    const u = units[ui]!;
    if (u.headline) continue;
    const n = u.text.length;
    for (let k = 0; k < n; k++) {
      if (u.pos[k] !== 'PRON' && u.pos[k] !== 'DET') continue;
      const lw = u.lower[k]!;
      if (RELATIVE.has(lw) && !claimed.has(ui, k)) {
        pron.push(new Rec(ui, k, k + 1, k, 'pronoun', 'pronoun:relative', 'pronoun', u.text[k]!));
        continue;
      }
      const cls = PRONOUNS.get(lw);
      if (cls === undefined || claimed.has(ui, k)) continue;
      if (cls === 'it' && lw === 'it' && !(k + 1 < n && u.pos[k + 1] === 'VERB' && !lex.pleonasticItVerbs.has(u.lower[k + 1]!))) continue;
      pron.push(new Rec(ui, k, k + 1, k, 'pronoun', 'pronoun:salience', 'pronoun', u.text[k]!));
    }
  }
  return pron;
}

function byPosition(x: Rec, y: Rec): number {
  return x.unit - y.unit || x.a - y.a;
}

/** The state of one resolution pass over a text. */
class Salience {
  readonly seen = new Map<number, Seen>();
  readonly subjectTaken = new Set<number>();
  /** Records by unit, in text order. */
  readonly byUnit: Rec[][];
  constructor(readonly units: Unit[], readonly drafts: Draft[], events: Rec[]) {
    this.byUnit = new Array<Rec[]>(units.length);
    for (let i = 0; i < units.length; i++) this.byUnit[i] = [];
    for (const r of events) this.byUnit[r.unit]!.push(r);
  }

  /** A mention of an actor: the first person-like one of a sentence not after a preposition is its subject. */
  note(r: Rec): void {
    const u = this.units[r.unit]!;
    let subject = false;
    if (personish(this.drafts, r) && !this.subjectTaken.has(r.unit)) {
      const before = r.np > 0 ? u.pos[r.np - 1] : '';
      if (before !== 'ADP') { subject = true; this.subjectTaken.add(r.unit); }
    }
    r.subject = subject;
    let s = this.seen.get(r.actor!);
    if (s === undefined) this.seen.set(r.actor!, (s = new Seen()));
    s.lastUnit = r.unit;
    s.lastPos = r.a;
    if (subject) s.lastSubjectUnit = r.unit;
  }

  /** Keep only actors within reach, so long texts stay linear. */
  forget(unit: number): void {
    for (const [actor, s] of this.seen) if (unit - s.lastUnit > MAX_SENTENCES_BACK) this.seen.delete(actor);
  }

  /** "X, who said …": the mention right before (a comma may stand between); true when resolved. */
  relative(r: Rec, rel: 'who' | 'which'): boolean {
    const u = this.units[r.unit]!;
    const list = this.byUnit[r.unit]!;
    let prev: Rec | undefined;
    for (const x of list) if (x.what !== 'pronoun' && x.actor !== undefined && (x.b === r.a || (x.b === r.a - 1 && u.text[r.a - 1] === ','))) prev = x;
    if (prev === undefined) return false;
    const d = this.drafts[prev.actor!]!;
    if (!(rel === 'who' ? d.kind === 'person' || d.kind === 'group' : d.kind === 'organization' || d.kind === 'country')) return false;
    r.actor = prev.actor!;
    r.rule = 'pronoun:relative';
    return true;
  }

  /** Cataphora: a pronoun in a clause that opens the sentence may point to the clause's subject (−1 for none). */
  cataphora(r: Rec, cls: 'm' | 'f' | 'pl' | 'it'): number {
    const u = this.units[r.unit]!;
    if (!PREPOSED.has(u.pos[0]!) || cls === 'it') return -1;
    const comma = u.text.indexOf(',');
    if (comma <= r.a) return -1;
    const list = this.byUnit[r.unit]!;
    for (const x of list) if (x.what !== 'pronoun' && x.a < r.a && personish(this.drafts, x)) return -1;
    for (const x of list) {
      if (x.a > comma && x.what !== 'pronoun' && x.actor !== undefined) return compatible(this.drafts[x.actor]!, cls) ? x.actor : -1;
    }
    return -1;
  }

  /** The most salient compatible actor within reach (−1 for none). */
  salient(r: Rec, cls: 'm' | 'f' | 'pl' | 'it'): number {
    let best = -1;
    let bestScore = 0;
    const back = cls === 'it' ? IT_SENTENCES_BACK : MAX_SENTENCES_BACK;
    for (const [actor, s] of this.seen) {
      const d = this.drafts[actor]!;
      if (!compatible(d, cls) || r.unit - s.lastUnit > back) continue;
      let score = Math.max(RECENCY_DECAY ** (r.unit - s.lastUnit), SUBJECT_WEIGHT * RECENCY_DECAY ** (r.unit - s.lastSubjectUnit));
      if ((cls === 'm' || cls === 'f') && !d.gender) score *= UNKNOWN_GENDER_FACTOR;
      // Ties go to the most recent mention.
      score += (s.lastUnit * 1000 + s.lastPos) * 1e-9;
      if (score > bestScore) { bestScore = score; best = actor; }
    }
    return best;
  }

  /** A personal pronoun: the actor it refers to, or false. */
  personal(r: Rec): boolean {
    const u = this.units[r.unit]!;
    const cls = PRONOUNS.get(u.lower[r.a]!)!;
    let best = this.cataphora(r, cls);
    let rule = 'pronoun:salience';
    if (best >= 0) rule = 'pronoun:cataphora';
    // "X and Y … their": the antecedent is the pair, which is no single actor.
    else if (cls === 'pl' && conjoinedPersons(this.byUnit[r.unit]!, r, u, this.drafts)) return false;
    else best = this.salient(r, cls);
    if (best < 0) return false;
    const d = this.drafts[best]!;
    if ((cls === 'm' || cls === 'f') && !d.gender) d.gender = cls;
    r.actor = best;
    r.rule = rule;
    return true;
  }
}

/** Find pronouns in body units and attach each to an actor; returns the new records. */
export function resolvePronouns(units: Unit[], recs: Rec[], drafts: Draft[], claimed: Claims, lex: ActorLexicon): Rec[] {
  const pron = findPronouns(units, claimed, lex);
  const events: Rec[] = [];
  for (const r of recs) if (r.actor !== undefined && !units[r.unit]!.headline) events.push(r);
  for (const r of pron) events.push(r);
  events.sort(byPosition);
  const sal = new Salience(units, drafts, events);
  const out: Rec[] = [];
  let unitSeen = -1;
  for (const r of events) {
    if (r.unit !== unitSeen) {
      unitSeen = r.unit;
      sal.forget(r.unit);
    }
    if (r.what !== 'pronoun') { sal.note(r); continue; }
    const rel = RELATIVE.get(units[r.unit]!.lower[r.a]!);
    if (rel !== undefined) {
      if (sal.relative(r, rel)) out.push(r);
      continue;
    }
    if (!sal.personal(r)) continue;
    out.push(r);
    sal.note(r);
  }
  return out;
}

/** Two person mentions joined by "and" earlier in the pronoun's sentence. */
function conjoinedPersons(recs: Rec[], p: Rec, u: Unit, drafts: Draft[]): boolean {
  let x: Rec | undefined;
  for (const y of recs) {
    if (!(y.a < p.a && y.what !== 'pronoun' && personish(drafts, y))) continue;
    if (x !== undefined && u.lower[x.b] === 'and' && y.np === x.b + 1) return true;
    x = y;
  }
  return false;
}
