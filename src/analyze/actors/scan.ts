// Pass 1 — scan each sentence left to right for noun phrases that name or describe actors:
// [det] [country/demonym]* [title] Name, descriptors ("the Ukrainian leader"), groups ("Ukrainian
// officials"), lexicon names (countries, capitals, organisations, places) and tagger spans.
import type { ActorKind, MentionType } from '../types.js';
import type { ActorLexicon, LexEntry, TitleInfo } from './lexicon.js';
import type { Unit } from './units.js';

// Closed-class words the phrase rules are written around (part of the rules, not a lexicon).
const DETS = new Set(['the', 'a', 'an']);
const POSSESSIVE = new Set(["'s", '’s', "'", '’']);

/** A found phrase, before it is tied to an actor. Positions index the unit's tokens. */
export interface Rec {
  unit: number;
  a: number;
  b: number;
  /** Start of the whole noun phrase (determiner, country modifier, title), for subject detection. */
  np: number;
  type: MentionType;
  rule: string;
  /** What the phrase is. */
  what: 'name' | 'lex' | 'desc' | 'group' | 'admin' | 'pronoun' | 'ner-org' | 'ner-geo' | 'org-desc';
  /** For names: the name as written; for groups and descriptors: the phrase without determiner. */
  text: string;
  title?: string;
  titleInfo?: TitleInfo;
  /** Role noun of a descriptor, singular lower case ("leader", "diplomat"). */
  role?: string;
  country?: string;
  gender?: 'm' | 'f';
  entry?: LexEntry;
  kind?: ActorKind;
  indefinite?: boolean;
  /** Descriptor in apposition to this name record ("X, the foreign minister,"). */
  appositionOf?: Rec;
  possessive?: boolean;
  /** Characters to drop from the end of the span: a possessive glued to the last token ("Trump’s"). */
  cut?: number;
  /** Filled by later passes: the actor this record belongs to. */
  actor?: number;
  subject?: boolean;
}

function isCap(s: string): boolean {
  const c = s.charCodeAt(0);
  if (c >= 65 && c <= 90) return true;
  return c > 127 && /^\p{Lu}/u.test(s);
}

const GEO_KINDS = new Set<ActorKind>(['country', 'group']);

/** wink sometimes keeps "’s" on the name token; the mention then stops before it. */
export function trimPossessive(u: Unit, r: Rec): void {
  const last = u.text[r.b - 1]!;
  if (last.length > 2 && /['’]s$/.test(last)) {
    r.cut = 2;
    r.text = r.text.replace(/['’]s$/, '');
    r.possessive = true;
  }
}

/** Tokens a..b as one phrase: joined by spaces, but "-" and a possessive "'s" glued on. */
export function phraseText(text: readonly string[], a: number, b: number): string {
  // One token has no joining space for the rules to remove (the common case).
  if (b - a === 1 && text[a]!.indexOf(' ') < 0) return text[a]!;
  return text.slice(a, b).join(' ').replace(/ - /g, '-').replace(/ (['’]s)/g, '$1');
}

export class Scanner {
  /** First words of title heads: most tokens are rejected by one lookup. */
  private headFirst: Set<string>;
  /** Lower-case words that can open a title, role or descriptor; other lower-case words are skipped at once. */
  private starters: Set<string>;
  constructor(private lex: ActorLexicon) {
    this.headFirst = new Set([...lex.titleHeads.keys()].map((h) => h.split(/[\s-]/)[0]!));
    this.starters = new Set([...this.headFirst, ...DETS, ...lex.plurals.keys(), ...lex.personRoles, ...lex.groupRoles, ...lex.titleModifiers, ...lex.honorifics.keys()]);
  }

  /** A token that can be part of a person's name. */
  nameToken(u: Unit, k: number): boolean {
    const t = u.text[k]!;
    if (!isCap(t) || this.lex.notNames.has(t)) return false;
    if (u.pos[k] !== 'PROPN' && u.nerAt[k] !== 'per') return false;
    const lw = u.lower[k]!;
    return !this.lex.titleHeads.has(lw) && !this.lex.honorifics.has(lw);
  }

  /** End of the name starting at r (exclusive). */
  nameRun(u: Unit, r: number): number {
    const inPer = u.nerAt[r] === 'per';
    let e = r + 1;
    while (e < u.text.length) {
      if (this.nameToken(u, e)) {
        // A tagged name ends where the tagger's span ends; an untagged one at a geo name.
        if (inPer && u.nerAt[e] !== 'per') break;
        const ph = u.phrase[e];
        if (!inPer && ph && ph.entry.kind !== 'person') break;
        e++;
      } else if (this.lex.nameParticles.has(u.text[e]!) && e + 1 < u.text.length && this.nameToken(u, e + 1)) e += 2;
      else if (u.text[e] === '-' && e + 1 < u.text.length && this.nameToken(u, e + 1)) e += 2;
      else break;
    }
    return e;
  }

  /** Longest title head (possibly several words) at k, matched case-insensitively. */
  private headAt(u: Unit, k: number): { b: number; head: string } | null {
    if (!this.headFirst.has(u.lower[k]!)) return null;
    for (let len = Math.min(this.lex.maxTitleTokens, u.text.length - k); len >= 1; len--) {
      const h = len === 1 ? u.lower[k]! : u.lower.slice(k, k + len).join(' ').replace(/ - /g, '-');
      if (this.lex.titleHeads.has(h)) return { b: k + len, head: h };
    }
    return null;
  }

  /**
   * [modifier]* head at q: a title ("Foreign Minister", "press secretary") or a role noun, which
   * may be plural ("officials"). Returns the rightmost head reached.
   */
  roleAt(u: Unit, q: number): { b: number; head: string; plural: boolean; info?: TitleInfo } | null {
    let k = q;
    let best: { b: number; head: string; plural: boolean; info?: TitleInfo } | null = null;
    while (k < u.text.length) {
      const lw = u.lower[k]!;
      const sing = this.lex.plurals.get(lw);
      if (sing) return { b: k + 1, head: sing, plural: true };
      const h = this.headAt(u, k);
      if (h) {
        const info = this.lex.titleHeads.get(h.head);
        best = { b: h.b, head: h.head, plural: false, ...(info ? { info } : {}) };
        k = h.b;
        continue;
      }
      if (this.lex.personRoles.has(lw) || this.lex.groupRoles.has(lw)) return { b: k + 1, head: lw, plural: false };
      if (this.lex.titleModifiers.has(lw) && (best === null || k === best.b)) { k++; continue; }
      break;
    }
    return best;
  }

  /** Country, region or alias modifiers at p ("US", "Ukrainian", "Russia's", "White House"). */
  geoAt(u: Unit, p: number): { q: number; geo: Array<{ a: number; b: number; entry: LexEntry; possessive: boolean }> } {
    const geo: Array<{ a: number; b: number; entry: LexEntry; possessive: boolean }> = [];
    let q = p;
    while (q < u.text.length) {
      const ph = u.phrase[q];
      if (!ph || !GEO_KINDS.has(ph.entry.kind)) break;
      const b = q + ph.tokens.length;
      const possessive = b < u.text.length && POSSESSIVE.has(u.text[b]!);
      geo.push({ a: q, b, entry: ph.entry, possessive });
      q = possessive ? b + 1 : b;
    }
    return { q, geo };
  }

  /** Scan one unit; returns records in text order (they do not overlap). */
  scan(u: Unit, ui: number): Rec[] {
    const out: Rec[] = [];
    const n = u.text.length;
    const textOf = (a: number, b: number): string => phraseText(u.text, a, b);
    const lexRec = (g: { a: number; b: number; entry: LexEntry }, np: number): Rec => ({
      unit: ui, a: g.a, b: g.b, np, type: g.entry.type, rule: g.entry.rule, what: 'lex', text: textOf(g.a, g.b), entry: g.entry,
    });
    const possessive = (e: number): boolean => e < n && POSSESSIVE.has(u.text[e]!);
    let j = 0;
    while (j < n) {
      const lw = u.lower[j]!;
      if (!u.phrase[j] && !isCap(u.text[j]!) && !this.starters.has(lw)) { j++; continue; }
      const det = DETS.has(lw) ? lw : null;
      const p = det ? j + 1 : j;
      const { q, geo } = this.geoAt(u, p);
      const lastGeo = geo[geo.length - 1];
      const geoCountry = lastGeo?.entry.kind === 'country' ? lastGeo.entry.country : undefined;

      // Honorific + name: "Mr. Driscoll".
      const hon = q < n ? this.lex.honorifics.get(u.lower[q]!) : undefined;
      if (hon !== undefined && q + 1 < n && this.nameToken(u, q + 1)) {
        const e = this.nameRun(u, q + 1);
        for (const g of geo) out.push(lexRec(g, j));
        out.push({ unit: ui, a: q + 1, b: e, np: j, type: 'name', rule: 'honorific+name', what: 'name', text: textOf(q + 1, e), ...(hon ? { gender: hon as 'm' | 'f' } : {}), ...(geoCountry ? { country: geoCountry } : {}), possessive: possessive(e) });
        j = e;
        continue;
      }
      let role = q < n ? this.roleAt(u, q) : null;
      let roleStart = q;
      // "the GOP presidential candidate", "the billionaire businessman": free modifiers after a determiner.
      if (!role && det) {
        for (let k = q; k < Math.min(n, q + MAX_FREE_MODIFIERS); k++) {
          if (!FREE_MODIFIER_POS.has(u.pos[k]!) || u.text[k] === '-' || u.phrase[k]) break;
          const r2 = k + 1 < n && !isCap(u.text[k + 1]!) ? this.roleAt(u, k + 1) : null;
          if (r2) {
            // A capitalised role right after capitalised words is a title before a name, not a descriptor.
            if (!(r2.b < n && this.nameToken(u, r2.b))) { role = r2; roleStart = k + 1; }
            break;
          }
        }
        // "the company", "the campaign": refers back to an organisation.
        if (!role && det === 'the') {
          let k = q;
          while (k < n && k < q + MAX_FREE_MODIFIERS && this.lex.orgNouns.has(u.lower[k]!) === false && FREE_MODIFIER_POS.has(u.pos[k]!) && !u.phrase[k]) k++;
          if (k < n && this.lex.orgNouns.has(u.text[k]!) && !(k + 1 < n && (u.pos[k + 1] === 'NOUN' || u.pos[k + 1] === 'PROPN'))) {
            out.push({ unit: ui, a: j, b: k + 1, np: j, type: 'descriptor', rule: 'descriptor:organization', what: 'org-desc', text: textOf(p, k + 1), role: u.lower[k]! });
            j = k + 1;
            continue;
          }
        }
      }
      // [geo]* Title Name: "Russian Foreign Minister Sergei Lavrov", "President Putin".
      if (role && !role.plural && role.b < n && this.nameToken(u, role.b) && !(u.phrase[role.b] && u.nerAt[role.b] !== 'per' && u.phrase[role.b]!.entry.kind !== 'person')) {
        const e = this.nameRun(u, role.b);
        for (const g of geo) out.push(lexRec(g, j));
        const rec: Rec = {
          unit: ui, a: role.b, b: e, np: j, type: 'name', rule: 'title+name', what: 'name', text: textOf(role.b, e),
          title: textOf(q, role.b), ...(role.info ? { titleInfo: role.info } : {}), ...(role.info?.gender ? { gender: role.info.gender } : {}),
          ...(geoCountry ? { country: geoCountry } : {}), possessive: possessive(e),
        };
        j = this.afterName(u, ui, rec, out, textOf);
        continue;
      }
      // Descriptors and groups: "The Ukrainian leader", "A Ukrainian diplomat", "Ukrainian officials".
      if (role && (det || geo.length || role.plural)) {
        const b = role.b;
        const modifierUse = b < n && (u.pos[b] === 'NOUN' || u.pos[b] === 'PROPN' || this.nameToken(u, b));
        const isGov = this.lex.governmentWords.has(role.head) || this.lex.governmentWords.has(u.lower[b - 1]!);
        if (!modifierUse && !(det && INDEF_DET.has(det) && role.plural)) {
          const rest = textOf(p, b);
          if (isGov && geoCountry) {
            // "the Ukrainian government", "Russian authorities": the country itself.
            out.push({ unit: ui, a: j, b, np: j, type: 'alias', rule: 'descriptor:government', what: 'lex', text: rest, entry: lastGeo!.entry });
            j = b;
            continue;
          }
          if (role.plural && (lastGeo || this.lex.personRoles.has(role.head))) {
            out.push({ unit: ui, a: j, b, np: j, type: 'descriptor', rule: lastGeo?.entry.kind === 'group' ? 'descriptor:region-group' : 'descriptor:group', what: 'group', text: rest, role: role.head, ...(geoCountry ? { country: geoCountry } : {}), ...(lastGeo ? { entry: lastGeo.entry } : {}) });
            j = b;
            continue;
          }
          if (!role.plural && (this.lex.personRoles.has(role.head) || role.info) && !this.lex.groupRoles.has(role.head)) {
            const indefinite = det === 'a' || det === 'an' || (!det && !lastGeo?.possessive);
            out.push({
              // "the president": an office named alone is a title mention; "the diplomat" a descriptor.
              unit: ui, a: j, b, np: j, type: !indefinite && !geo.length && role.info?.leader ? 'title' : 'descriptor', rule: indefinite ? 'descriptor:indefinite' : 'descriptor:definite', what: 'desc', text: rest,
              role: role.head, title: textOf(roleStart, b), ...(role.info ? { titleInfo: role.info } : {}), ...(role.info?.gender ? { gender: role.info.gender } : {}),
              ...(geoCountry ? { country: geoCountry } : {}), indefinite, possessive: possessive(b),
            });
            j = b;
            continue;
          }
        }
      }
      // "<Name> administration": the leader's government, whatever the tagger calls the name.
      if (this.nameToken(u, j) && !u.phrase[j]) {
        const e = this.nameRun(u, j);
        if (e < n && this.lex.leaderGovernment.has(u.lower[e]!)) {
          out.push({ unit: ui, a: j, b: e + 1, np: j, type: 'alias', rule: 'leader+administration', what: 'admin', text: textOf(j, e) });
          j = e + 1;
          continue;
        }
      }
      // "Pate said" / "…, said Pate.": a capitalised word next to a speech verb names a person.
      if (u.nerAt[j] === '' && !u.phrase[j] && this.nameToken(u, j) && !(j === 0 && this.lex.ner?.skip.has(lw)) && !(j > 0 && DETS.has(u.lower[j - 1]!))) {
        const e = this.nameRun(u, j);
        const after = e < n && this.lex.speechVerbs.has(u.lemma[e]!);
        const before = j > 0 && this.lex.speechVerbs.has(u.lemma[j - 1]!) && (e >= n || u.pos[e] === 'PUNCT');
        if (after || before) {
          const rec: Rec = { unit: ui, a: j, b: e, np: j, type: 'name', rule: 'name+speech-verb', what: 'name', text: textOf(j, e), possessive: possessive(e) };
          j = this.afterName(u, ui, rec, out, textOf);
          continue;
        }
      }
      // A known given name before a capitalised word opens a name even where the tagger missed it.
      if (this.lex.givenNames.has(u.text[j]!) && !u.phrase[j] && j + 1 < n && this.nameToken(u, j + 1) && !u.phrase[j + 1]) {
        let e = Math.max(this.nameRun(u, j + 1), u.nerAt[j + 1] === 'per' ? this.nerEnd(u, j + 1) : 0);
        // The tagger's span may run over a possessive.
        while (e > j + 2 && !this.nameToken(u, e - 1)) e--;
        const rec: Rec = { unit: ui, a: j, b: e, np: j, type: 'name', rule: 'given-name+name', what: 'name', text: textOf(j, e), possessive: possessive(e) };
        j = this.afterName(u, ui, rec, out, textOf);
        continue;
      }
      // A name the tagger found, without a title before it.
      if (u.nerAt[j] === 'per' && this.nameToken(u, j) && !(u.phrase[j] && u.phrase[j]!.tokens.length >= this.nerEnd(u, j) - j)) {
        const e = this.nameRun(u, j);
        const rec: Rec = { unit: ui, a: j, b: e, np: j, type: 'name', rule: 'ner:gmb-perceptron', what: 'name', text: textOf(j, e), possessive: possessive(e) };
        j = this.afterName(u, ui, rec, out, textOf);
        continue;
      }
      // Lexicon names: countries, capitals, demonyms, organisations, places, regions.
      const ph = u.phrase[j];
      // "Brandon Darby": a one-word city before a capitalised name is a given name.
      if (ph && ph.tokens.length === 1 && ph.entry.kind === 'place' && j + 1 < n && !u.phrase[j + 1] && this.nameToken(u, j + 1) && u.pos[j] === 'PROPN') {
        const e = this.nameRun(u, j + 1);
        const rec: Rec = { unit: ui, a: j, b: e, np: j, type: 'name', rule: 'given-name+name', what: 'name', text: textOf(j, e), possessive: possessive(e) };
        j = this.afterName(u, ui, rec, out, textOf);
        continue;
      }
      // A tagged organisation that runs past the lexicon name ("New York" in "New York Post") wins.
      if (ph && !(u.nerAt[j] === 'org' && ph.entry.kind !== 'organization' && this.nerEnd(u, j) > j + ph.tokens.length)) {
        const b = j + ph.tokens.length;
        const rec = lexRec({ a: j, b, entry: ph.entry }, j);
        // "talks in Abu Dhabi": a capital after a locative preposition is the city, not the government.
        if (ph.entry.rule === CAPITAL_RULE && j > 0 && this.lex.locatives.has(u.lower[j - 1]!)) {
          rec.entry = { ...ph.entry, kind: 'place', name: rec.text, type: 'name', rule: CAPITAL_RULE + '-as-place' };
          rec.rule = rec.entry.rule;
          rec.type = 'name';
        }
        out.push(rec);
        j = b;
        continue;
      }
      // Other tagged names: organisations and places the lexicons do not hold.
      if ((u.nerAt[j] === 'org' || u.nerAt[j] === 'geo') && isCap(u.text[j]!) && !this.lex.notNames.has(u.text[j]!)) {
        let e = this.nerEnd(u, j);
        while (e > j + 1 && !isCap(u.text[e - 1]!)) e--;
        if (e === j + 1 && (DETS.has(lw) || this.lex.ner?.skip.has(lw))) { j++; continue; }
        // The tagger sometimes calls a person an organisation: a known given name first says otherwise.
        if (e - j >= 2 && this.lex.givenNames.has(u.text[j]!) && this.nameToken(u, j + 1)) {
          const rec: Rec = { unit: ui, a: j, b: e, np: j, type: 'name', rule: 'ner:gmb-perceptron+given-name', what: 'name', text: textOf(j, e), possessive: possessive(e) };
          j = this.afterName(u, ui, rec, out, textOf);
          continue;
        }
        const kind: ActorKind = u.nerAt[j] === 'org' ? 'organization' : 'place';
        out.push({ unit: ui, a: j, b: e, np: j, type: 'name', rule: 'ner:gmb-perceptron', what: kind === 'organization' ? 'ner-org' : 'ner-geo', text: textOf(j, e), kind });
        j = e;
        continue;
      }
      j++;
    }
    return out;
  }

  /** End of the tagger span covering j. */
  private nerEnd(u: Unit, j: number): number {
    const t = u.nerAt[j];
    let e = j + 1;
    while (e < u.text.length && u.nerAt[e] === t && !(u.ner.some((s) => s.start === e))) e++;
    return e;
  }

  /** After a name: "<name> administration" → the country; "<name>, the foreign minister," → apposition. */
  private afterName(u: Unit, ui: number, rec: Rec, out: Rec[], textOf: (a: number, b: number) => string): number {
    const n = u.text.length;
    const e = rec.b;
    if (e < n && this.lex.leaderGovernment.has(u.lower[e]!) && !rec.possessive) {
      out.push({ ...rec, b: e + 1, type: 'alias', rule: 'leader+administration', what: 'admin', text: rec.text });
      return e + 1;
    }
    out.push(rec);
    if (e + 1 < n && u.text[e] === ',') {
      const d = DETS.has(u.lower[e + 1]!) ? e + 2 : e + 1;
      const { q, geo } = this.geoAt(u, d);
      const role = q < n ? this.roleAt(u, q) : null;
      const lastGeo = geo[geo.length - 1];
      if (role && !role.plural && (d > e + 1 || geo.length) && (role.b >= n || /^[,.;:)—–-]$/.test(u.text[role.b]!) || u.lower[role.b] === 'of' || u.pos[role.b] === 'VERB' || u.pos[role.b] === 'AUX')) {
        out.push({
          unit: ui, a: e + 1, b: role.b, np: e + 1, type: 'descriptor', rule: 'apposition', what: 'desc', text: textOf(d, role.b), role: role.head,
          title: textOf(q, role.b), ...(role.info ? { titleInfo: role.info } : {}), ...(lastGeo?.entry.kind === 'country' && lastGeo.entry.country ? { country: lastGeo.entry.country } : {}),
          appositionOf: rec,
        });
        if (!rec.title) rec.title = textOf(q, role.b);
        if (!rec.country && lastGeo?.entry.kind === 'country') rec.country = lastGeo.entry.country;
        if (!rec.gender && role.info?.gender) rec.gender = role.info.gender;
        return role.b;
      }
    }
    return e;
  }
}

const INDEF_DET = new Set(['a', 'an']);
/** At most this many adjectives or nouns between a determiner and a role noun. */
const MAX_FREE_MODIFIERS = 3;
const FREE_MODIFIER_POS = new Set(['ADJ', 'NOUN', 'PROPN']);
const CAPITAL_RULE = 'lexicon:world-countries:capital';
