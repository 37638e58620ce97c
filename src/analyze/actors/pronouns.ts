// Pass 4 — pronouns resolved within the article by salience: the most recent compatible actor,
// weighted toward sentence subjects, with gender from names, titles or earlier pronouns.
// Own code: no maintained JavaScript coreference resolver exists (wink-nlp and compromise have none).
import type { Unit } from './units.js';
import type { Rec } from './scan.js';
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

interface Seen {
  lastUnit: number;
  lastSubjectUnit: number;
  lastPos: number;
}

function compatible(d: Draft, cls: 'm' | 'f' | 'pl' | 'it'): boolean {
  if (cls === 'm' || cls === 'f') return d.kind === 'person' && (!d.gender || d.gender === cls);
  if (cls === 'pl') return d.kind === 'group' || d.kind === 'organization';
  return d.kind === 'organization' || d.kind === 'country';
}

/** Find pronouns in body units and attach each to an actor; returns the new records. */
export function resolvePronouns(units: Unit[], recs: Rec[], drafts: Draft[], claimed: number[][], lex: ActorLexicon): Rec[] {
  const pron: Rec[] = [];
  units.forEach((u, ui) => {
    if (u.headline) return;
    for (let k = 0; k < u.text.length; k++) {
      if (u.pos[k] !== 'PRON' && u.pos[k] !== 'DET') continue;
      const cls = PRONOUNS.get(u.lower[k]!);
      if (RELATIVE.has(u.lower[k]!) && !claimed[ui]![k]) {
        pron.push({ unit: ui, a: k, b: k + 1, np: k, type: 'pronoun', rule: 'pronoun:relative', what: 'pronoun', text: u.text[k]! });
        continue;
      }
      if (!cls || claimed[ui]![k]) continue;
      if (cls === 'it' && u.lower[k] === 'it' && !(k + 1 < u.text.length && u.pos[k + 1] === 'VERB' && !lex.pleonasticItVerbs.has(u.lower[k + 1]!))) continue;
      pron.push({ unit: ui, a: k, b: k + 1, np: k, type: 'pronoun', rule: 'pronoun:salience', what: 'pronoun', text: u.text[k]! });
    }
  });
  const events = [...recs.filter((r) => r.actor !== undefined && !units[r.unit]!.headline), ...pron].sort((x, y) => x.unit - y.unit || x.a - y.a);
  const byUnit = new Map<number, Rec[]>();
  for (const r of events) (byUnit.get(r.unit) ?? byUnit.set(r.unit, []).get(r.unit)!).push(r);
  const seen = new Map<number, Seen>();
  const subjectTaken = new Set<number>();
  const out: Rec[] = [];
  const personish = (r: Rec): boolean => r.actor !== undefined && (drafts[r.actor]!.kind === 'person' || drafts[r.actor]!.kind === 'group');

  const note = (r: Rec): void => {
    const u = units[r.unit]!;
    let subject = false;
    if (personish(r) && !subjectTaken.has(r.unit)) {
      const before = r.np > 0 ? u.pos[r.np - 1] : '';
      if (before !== 'ADP') { subject = true; subjectTaken.add(r.unit); }
    }
    r.subject = subject;
    const s = seen.get(r.actor!) ?? { lastUnit: -99, lastSubjectUnit: -99, lastPos: -1 };
    s.lastUnit = r.unit;
    s.lastPos = r.a;
    if (subject) s.lastSubjectUnit = r.unit;
    seen.set(r.actor!, s);
  };

  let unitSeen = -1;
  for (const r of events) {
    if (r.unit !== unitSeen) {
      // Keep only actors within reach, so long texts stay linear.
      unitSeen = r.unit;
      for (const [actor, s] of seen) if (r.unit - s.lastUnit > MAX_SENTENCES_BACK) seen.delete(actor);
    }
    if (r.what !== 'pronoun') { note(r); continue; }
    const u = units[r.unit]!;
    const rel = RELATIVE.get(u.lower[r.a]!);
    if (rel) {
      // "X, who said …": the mention right before (a comma may stand between).
      const prev = byUnit.get(r.unit)!.filter((x) => x.what !== 'pronoun' && x.actor !== undefined && (x.b === r.a || (x.b === r.a - 1 && u.text[r.a - 1] === ','))).pop();
      const d = prev ? drafts[prev.actor!]! : undefined;
      if (prev && d && (rel === 'who' ? d.kind === 'person' || d.kind === 'group' : d.kind === 'organization' || d.kind === 'country')) {
        r.actor = prev.actor!;
        r.rule = 'pronoun:relative';
        out.push(r);
      }
      continue;
    }
    const cls = PRONOUNS.get(u.lower[r.a]!)!;
    let best = -1;
    let bestScore = 0;
    let rule = 'pronoun:salience';
    // Cataphora: a pronoun in a clause that opens the sentence may point to the clause's subject.
    if (PREPOSED.has(u.pos[0]!) && (cls === 'm' || cls === 'f' || cls === 'pl')) {
      const comma = u.text.indexOf(',');
      if (comma > r.a && !byUnit.get(r.unit)!.some((x) => x.what !== 'pronoun' && x.a < r.a && personish(x))) {
        const next = byUnit.get(r.unit)!.find((x) => x.a > comma && x.what !== 'pronoun' && x.actor !== undefined);
        if (next && compatible(drafts[next.actor!]!, cls)) { best = next.actor!; bestScore = 1; rule = 'pronoun:cataphora'; }
      }
    }
    // "X and Y … their": the antecedent is the pair, which is no single actor.
    if (best < 0 && cls === 'pl' && conjoinedPersons(byUnit.get(r.unit)!, r, units[r.unit]!, personish)) continue;
    if (best < 0) {
      const back = cls === 'it' ? IT_SENTENCES_BACK : MAX_SENTENCES_BACK;
      for (const [actor, s] of seen) {
        const d = drafts[actor]!;
        if (!compatible(d, cls) || r.unit - s.lastUnit > back) continue;
        let score = Math.max(RECENCY_DECAY ** (r.unit - s.lastUnit), SUBJECT_WEIGHT * RECENCY_DECAY ** (r.unit - s.lastSubjectUnit));
        if ((cls === 'm' || cls === 'f') && !d.gender) score *= UNKNOWN_GENDER_FACTOR;
        // Ties go to the most recent mention.
        score += (s.lastUnit * 1000 + s.lastPos) * 1e-9;
        if (score > bestScore) { bestScore = score; best = actor; }
      }
    }
    if (best < 0) continue;
    const d = drafts[best]!;
    if ((cls === 'm' || cls === 'f') && !d.gender) d.gender = cls;
    r.actor = best;
    r.rule = rule;
    out.push(r);
    note(r);
  }
  return out;
}

/** Two person mentions joined by "and" earlier in the pronoun's sentence. */
function conjoinedPersons(recs: Rec[], p: Rec, u: Unit, personish: (r: Rec) => boolean): boolean {
  const before = recs.filter((x) => x.a < p.a && x.what !== 'pronoun' && personish(x));
  for (let i = 0; i + 1 < before.length; i++) {
    const x = before[i]!, y = before[i + 1]!;
    if (u.lower[x.b] === 'and' && y.np === x.b + 1) return true;
  }
  return false;
}
