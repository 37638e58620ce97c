// Passes 2–3 — tie scanned records to actors: person names clustered by transliteration-aware
// surname keys (full names first, then surname-only mentions to the nearest full name), lexicon
// and tagger names to their country/organisation/place, descriptors to an earlier compatible person.
import type { ActorKind } from '../types.js';
import type { ActorLexicon, KnownPerson, LexEntry, TitleInfo } from './lexicon.js';
import { nameKey, nameWords, slug } from './names.js';
import type { Rec } from './scan.js';
import type { Unit } from './units.js';

/** "<name> administration" with no country known for the person: the usage is American. */
export const ADMINISTRATION_DEFAULT_COUNTRY = 'USA';
/** "the company" looks back this many sentences for an organisation. */
export const ORG_DESCRIPTOR_SENTENCES_BACK = 5;

/** An actor being built. A class with every field set: one shape for all drafts. */
export class Draft {
  kind: ActorKind;
  /** Registry key for non-person actors ("country:UKR", "group:europe"). */
  key: string;
  name: string;
  title: string | undefined = undefined;
  titleInfo: TitleInfo | undefined = undefined;
  role: string | undefined = undefined;
  country: string | undefined = undefined;
  gender: 'm' | 'f' | undefined = undefined;
  unnamed: boolean | undefined = undefined;
  surnameKey: string | undefined = undefined;
  givenKey: string | undefined = undefined;
  variants = new Set<string>();
  recs: Rec[] = [];
  constructor(kind: ActorKind, key: string, name: string) {
    this.kind = kind;
    this.key = key;
    this.name = name;
  }
}

/** Registry keys of lexicon entries, computed once per entry. */
const entryKeys = new WeakMap<LexEntry, string>();
/** Known people by surname key, built once per list. */
const knownIndex = new WeakMap<KnownPerson[], Map<string, Array<{ givenKey?: string; person: KnownPerson }>>>();

/** A record and the draft it belongs to. */
interface Placed { x: Rec; i: number }

function recOrder(x: Rec, y: Rec): number {
  return x.unit - y.unit || x.a - y.a;
}
function placedOrder(a: Placed, b: Placed): number {
  return a.x.unit - b.x.unit || a.x.a - b.x.a;
}

const before = (x: Rec, y: Rec): boolean => x.unit < y.unit || (x.unit === y.unit && x.a < y.a);

/** A definite descriptor looks back at most this many person mentions for its antecedent. */
export const ANTECEDENT_LOOKBACK = 400;

/** Index of the last entry strictly before r in a list sorted by position (binary search), or -1. */
function lastBefore(list: Array<{ x: Rec }>, r: Rec): number {
  let lo = 0, hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(list[mid]!.x, r)) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** A name cut after an initial ("Donald J."). */
function initialEnd(w: string[]): boolean {
  return w.length > 1 && INITIAL.test(w[w.length - 1]!);
}
const INITIAL = /^\p{Lu}\.$/u;

export class Resolver {
  drafts: Draft[] = [];
  private byKey = new Map<string, number>();
  /**
   * This text's name words, name keys and slugs. The shared memos (names.ts) hold every text's
   * names in large maps; the same name strings come back many times within a text, and a small map
   * of this text's own is much quicker to ask.
   */
  private words = new Map<string, string[]>();
  private keys = new Map<string, string>();
  private slugs = new Map<string, string>();

  wordsOf(s: string): string[] {
    let w = this.words.get(s);
    if (w === undefined) this.words.set(s, (w = nameWords(s)));
    return w;
  }

  keyOf(s: string): string {
    let k = this.keys.get(s);
    if (k === undefined) this.keys.set(s, (k = nameKey(s)));
    return k;
  }

  slugOf(s: string): string {
    let k = this.slugs.get(s);
    if (k === undefined) this.slugs.set(s, (k = slug(s)));
    return k;
  }

  constructor(private lex: ActorLexicon, private units: Unit[]) {}

  /** The draft registered under `key`, made (kind, name, country, role) when new. */
  keyed(key: string, kind: ActorKind, name: string, country: string | undefined, role: string | undefined): number {
    let i = this.byKey.get(key);
    if (i === undefined) {
      i = this.drafts.length;
      const d = new Draft(kind, key, name);
      if (country) d.country = country;
      if (role) d.role = role;
      this.drafts.push(d);
      this.byKey.set(key, i);
    }
    return i;
  }

  attach(r: Rec, actor: number): void {
    r.actor = actor;
    this.drafts[actor]!.recs.push(r);
  }

  /** Countries, regions, organisations and places named by the lexicons or the tagger. */
  lexical(recs: Rec[]): void {
    for (const r of recs) {
      if ((r.what === 'lex' || r.what === 'group') && r.entry && !(r.what === 'group' && r.entry.kind === 'country')) {
        const e = r.entry;
        let key = entryKeys.get(e);
        if (key === undefined) entryKeys.set(e, (key = e.kind === 'country' ? `country:${e.country}` : `${e.kind}:${slug(e.name)}`));
        const i = this.keyed(key, e.kind, e.name, e.country, undefined);
        if (e.abbr) this.drafts[i]!.variants.add(e.abbr);
        this.attach(r, i);
      } else if (r.what === 'group') {
        const i = this.keyed(`group:${this.slugOf(r.text)}`, 'group', r.text, r.country, r.role);
        this.attach(r, i);
      } else if (r.what === 'ner-org' || r.what === 'ner-geo') {
        const name = r.text.replace(/^The /, '');
        const i = this.keyed(`${r.kind}:${this.slugOf(name)}`, r.kind!, name, undefined, undefined);
        this.attach(r, i);
      }
    }
  }

  /**
   * A tagged place or organisation, or a one-word city, that is a person's surname in this article
   * ("Bannon" after "Stephen K. Bannon") is that person. Run after people(), before lexical().
   */
  reclaimNames(recs: Rec[]): void {
    const bySurname = new Map<string, number>();
    this.drafts.forEach((d, i) => { if (d.kind === 'person' && d.surnameKey && !bySurname.has(d.surnameKey)) bySurname.set(d.surnameKey, i); });
    for (const r of recs) {
      const single = r.b - r.a === 1;
      const candidate = r.what === 'ner-geo' || r.what === 'ner-org' || (r.what === 'lex' && r.entry?.rule === 'lexicon:places');
      if (!candidate || !single || r.actor !== undefined) continue;
      const p = bySurname.get(this.keyOf(r.text));
      if (p === undefined) continue;
      r.what = 'name';
      r.type = 'name';
      r.rule = 'surname-link';
      r.entry = undefined;
      this.attach(r, p);
    }
  }

  /** "The Post" after "The New York Post": a one-word organisation name that ends a longer one is that one. */
  mergeShortOrgs(): void {
    const orgs = this.drafts.filter((d) => d.kind === 'organization' && d.recs.length);
    const byLastWord = new Map<string, Draft[]>();
    for (const o of orgs) {
      const sp = o.name.lastIndexOf(' ');
      if (sp > 0) { const w = o.name.slice(sp + 1); (byLastWord.get(w) ?? byLastWord.set(w, []).get(w)!).push(o); }
    }
    for (const d of orgs) {
      if (d.name.includes(' ')) continue;
      const long = byLastWord.get(d.name);
      if (!long || long.length !== 1) continue;
      const target = this.drafts.indexOf(long[0]!);
      for (const r of d.recs) { r.actor = target; long[0]!.recs.push(r); }
      long[0]!.variants.add(d.name);
      d.recs = [];
    }
  }

  private newPerson(name: string): number {
    const w = this.wordsOf(name);
    const d = new Draft('person', '', name);
    d.surnameKey = this.keyOf(w[w.length - 1]!);
    if (w.length > 1) d.givenKey = this.keyOf(w[0]!);
    // Gender from the given name now, so that a later "Mrs. X" can tell namesakes apart.
    const g = w.length > 1 ? this.lex.givenNames.get(w[0]!) : undefined;
    if (g) d.gender = g;
    this.drafts.push(d);
    return this.drafts.length - 1;
  }

  /** Cluster name records into people, in one pass (articles may be long: no pairwise loops). */
  people(recs: Rec[]): void {
    const names: Rec[] = [];
    for (const r of recs) if (r.what === 'name' || r.what === 'admin') names.push(r);
    const persons: number[] = [];
    const byFull = new Map<string, number>();
    const firstFull = new Map<string, number>();
    // Each name's words, surname key and whether it ends in an initial, worked out once.
    const words = new Array<string[]>(names.length);
    const surnameKeys = new Array<string>(names.length);
    const initial = new Uint8Array(names.length);
    for (let k = 0; k < names.length; k++) {
      const w = this.wordsOf(names[k]!.text);
      words[k] = w;
      surnameKeys[k] = this.keyOf(w[w.length - 1]!);
      initial[k] = initialEnd(w) ? 1 : 0;
    }
    /** The person each full name went to. */
    const owner = new Int32Array(names.length).fill(-1);
    // Full names first: the same given name and surname (spelling-insensitive) is one person.
    // A name cut after an initial ("Donald J.") joins the person with that given name, if any.
    const byGiven = new Map<string, number>();
    for (let k = 0; k < names.length; k++) {
      const r = names[k]!;
      const w = words[k]!;
      if (w.length < 2 || initial[k] === 1) continue;
      const sk = surnameKeys[k]!, gk = this.keyOf(w[0]!);
      let hit = byFull.get(sk + '|' + gk);
      if (hit === undefined) {
        hit = this.newPerson(r.text);
        persons.push(hit);
        byFull.set(sk + '|' + gk, hit);
        if (!firstFull.has(sk)) firstFull.set(sk, hit);
        if (!byGiven.has(gk)) byGiven.set(gk, hit);
      }
      owner[k] = hit;
      this.nameRec(r, hit);
    }
    for (let k = 0; k < names.length; k++) {
      if (initial[k] === 0) continue;
      const r = names[k]!;
      let hit = byGiven.get(this.keyOf(words[k]![0]!));
      if (hit === undefined) { hit = this.newPerson(r.text); persons.push(hit); }
      owner[k] = hit;
      this.nameRec(r, hit);
    }
    // A surname alone: the person last named with it, else the first who bears it, else a new one.
    // "Mrs. Clinton" after Bill and Hillary Clinton: a gendered honorific picks the namesake of that gender.
    const last = new Map<string, number>();
    const lastOfGender = new Map<string, number>();
    for (let k = 0; k < names.length; k++) {
      const r = names[k]!;
      const w = words[k]!;
      const sk = surnameKeys[k]!;
      if (w.length > 1) {
        if (initial[k] === 0) this.notePerson(last, lastOfGender, sk, owner[k]!);
        continue;
      }
      let hit = r.gender ? lastOfGender.get(sk + '|' + r.gender) : undefined;
      if (hit === undefined) {
        hit = last.get(sk) ?? firstFull.get(sk);
        if (hit !== undefined && r.gender && this.drafts[hit]!.gender && this.drafts[hit]!.gender !== r.gender) hit = undefined;
      }
      if (hit === undefined) { hit = this.newPerson(r.text); persons.push(hit); }
      this.nameRec(r, hit);
      this.notePerson(last, lastOfGender, sk, hit);
    }
    for (const p of persons) this.enrich(this.drafts[p]!);
  }

  /** Person p was just named with surname key sk (and their gender, if known). */
  private notePerson(last: Map<string, number>, lastOfGender: Map<string, number>, sk: string, p: number): void {
    last.set(sk, p);
    const g = this.drafts[p]!.gender;
    if (g) lastOfGender.set(sk + '|' + g, p);
  }

  private nameRec(r: Rec, p: number): void {
    const d = this.drafts[p]!;
    if (r.what === 'admin') {
      // The record stands for the person's country; tied up in admins() once countries are known.
      d.recs.push(r.copy());
      return;
    }
    this.attach(r, p);
    const w = this.wordsOf(r.text);
    if (w.length > this.wordsOf(d.name).length || (w.length === this.wordsOf(d.name).length && r.text.length > d.name.length)) d.name = r.text;
    if (w.length > 1 && d.givenKey === undefined) d.givenKey = this.keyOf(w[0]!);
    if (!d.title && r.title) { d.title = r.title; if (r.titleInfo) d.titleInfo = r.titleInfo; }
    if (!d.country && r.country) d.country = r.country;
    if (!d.gender && r.gender) d.gender = r.gender;
  }

  /** Fill gaps from given names and the known-people list (never overriding what the text says). */
  private enrich(d: Draft): void {
    const w = this.wordsOf(d.name);
    if (!d.gender && w.length > 1) { const g = this.lex.givenNames.get(w[0]!); if (g) d.gender = g; }
    const known = this.known(d);
    if (known) {
      if (!d.country && known.country) d.country = known.country;
      if (!d.title && known.title) d.title = known.title;
      if (!d.gender && known.gender) d.gender = known.gender;
      for (const v of [known.name, ...known.variants]) if (v !== d.name) d.variants.add(v);
    }
    for (const r of d.recs) if (r.what === 'name' && r.text !== d.name && !d.name.endsWith(r.text)) d.variants.add(r.text);
    for (const r of d.recs) if (r.what === 'name') { const s = this.wordsOf(r.text); const last = s[s.length - 1]!; if (!d.name.endsWith(last)) d.variants.add(last); }
  }

  private known(d: Draft): KnownPerson | undefined {
    let index = knownIndex.get(this.lex.people);
    if (!index) {
      index = new Map();
      for (const k of this.lex.people) {
        for (const v of [k.name, ...(k.variants ?? [])]) {
          const w = nameWords(v);
          const sk = nameKey(w[w.length - 1]!);
          const list = index.get(sk) ?? [];
          list.push({ ...(w.length > 1 ? { givenKey: nameKey(w[0]!) } : {}), person: { ...k, variants: k.variants ?? [] } });
          index.set(sk, list);
        }
      }
      knownIndex.set(this.lex.people, index);
    }
    for (const c of index.get(d.surnameKey ?? '') ?? []) {
      if (d.givenKey !== undefined && c.givenKey !== undefined && c.givenKey !== d.givenKey) continue;
      return c.person;
    }
    return undefined;
  }

  /** "<leader> administration" → the leader's country. */
  admins(): void {
    for (const d of [...this.drafts]) {
      if (d.kind !== 'person') continue;
      const admin = d.recs.filter((r) => r.what === 'admin');
      if (!admin.length) continue;
      d.recs = d.recs.filter((r) => r.what !== 'admin');
      const cc = d.country ?? ADMINISTRATION_DEFAULT_COUNTRY;
      const i = this.keyed(`country:${cc}`, 'country', this.lex.countries.get(cc)?.name ?? cc, cc, undefined);
      for (const r of admin) this.attach(r, i);
    }
  }

  /** Descriptors: apposition → that name; "a/an …" → a new unnamed person; "the …" → an earlier match. */
  descriptors(recs: Rec[]): void {
    const descs: Rec[] = [];
    for (const r of recs) if (r.what === 'desc') descs.push(r);
    if (descs.length === 0) return;
    descs.sort(recOrder);
    // Earlier person mentions in text order, searched backwards from each descriptor (bounded).
    const named = this.placed('person');
    const later: Placed[] = [];
    for (const r of descs) {
      if (r.appositionOf?.actor !== undefined) { this.describe(r, r.appositionOf.actor); later.push({ x: r, i: r.appositionOf.actor }); continue; }
      if (!r.indefinite) {
        const ante = this.antecedent(r, named, later) ?? this.followingApposition(r, recs);
        if (ante !== undefined) { this.describe(r, ante); later.push({ x: r, i: ante }); continue; }
      }
      const d = new Draft('person', '', r.text.replace(/['’]s$/, ''));
      d.unnamed = true;
      d.role = r.role!;
      if (r.title) d.title = r.title;
      if (r.titleInfo) d.titleInfo = r.titleInfo;
      if (r.country) d.country = r.country;
      if (r.gender) d.gender = r.gender;
      this.drafts.push(d);
      this.attach(r, this.drafts.length - 1);
      later.push({ x: r, i: this.drafts.length - 1 });
    }
  }

  /** "the company", "the campaign": the organisation mentioned most recently, within a few sentences. */
  orgDescriptors(recs: Rec[]): void {
    let orgRecs: Placed[] | undefined;
    for (const r of recs) {
      if (r.what !== 'org-desc') continue;
      orgRecs ??= this.placed('organization');
      for (let k = lastBefore(orgRecs, r); k >= 0 && r.unit - orgRecs[k]!.x.unit <= ORG_DESCRIPTOR_SENTENCES_BACK; k--) {
        this.attach(r, orgRecs[k]!.i);
        break;
      }
    }
  }

  /** The mentions of every draft of a kind, with their drafts, in text order. */
  private placed(kind: ActorKind): Placed[] {
    const out: Placed[] = [];
    for (let i = 0; i < this.drafts.length; i++) {
      const d = this.drafts[i]!;
      if (d.kind === kind) for (const x of d.recs) out.push({ x, i });
    }
    return out.sort(placedOrder);
  }

  private describe(r: Rec, p: number): void {
    const d = this.drafts[p]!;
    this.attach(r, p);
    if (!d.title && r.title) d.title = r.title;
    if (!d.country && r.country) d.country = r.country;
    if (!d.gender && r.gender) d.gender = r.gender;
  }

  /** Does the person's title or role fit the descriptor's role noun? */
  private roleFits(d: Draft, role: string): boolean {
    const t = (d.title ?? '').toLowerCase();
    if (d.role === role || t === role || t.endsWith(' ' + role)) return true;
    return this.lex.leaderWords.has(role) && d.titleInfo?.leader === true;
  }

  private antecedent(r: Rec, named: Placed[], later: Placed[]): number | undefined {
    const a = this.search(r, named), b = this.search(r, later);
    if (a && b) return before(a.x, b.x) ? b.i : a.i;
    return (a ?? b)?.i;
  }

  /** Does person i fit descriptor r (its role, and no other country)? */
  private fits(r: Rec, i: number): boolean {
    const d = this.drafts[i]!;
    return !!r.role && this.roleFits(d, r.role) && !(r.country && d.country && d.country !== r.country);
  }

  /** The nearest fitting person before r in a list in text order, within ANTECEDENT_LOOKBACK. */
  private search(r: Rec, list: Placed[]): Placed | undefined {
    for (let k = lastBefore(list, r), n = 0; k >= 0 && n < ANTECEDENT_LOOKBACK; k--, n++) if (this.fits(r, list[k]!.i)) return list[k];
    return undefined;
  }

  /** "the foreign minister, Sergei Lavrov, …": a name right after the descriptor and a comma. */
  private followingApposition(r: Rec, recs: Rec[]): number | undefined {
    const u = this.units[r.unit]!;
    if (u.text[r.b] !== ',') return undefined;
    const next = recs.find((x) => x.unit === r.unit && x.a === r.b + 1 && x.what === 'name');
    return next?.actor;
  }
}
