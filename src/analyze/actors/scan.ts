// Pass 1 — scan each sentence left to right for noun phrases that name or describe actors:
// [det] [country/demonym]* [title] Name, descriptors ("the Ukrainian leader"), groups ("Ukrainian
// officials"), lexicon names (countries, capitals, organisations, places) and tagger spans.
import type { ActorKind, MentionType } from '../types.js';
import { lexEntry, type ActorLexicon, type LexEntry, type TitleInfo } from './lexicon.js';
import type { Unit } from './units.js';

// Closed-class words the phrase rules are written around (part of the rules, not a lexicon).
const DETS = new Set(['the', 'a', 'an']);
const POSSESSIVE = new Set(["'s", '’s', "'", '’']);

/**
 * A found phrase, before it is tied to an actor. Positions index the unit's tokens.
 * A class with every field set in the constructor: all records share one shape (map), so the
 * passes that read them stay monomorphic instead of meeting a dozen literal shapes.
 */
export class Rec {
  unit: number;
  a: number;
  b: number;
  /** Start of the whole noun phrase (determiner, country modifier, title), for subject detection. */
  np: number;
  type: MentionType;
  rule: string;
  /** What the phrase is. */
  what: RecWhat;
  /** For names: the name as written; for groups and descriptors: the phrase without determiner. */
  text: string;
  title: string | undefined;
  titleInfo: TitleInfo | undefined;
  /** Role noun of a descriptor, singular lower case ("leader", "diplomat"). */
  role: string | undefined;
  country: string | undefined;
  gender: 'm' | 'f' | undefined;
  entry: LexEntry | undefined;
  kind: ActorKind | undefined;
  indefinite: boolean | undefined;
  /** Descriptor in apposition to this name record ("X, the foreign minister,"). */
  appositionOf: Rec | undefined;
  possessive: boolean | undefined;
  /** Characters to drop from the end of the span: a possessive glued to the last token ("Trump’s"). */
  cut: number | undefined;
  /** Filled by later passes: the actor this record belongs to. */
  actor: number | undefined;
  subject: boolean | undefined;

  constructor(unit: number, a: number, b: number, np: number, type: MentionType, rule: string, what: RecWhat, text: string) {
    this.unit = unit;
    this.a = a;
    this.b = b;
    this.np = np;
    this.type = type;
    this.rule = rule;
    this.what = what;
    this.text = text;
    this.title = undefined;
    this.titleInfo = undefined;
    this.role = undefined;
    this.country = undefined;
    this.gender = undefined;
    this.entry = undefined;
    this.kind = undefined;
    this.indefinite = undefined;
    this.appositionOf = undefined;
    this.possessive = undefined;
    this.cut = undefined;
    this.actor = undefined;
    this.subject = undefined;
  }

  /** A copy with every field (what `{ ...rec }` gave, in the one shape). */
  copy(): Rec {
    const r = new Rec(this.unit, this.a, this.b, this.np, this.type, this.rule, this.what, this.text);
    r.title = this.title;
    r.titleInfo = this.titleInfo;
    r.role = this.role;
    r.country = this.country;
    r.gender = this.gender;
    r.entry = this.entry;
    r.kind = this.kind;
    r.indefinite = this.indefinite;
    r.appositionOf = this.appositionOf;
    r.possessive = this.possessive;
    r.cut = this.cut;
    r.actor = this.actor;
    r.subject = this.subject;
    return r;
  }
}

export type RecWhat = 'name' | 'lex' | 'desc' | 'group' | 'admin' | 'pronoun' | 'ner-org' | 'ner-geo' | 'org-desc';

function isCap(s: string): boolean {
  const c = s.charCodeAt(0);
  if (c >= 65 && c <= 90) return true;
  return c > 127 && /^\p{Lu}/u.test(s);
}

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
  const joined = text.slice(a, b).join(' ');
  return plainPhrase(text, a, b) ? joined : joined.replace(/ - /g, '-').replace(/ (['’]s)/g, '$1');
}

/**
 * Whether tokens a..b joined by spaces give no match to `phraseText`'s rules, which is most
 * phrases: no token holds a space or is "-", and none after the first opens with "'s" or "’s".
 */
function plainPhrase(text: readonly string[], a: number, b: number): boolean {
  for (let i = a; i < b; i++) {
    const t = text[i]!;
    if (t === '-' || t.indexOf(' ') >= 0) return false;
    const c = t.charCodeAt(0);
    if (i > a && (c === 39 || c === 0x2019) && t.charCodeAt(1) === 115) return false;
  }
  return true;
}

/** A country, region or alias modifier found by `geoAt`. */
class Geo {
  constructor(public a: number, public b: number, public entry: LexEntry, public possessive: boolean) {}
}

/** A title or role noun found by `roleAt`: where it ends, its head, whether plural, its title facts. */
class Role {
  constructor(public b: number, public head: string, public plural: boolean, public info: TitleInfo | undefined) {}
}

/**
 * What the phrase rules know at the token being scanned: the determiner, the country modifiers
 * after it and the role after those. One per scanner, refilled at each candidate token, so the
 * rules are small methods reading one object of one shape (not one giant function with closures).
 */
class Cursor {
  ui = 0;
  j = 0;
  lw = '';
  det: string | null = null;
  /** After the determiner. */
  p = 0;
  /** After the country modifiers. */
  q = 0;
  geo: Geo[] = [];
  lastGeo: Geo | undefined = undefined;
  geoCountry: string | undefined = undefined;
  role: Role | null = null;
  roleStart = 0;
}

/** Records of the lexicon modifiers before a phrase. */
function pushGeo(out: Rec[], c: Cursor, u: Unit): void {
  for (let g = 0; g < c.geo.length; g++) out.push(lexRec(c.ui, u, c.geo[g]!.a, c.geo[g]!.b, c.geo[g]!.entry, c.j));
}

function lexRec(ui: number, u: Unit, a: number, b: number, entry: LexEntry, np: number): Rec {
  const r = new Rec(ui, a, b, np, entry.type, entry.rule, 'lex', phraseText(u.text, a, b));
  r.entry = entry;
  return r;
}

function possessiveAt(u: Unit, e: number): boolean {
  return e < u.text.length && POSSESSIVE.has(u.text[e]!);
}

/** A name record a..e (np = a) with its possessive flag. */
function nameRec(ui: number, u: Unit, a: number, e: number, rule: string): Rec {
  const r = new Rec(ui, a, e, a, 'name', rule, 'name', phraseText(u.text, a, e));
  r.possessive = possessiveAt(u, e);
  return r;
}

export class Scanner {
  /** First words of title heads: most tokens are rejected by one lookup. */
  private headFirst: Set<string>;
  /** Second words (split at spaces) of title heads of several words. */
  private headSecond = new Set<string>();
  /** Lower-case words that can open a title, role or descriptor; other lower-case words are skipped at once. */
  private starters: Set<string>;
  /** First and last letter and length of every starter (see `shapeSlot`): three in four words are ruled out by this before the set. */
  private starterShapes = new Uint8Array(1 << 15);
  private c = new Cursor();
  /** Modifiers read after a name (apposition), apart from the cursor's. */
  private geo2: Geo[] = [];
  constructor(private lex: ActorLexicon) {
    this.headFirst = new Set([...lex.titleHeads.keys()].map((h) => h.split(/[\s-]/)[0]!));
    for (const h of lex.titleHeads.keys()) {
      const words = h.split(' ');
      if (words.length > 1) this.headSecond.add(words[1]!);
    }
    this.starters = new Set([...this.headFirst, ...DETS, ...lex.plurals.keys(), ...lex.personRoles, ...lex.groupRoles, ...lex.titleModifiers, ...lex.honorifics.keys()]);
    for (const w of this.starters) if (w.length > 0) this.starterShapes[shapeSlot(w)] = 1;
  }

  /** Whether a lower-case word can open a title, role or descriptor. */
  private starter(lw: string): boolean {
    if (lw.length === 0) return this.starters.has(lw);
    return this.starterShapes[shapeSlot(lw)] === 1 && this.starters.has(lw);
  }

  /**
   * A token that can be part of a person's name. The word's own part (a capital, no listed non-name,
   * title head or honorific) is worked out once per word in its facts (units.ts); a word without
   * facts opens with no capital.
   */
  nameToken(u: Unit, k: number): boolean {
    const f = u.facts[k];
    if (f === undefined || !f.nameable) return false;
    return u.pos[k] === 'PROPN' || u.nerAt[k] === 'per';
  }

  /** End of the name starting at r (exclusive). */
  nameRun(u: Unit, r: number): number {
    const inPer = u.nerAt[r] === 'per';
    const n = u.text.length;
    let e = r + 1;
    while (e < n) {
      if (this.nameToken(u, e)) {
        // A tagged name ends where the tagger's span ends; an untagged one at a geo name.
        if (inPer && u.nerAt[e] !== 'per') break;
        const ph = u.phrase[e];
        if (!inPer && ph && ph.entry.kind !== 'person') break;
        e++;
      } else if (e + 1 < n && this.lex.nameParticles.has(u.text[e]!) && this.nameToken(u, e + 1)) e += 2;
      else if (e + 1 < n && u.text[e] === '-' && this.nameToken(u, e + 1)) e += 2;
      else break;
    }
    return e;
  }

  /** Longest title head (possibly several words) at k, matched case-insensitively; its end, or -1 (head in `headOut`). */
  private headAt(u: Unit, k: number): number {
    if (!this.headFirst.has(u.lower[k]!)) return -1;
    for (let len = Math.min(this.lex.maxTitleTokens, u.text.length - k); len >= 1; len--) {
      // Tokens without spaces and "-" join plainly, so such a head's second word is the next
      // token: when no head has it second, the joined string is not made.
      if (len > 1 && !this.headSecond.has(u.lower[k + 1]!) && plainJoin(u.lower, k, k + len)) continue;
      const h = len === 1 ? u.lower[k]! : u.lower.slice(k, k + len).join(' ').replace(/ - /g, '-');
      if (this.lex.titleHeads.has(h)) { this.headOut = h; return k + len; }
    }
    return -1;
  }
  private headOut = '';

  /**
   * [modifier]* head at q: a title ("Foreign Minister", "press secretary") or a role noun, which
   * may be plural ("officials"). Returns the rightmost head reached.
   */
  roleAt(u: Unit, q: number): Role | null {
    let k = q;
    let best: Role | null = null;
    const n = u.text.length;
    while (k < n) {
      const lw = u.lower[k]!;
      const sing = this.lex.plurals.get(lw);
      if (sing) return new Role(k + 1, sing, true, undefined);
      const hb = this.headAt(u, k);
      if (hb >= 0) {
        best = new Role(hb, this.headOut, false, this.lex.titleHeads.get(this.headOut));
        k = hb;
        continue;
      }
      if (this.lex.personRoles.has(lw) || this.lex.groupRoles.has(lw)) return new Role(k + 1, lw, false, undefined);
      if (this.lex.titleModifiers.has(lw) && (best === null || k === best.b)) { k++; continue; }
      break;
    }
    return best;
  }

  /** Country, region or alias modifiers at p ("US", "Ukrainian", "Russia's", "White House") into `geo`; returns where they end. */
  private geoAt(u: Unit, p: number, geo: Geo[]): number {
    geo.length = 0;
    const n = u.text.length;
    let q = p;
    while (q < n) {
      const ph = u.phrase[q];
      if (ph === undefined || (ph.entry.kind !== 'country' && ph.entry.kind !== 'group')) break;
      const b = q + ph.tokens.length;
      const possessive = b < n && POSSESSIVE.has(u.text[b]!);
      geo.push(new Geo(q, b, ph.entry, possessive));
      q = possessive ? b + 1 : b;
    }
    return q;
  }

  /** Scan one unit; returns records in text order (they do not overlap). */
  scan(u: Unit, ui: number): Rec[] {
    const out: Rec[] = [];
    const n = u.text.length;
    let j = 0;
    while (j < n) {
      if (u.phrase[j] === undefined && !isCap(u.text[j]!) && !this.starter(u.lower[j]!)) { j++; continue; }
      j = this.at(u, ui, j, out);
    }
    return out;
  }

  /** The phrase rules at a candidate token j, in order; returns where scanning goes on. */
  private at(u: Unit, ui: number, j: number, out: Rec[]): number {
    const c = this.c;
    const n = u.text.length;
    const lw = u.lower[j]!;
    c.ui = ui;
    c.j = j;
    c.lw = lw;
    c.det = DETS.has(lw) ? lw : null;
    c.p = c.det !== null ? j + 1 : j;
    c.q = this.geoAt(u, c.p, c.geo);
    c.lastGeo = c.geo.length > 0 ? c.geo[c.geo.length - 1] : undefined;
    c.geoCountry = c.lastGeo !== undefined && c.lastGeo.entry.kind === 'country' ? c.lastGeo.entry.country : undefined;
    let next = this.honorificName(u, c, out);
    if (next >= 0) return next;
    c.role = c.q < n ? this.roleAt(u, c.q) : null;
    c.roleStart = c.q;
    if (c.role === null && c.det !== null) {
      next = this.freeModifiers(u, c, out);
      if (next >= 0) return next;
    }
    if (c.role !== null) {
      next = this.titleName(u, c, out);
      if (next >= 0) return next;
      if (c.det !== null || c.geo.length > 0 || c.role.plural) {
        next = this.descriptor(u, c, out);
        if (next >= 0) return next;
      }
    }
    next = this.nameRules(u, c, out);
    if (next >= 0) return next;
    return this.lexiconOrTagged(u, c, out);
  }

  /** Honorific + name: "Mr. Driscoll". */
  private honorificName(u: Unit, c: Cursor, out: Rec[]): number {
    const n = u.text.length;
    const q = c.q;
    const hon = q < n ? this.lex.honorifics.get(u.lower[q]!) : undefined;
    if (hon === undefined || !(q + 1 < n && this.nameToken(u, q + 1))) return -1;
    const e = this.nameRun(u, q + 1);
    pushGeo(out, c, u);
    const r = new Rec(c.ui, q + 1, e, c.j, 'name', 'honorific+name', 'name', phraseText(u.text, q + 1, e));
    if (hon) r.gender = hon as 'm' | 'f';
    r.country = c.geoCountry;
    r.possessive = possessiveAt(u, e);
    out.push(r);
    return e;
  }

  /**
   * After a determiner with no role: "the GOP presidential candidate", "the billionaire businessman"
   * (free modifiers before a role, set on the cursor), or "the company", "the campaign" (refers back
   * to an organisation: a record, and where scanning goes on).
   */
  private freeModifiers(u: Unit, c: Cursor, out: Rec[]): number {
    const n = u.text.length;
    const q = c.q;
    const end = Math.min(n, q + MAX_FREE_MODIFIERS);
    for (let k = q; k < end; k++) {
      if (!FREE_MODIFIER_POS.has(u.pos[k]!) || u.text[k] === '-' || u.phrase[k] !== undefined) break;
      const r2 = k + 1 < n && !isCap(u.text[k + 1]!) ? this.roleAt(u, k + 1) : null;
      if (r2 !== null) {
        // A capitalised role right after capitalised words is a title before a name, not a descriptor.
        if (!(r2.b < n && this.nameToken(u, r2.b))) { c.role = r2; c.roleStart = k + 1; }
        break;
      }
    }
    if (c.role !== null || c.det !== 'the') return -1;
    let k = q;
    while (k < n && k < q + MAX_FREE_MODIFIERS && this.lex.orgNouns.has(u.lower[k]!) === false && FREE_MODIFIER_POS.has(u.pos[k]!) && u.phrase[k] === undefined) k++;
    if (k < n && this.lex.orgNouns.has(u.text[k]!) && !(k + 1 < n && (u.pos[k + 1] === 'NOUN' || u.pos[k + 1] === 'PROPN'))) {
      const r = new Rec(c.ui, c.j, k + 1, c.j, 'descriptor', 'descriptor:organization', 'org-desc', phraseText(u.text, c.p, k + 1));
      r.role = u.lower[k]!;
      out.push(r);
      return k + 1;
    }
    return -1;
  }

  /** [geo]* Title Name: "Russian Foreign Minister Sergei Lavrov", "President Putin". */
  private titleName(u: Unit, c: Cursor, out: Rec[]): number {
    const n = u.text.length;
    const role = c.role!;
    const rb = role.b;
    if (role.plural || rb >= n || !this.nameToken(u, rb)) return -1;
    const ph = u.phrase[rb];
    if (ph !== undefined && u.nerAt[rb] !== 'per' && ph.entry.kind !== 'person') return -1;
    const e = this.nameRun(u, rb);
    pushGeo(out, c, u);
    const r = new Rec(c.ui, rb, e, c.j, 'name', 'title+name', 'name', phraseText(u.text, rb, e));
    r.title = phraseText(u.text, c.q, rb);
    r.titleInfo = role.info;
    if (role.info !== undefined && role.info.gender) r.gender = role.info.gender;
    r.country = c.geoCountry;
    r.possessive = possessiveAt(u, e);
    return this.afterName(u, c.ui, r, out);
  }

  /** Descriptors and groups: "The Ukrainian leader", "A Ukrainian diplomat", "Ukrainian officials". */
  private descriptor(u: Unit, c: Cursor, out: Rec[]): number {
    const n = u.text.length;
    const role = c.role!;
    const b = role.b;
    const det = c.det;
    const modifierUse = b < n && (u.pos[b] === 'NOUN' || u.pos[b] === 'PROPN' || this.nameToken(u, b));
    if (modifierUse || (det !== null && INDEF_DET.has(det) && role.plural)) return -1;
    const isGov = this.lex.governmentWords.has(role.head) || this.lex.governmentWords.has(u.lower[b - 1]!);
    const lastGeo = c.lastGeo;
    const rest = phraseText(u.text, c.p, b);
    if (isGov && c.geoCountry) {
      // "the Ukrainian government", "Russian authorities": the country itself.
      const r = new Rec(c.ui, c.j, b, c.j, 'alias', 'descriptor:government', 'lex', rest);
      r.entry = lastGeo!.entry;
      out.push(r);
      return b;
    }
    if (role.plural && (lastGeo !== undefined || this.lex.personRoles.has(role.head))) {
      const r = new Rec(c.ui, c.j, b, c.j, 'descriptor', lastGeo !== undefined && lastGeo.entry.kind === 'group' ? 'descriptor:region-group' : 'descriptor:group', 'group', rest);
      r.role = role.head;
      r.country = c.geoCountry;
      r.entry = lastGeo !== undefined ? lastGeo.entry : undefined;
      out.push(r);
      return b;
    }
    if (!role.plural && (this.lex.personRoles.has(role.head) || role.info !== undefined) && !this.lex.groupRoles.has(role.head)) {
      const indefinite = det === 'a' || det === 'an' || (det === null && !(lastGeo !== undefined && lastGeo.possessive));
      // "the president": an office named alone is a title mention; "the diplomat" a descriptor.
      const type: MentionType = !indefinite && c.geo.length === 0 && role.info !== undefined && role.info.leader ? 'title' : 'descriptor';
      const r = new Rec(c.ui, c.j, b, c.j, type, indefinite ? 'descriptor:indefinite' : 'descriptor:definite', 'desc', rest);
      r.role = role.head;
      r.title = phraseText(u.text, c.roleStart, b);
      r.titleInfo = role.info;
      if (role.info !== undefined && role.info.gender) r.gender = role.info.gender;
      r.country = c.geoCountry;
      r.indefinite = indefinite;
      r.possessive = possessiveAt(u, b);
      out.push(r);
      return b;
    }
    return -1;
  }

  /** Names without a title: "<Name> administration", "Pate said", a known given name, a tagged person. */
  private nameRules(u: Unit, c: Cursor, out: Rec[]): number {
    const n = u.text.length;
    const j = c.j;
    const ph = u.phrase[j];
    const nameHere = this.nameToken(u, j);
    // "<Name> administration": the leader's government, whatever the tagger calls the name.
    if (nameHere && ph === undefined) {
      const e = this.nameRun(u, j);
      if (e < n && this.lex.leaderGovernment.has(u.lower[e]!)) {
        out.push(new Rec(c.ui, j, e + 1, j, 'alias', 'leader+administration', 'admin', phraseText(u.text, j, e)));
        return e + 1;
      }
      // "Pate said" / "…, said Pate.": a capitalised word next to a speech verb names a person.
      if (u.nerAt[j] === '' && !(j === 0 && this.skips(c.lw)) && !(j > 0 && DETS.has(u.lower[j - 1]!))) {
        const after = e < n && this.lex.speechVerbs.has(u.lemma[e]!);
        const before = j > 0 && this.lex.speechVerbs.has(u.lemma[j - 1]!) && (e >= n || u.pos[e] === 'PUNCT');
        if (after || before) return this.afterName(u, c.ui, nameRec(c.ui, u, j, e, 'name+speech-verb'), out);
      }
    }
    // A known given name before a capitalised word opens a name even where the tagger missed it.
    if (ph === undefined && j + 1 < n && this.lex.givenNames.has(u.text[j]!) && this.nameToken(u, j + 1) && u.phrase[j + 1] === undefined) {
      let e = Math.max(this.nameRun(u, j + 1), u.nerAt[j + 1] === 'per' ? this.nerEnd(u, j + 1) : 0);
      // The tagger's span may run over a possessive.
      while (e > j + 2 && !this.nameToken(u, e - 1)) e--;
      return this.afterName(u, c.ui, nameRec(c.ui, u, j, e, 'given-name+name'), out);
    }
    // A name the tagger found, without a title before it.
    if (nameHere && u.nerAt[j] === 'per' && !(ph !== undefined && ph.tokens.length >= this.nerEnd(u, j) - j)) {
      return this.afterName(u, c.ui, nameRec(c.ui, u, j, this.nameRun(u, j), 'ner:gmb-perceptron'), out);
    }
    // "Brandon Darby": a one-word city before a capitalised name is a given name.
    if (ph !== undefined && ph.tokens.length === 1 && ph.entry.kind === 'place' && j + 1 < n && u.phrase[j + 1] === undefined && this.nameToken(u, j + 1) && u.pos[j] === 'PROPN') {
      return this.afterName(u, c.ui, nameRec(c.ui, u, j, this.nameRun(u, j + 1), 'given-name+name'), out);
    }
    return -1;
  }

  /** Words the tagger always reads as O ("The", "But"). */
  private skips(lw: string): boolean {
    return this.lex.ner !== null && this.lex.ner.skip.has(lw);
  }

  /** Lexicon names (countries, capitals, demonyms, organisations, places, regions), else the tagger's other names. */
  private lexiconOrTagged(u: Unit, c: Cursor, out: Rec[]): number {
    const j = c.j;
    const ph = u.phrase[j];
    // A tagged organisation that runs past the lexicon name ("New York" in "New York Post") wins.
    if (ph !== undefined && !(u.nerAt[j] === 'org' && ph.entry.kind !== 'organization' && this.nerEnd(u, j) > j + ph.tokens.length)) {
      const b = j + ph.tokens.length;
      const rec = lexRec(c.ui, u, j, b, ph.entry, j);
      // "talks in Abu Dhabi": a capital after a locative preposition is the city, not the government.
      if (ph.entry.rule === CAPITAL_RULE && j > 0 && this.lex.locatives.has(u.lower[j - 1]!)) {
        rec.entry = lexEntry({ ...ph.entry, kind: 'place', name: rec.text, type: 'name', rule: CAPITAL_RULE + '-as-place' });
        rec.rule = rec.entry.rule;
        rec.type = 'name';
      }
      out.push(rec);
      return b;
    }
    // Other tagged names: organisations and places the lexicons do not hold.
    const tag = u.nerAt[j];
    if ((tag === 'org' || tag === 'geo') && isCap(u.text[j]!) && !this.lex.notNames.has(u.text[j]!)) {
      let e = this.nerEnd(u, j);
      while (e > j + 1 && !isCap(u.text[e - 1]!)) e--;
      if (e === j + 1 && (DETS.has(c.lw) || this.skips(c.lw))) return j + 1;
      // The tagger sometimes calls a person an organisation: a known given name first says otherwise.
      if (e - j >= 2 && this.lex.givenNames.has(u.text[j]!) && this.nameToken(u, j + 1)) {
        return this.afterName(u, c.ui, nameRec(c.ui, u, j, e, 'ner:gmb-perceptron+given-name'), out);
      }
      const kind: ActorKind = tag === 'org' ? 'organization' : 'place';
      const r = new Rec(c.ui, j, e, j, 'name', 'ner:gmb-perceptron', kind === 'organization' ? 'ner-org' : 'ner-geo', phraseText(u.text, j, e));
      r.kind = kind;
      out.push(r);
      return e;
    }
    return j + 1;
  }

  /** End of the tagger span covering j. */
  private nerEnd(u: Unit, j: number): number {
    const t = u.nerAt[j];
    const n = u.text.length;
    let e = j + 1;
    while (e < n && u.nerAt[e] === t && !spanStartsAt(u, e)) e++;
    return e;
  }

  /** After a name: "<name> administration" → the country; "<name>, the foreign minister," → apposition. */
  private afterName(u: Unit, ui: number, rec: Rec, out: Rec[]): number {
    const n = u.text.length;
    const e = rec.b;
    if (e < n && this.lex.leaderGovernment.has(u.lower[e]!) && !rec.possessive) {
      const adm = rec.copy();
      adm.b = e + 1;
      adm.type = 'alias';
      adm.rule = 'leader+administration';
      adm.what = 'admin';
      out.push(adm);
      return e + 1;
    }
    out.push(rec);
    if (e + 1 < n && u.text[e] === ',') return this.apposition(u, ui, rec, out);
    return e;
  }

  /** "<name>, the foreign minister,": a descriptor in apposition, which also tells the name's title. */
  private apposition(u: Unit, ui: number, rec: Rec, out: Rec[]): number {
    const n = u.text.length;
    const e = rec.b;
    const d = DETS.has(u.lower[e + 1]!) ? e + 2 : e + 1;
    const geo = this.geo2;
    const q = this.geoAt(u, d, geo);
    const role = q < n ? this.roleAt(u, q) : null;
    const lastGeo = geo.length > 0 ? geo[geo.length - 1] : undefined;
    if (role === null || role.plural || !(d > e + 1 || geo.length > 0)) return e;
    if (!(role.b >= n || APPOSITION_END.test(u.text[role.b]!) || u.lower[role.b] === 'of' || u.pos[role.b] === 'VERB' || u.pos[role.b] === 'AUX')) return e;
    const geoCountry = lastGeo !== undefined && lastGeo.entry.kind === 'country' ? lastGeo.entry.country : undefined;
    const title = phraseText(u.text, q, role.b);
    const r = new Rec(ui, e + 1, role.b, e + 1, 'descriptor', 'apposition', 'desc', phraseText(u.text, d, role.b));
    r.role = role.head;
    r.title = title;
    r.titleInfo = role.info;
    r.country = geoCountry || undefined;
    r.appositionOf = rec;
    out.push(r);
    if (!rec.title) rec.title = title;
    if (!rec.country && lastGeo !== undefined && lastGeo.entry.kind === 'country') rec.country = lastGeo.entry.country;
    if (!rec.gender && role.info !== undefined && role.info.gender) rec.gender = role.info.gender;
    return role.b;
  }
}

/** A slot for a word's first and last character (their low 5 bits: a–z apart) and length (up to 31). */
function shapeSlot(w: string): number {
  return ((w.charCodeAt(0) & 31) << 10) | ((w.charCodeAt(w.length - 1) & 31) << 5) | (w.length < 31 ? w.length : 31);
}

/** Whether tokens a..b join plainly: none holds a space or is "-" (which `headAt` glues). */
function plainJoin(lower: readonly string[], a: number, b: number): boolean {
  for (let i = a; i < b; i++) if (lower[i] === '-' || lower[i]!.indexOf(' ') >= 0) return false;
  return true;
}

/** Whether a tagger span opens at position e. */
function spanStartsAt(u: Unit, e: number): boolean {
  for (let s = 0; s < u.ner.length; s++) if (u.ner[s]!.start === e) return true;
  return false;
}

const APPOSITION_END = /^[,.;:)—–-]$/;
const INDEF_DET = new Set(['a', 'an']);
/** At most this many adjectives or nouns between a determiner and a role noun. */
const MAX_FREE_MODIFIERS = 3;
const FREE_MODIFIER_POS = new Set(['ADJ', 'NOUN', 'PROPN']);
const CAPITAL_RULE = 'lexicon:world-countries:capital';
