// Stage: actors — people, organisations, countries, places and groups, each with every mention
// (names, titles, descriptors, demonyms, aliases, pronouns) and the rule that found it.
// Passes: units (tokens + lexicon + name tagger) → scan (noun phrases) → resolve (names, lexicon,
// descriptors) → surname links → pronouns → actors with stable ids.
import type { Doc } from '../segment.js';
import type { Actor, Mention } from '../types.js';
import type { ActorLexicon } from './lexicon.js';
import { nameKey } from './names.js';
import { resolvePronouns } from './pronouns.js';
import { Resolver, type Draft } from './resolve.js';
import { Rec, Scanner, trimPossessive } from './scan.js';
import { buildUnits, tokenView, type Unit } from './units.js';
import { discoverStates } from './states.js';

export type { ActorLexicon } from './lexicon.js';

/** Positions as sentence × POS_SCALE + token (sentences are far shorter than this). */
const POS_SCALE = 1e5;

function isCapital(s: string): boolean {
  const c = s.charCodeAt(0);
  if (c >= 65 && c <= 90) return true;
  return c > 127 && /^\p{Lu}/u.test(s);
}

/**
 * Which positions some record already covers: one flag per token of all units, unit ui's tokens
 * from `off[ui]` (one typed array per text rather than an array per sentence).
 */
export class Claims {
  readonly off: Int32Array;
  readonly flags: Uint8Array;
  constructor(units: Unit[]) {
    this.off = new Int32Array(units.length + 1);
    for (let i = 0; i < units.length; i++) this.off[i + 1] = this.off[i]! + units[i]!.text.length;
    this.flags = new Uint8Array(this.off[units.length]!);
  }
  has(unit: number, k: number): boolean {
    return this.flags[this.off[unit]! + k] === 1;
  }
  /** Mark the positions a record covers. */
  claim(r: Rec): void {
    const o = this.off[r.unit]!;
    this.flags.fill(1, o + r.a, o + r.b);
  }
}

/** Namesakes' mentions by position: the nearest earlier one's person among them, else the first. */
interface Sighting { pos: number; i: number }

function namesakeList(res: Resolver, hits: number[]): Sighting[] {
  const list: Sighting[] = [];
  for (const i of hits) for (const x of res.drafts[i]!.recs) list.push({ pos: x.unit * POS_SCALE + x.a, i });
  return list.sort(byPos);
}
function byPos(x: Sighting, y: Sighting): number {
  return x.pos - y.pos;
}

/** The persons of `hits` whose given name is `givenKey` ("Donald Trump" again: given name then surname). */
function withGiven(res: Resolver, hits: number[] | undefined, givenKey: string): number[] | undefined {
  if (hits === undefined) return undefined;
  const out: number[] = [];
  for (const i of hits) if (res.drafts[i]!.givenKey === givenKey) out.push(i);
  return out.length ? out : undefined;
}

/** Persons by surname key, for surnameLinks, and the given-name keys among them. */
class Surnames {
  bySurname = new Map<string, number[]>();
  givenKeys = new Set<string>();
  constructor(res: Resolver) {
    for (let i = 0; i < res.drafts.length; i++) {
      const d = res.drafts[i]!;
      if (d.kind !== 'person' || d.unnamed || !d.surnameKey) continue;
      const list = this.bySurname.get(d.surnameKey);
      if (list) list.push(i);
      else this.bySurname.set(d.surnameKey, [i]);
      if (d.givenKey !== undefined) this.givenKeys.add(d.givenKey);
    }
  }
}

/** Names met again without a title or tag ("Zelenskyy" in a headline, a name the tagger missed). */
function surnameLinks(units: Unit[], res: Resolver, claimed: Claims): Rec[] {
  const out: Rec[] = [];
  const surnames = new Surnames(res);
  const bySurname = surnames.bySurname;
  if (!bySurname.size) return out;
  // Namesakes' mentions by position, built on first need (the sweep adds none before its own position).
  const namesakes = new Map<string, Sighting[]>();
  for (let ui = 0; ui < units.length; ui++) {
    const u = units[ui]!;
    const n = u.text.length;
    for (let k = 0; k < n; k++) {
      // Capitalised words all have their facts (units.ts), which keep the name key once made.
      const f = u.facts[k];
      if (f === undefined || claimed.has(ui, k) || !isCapital(u.text[k]!)) continue;
      let b = k + 1;
      let hits = bySurname.get(f.key ??= nameKey(u.text[k]!));
      // (Only a person's given name can open one: other words skip the next word's key.)
      if (hits === undefined && k + 1 < n && surnames.givenKeys.has(f.key) && !claimed.has(ui, k + 1)) {
        const f2 = u.facts[k + 1];
        const h2 = withGiven(res, bySurname.get(f2 !== undefined ? (f2.key ??= nameKey(u.text[k + 1]!)) : nameKey(u.text[k + 1]!)), f.key);
        if (h2 !== undefined) { hits = h2; b = k + 2; }
      }
      if (hits === undefined) continue;
      const r = new Rec(ui, k, b, k, 'name', 'surname-link', 'name', u.text.slice(k, b).join(' '));
      trimPossessive(u, r);
      res.attach(r, hits.length > 1 ? nearestNamesake(res, namesakes, hits, ui * POS_SCALE + k) : hits[0]!);
      claimed.claim(r);
      out.push(r);
      k = b - 1;
    }
  }
  return out;
}

function nearestNamesake(res: Resolver, namesakes: Map<string, Sighting[]>, hits: number[], pos: number): number {
  const key = hits.join(',');
  let list = namesakes.get(key);
  if (list === undefined) namesakes.set(key, (list = namesakeList(res, hits)));
  let lo = 0, hi = list.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (list[mid]!.pos < pos) lo = mid + 1; else hi = mid; }
  return lo > 0 ? list[lo - 1]!.i : hits[0]!;
}

/** The stable id of an actor: kind and canonical name (country code for countries). */
function baseId(d: Draft, res: Resolver): string {
  if (d.kind === 'country' && d.country) return `country:${d.country}`;
  // A registered draft's key is already kind and slug of its name (resolve.ts), which never changes.
  if (d.key !== '' && d.kind !== 'country') return d.key;
  return `${d.kind}:${res.slugOf(d.name)}`;
}

/** One scanner per lexicon: its lookup sets are built once. */
const scanners = new WeakMap<ActorLexicon, Scanner>();

function scannerOf(lex: ActorLexicon): Scanner {
  let scanner = scanners.get(lex);
  if (!scanner) scanners.set(lex, (scanner = new Scanner(lex)));
  return scanner;
}

/** Pass 1 over every unit, names' glued possessives trimmed. */
function scanUnits(units: Unit[], scanner: Scanner): Rec[] {
  const recs: Rec[] = [];
  for (let ui = 0; ui < units.length; ui++) {
    const found = scanner.scan(units[ui]!, ui);
    for (let i = 0; i < found.length; i++) {
      const r = found[i]!;
      if (r.what === 'name' || r.what === 'ner-org' || r.what === 'ner-geo') trimPossessive(units[ui]!, r);
      recs.push(r);
    }
  }
  return recs;
}

/** The records no pass tied to an actor yet. */
function unresolved(recs: Rec[]): Rec[] {
  const out: Rec[] = [];
  for (const r of recs) if (r.actor === undefined) out.push(r);
  return out;
}

/** The records tied to an actor, scanned then linked. */
function resolved(recs: Rec[], linked: Rec[]): Rec[] {
  const out: Rec[] = [];
  for (const r of recs) if (r.actor !== undefined) out.push(r);
  for (const r of linked) if (r.actor !== undefined) out.push(r);
  return out;
}

/** A record as a mention: character offsets in the text. */
function mentionOf(doc: Doc, units: Unit[], r: Rec): Mention {
  const u = units[r.unit]!;
  return { start: doc.tokens[u.idx[r.a]!]!.start, end: doc.tokens[u.idx[r.b - 1]!]!.end - (r.cut ?? 0), type: r.type, rule: r.rule };
}

function byStart(x: Mention, y: Mention): number {
  return x.start - y.start;
}

/** An actor with its mentions in text order. */
interface Mentioned { d: Draft; mentions: Mention[] }

/** Drafts that have mentions, each with them in text order, ordered by their first mention. */
function mentioned(doc: Doc, units: Unit[], drafts: Draft[]): Mentioned[] {
  const out: Mentioned[] = [];
  for (const d of drafts) {
    if (d.recs.length === 0) continue;
    const mentions: Mention[] = new Array(d.recs.length);
    for (let i = 0; i < d.recs.length; i++) mentions[i] = mentionOf(doc, units, d.recs[i]!);
    out.push({ d, mentions: mentions.sort(byStart) });
  }
  return out.sort(byFirstMention);
}
function byFirstMention(x: Mentioned, y: Mentioned): number {
  return x.mentions[0]!.start - y.mentions[0]!.start;
}

/** The actor as output: stable id (numbered on a clash), optional fields only when known. */
function toActor(x: Mentioned, res: Resolver, used: Set<string>, counters: Map<string, number>): Actor {
  const d = x.d;
  const base = baseId(d, res);
  let id = base;
  for (let n = (counters.get(base) ?? 1) + 1; used.has(id); n++) { id = `${base}-${n}`; counters.set(base, n); }
  used.add(id);
  const variants: string[] = [];
  for (const v of d.variants) if (v !== d.name) variants.push(v);
  variants.sort();
  // Built field by field, in the one order: object spread is several times slower here.
  const a: Actor = { id, name: d.name, kind: d.kind, mentions: x.mentions };
  if (!d.title && !d.country && !variants.length) return a;
  const b: Actor = { id, name: d.name, kind: d.kind } as Actor;
  if (d.title) b.title = d.title;
  if (d.country) b.country = d.country;
  if (variants.length) b.variants = variants;
  b.mentions = x.mentions;
  return b;
}

export function findActors(doc: Doc, lex: ActorLexicon): Actor[] {
  const view = tokenView(doc, lex);
  const units = buildUnits(doc, lex, discoverStates(doc, lex, view), view);
  const recs = scanUnits(units, scannerOf(lex));
  const claimed = new Claims(units);
  for (const r of recs) claimed.claim(r);
  const res = new Resolver(lex, units);
  res.people(recs);
  res.reclaimNames(recs);
  res.lexical(unresolved(recs));
  res.mergeShortOrgs();
  const linked = surnameLinks(units, res, claimed);
  res.admins();
  res.descriptors(recs);
  res.orgDescriptors(recs);
  for (const r of resolvePronouns(units, resolved(recs, linked), res.drafts, claimed, lex)) res.drafts[r.actor!]!.recs.push(r);
  const built: Actor[] = [];
  const used = new Set<string>();
  const counters = new Map<string, number>();
  for (const x of mentioned(doc, units, res.drafts)) built.push(toActor(x, res, used, counters));
  return built;
}
