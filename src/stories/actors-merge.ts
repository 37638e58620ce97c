// Actors across articles: one Zelenskyy whatever the spelling (Zelenskyy, Zelensky, Zelenskiy), with
// the roles each was given and when. Pure over `{article, analysis}` items, so it works with any store.
//
// Own logic rather than a record-linkage library: the keys that matter here (transliteration
// variants of surnames, a lone surname joining the one full name it fits, ISO country as a blocker)
// are few and specific to news actors; general fuzzy matchers would merge "Putin" with "Pution".
import { createHash } from 'node:crypto';
import type { ActorKind, Analysis, Article } from '../analyze/types.js';

export interface Item {
  article: Article;
  analysis: Analysis;
}

export interface ActorRole {
  /** The title as first written ("President"). */
  title: string;
  /** First and last publication dates it was seen with (YYYY-MM-DD), when articles are dated. */
  first?: string;
  last?: string;
  /** Article ids, in date order. */
  articles: string[];
}

export interface ActorAppearance {
  articleId: string;
  /** The actor's id inside that article's analysis. */
  actorId: string;
  name: string;
  date?: string;
  mentions: number;
}

export interface MergedActor {
  /** Stable id: a hash of kind and merge key. */
  id: string;
  /** Canonical name: the most frequent full name (ties: longer, then alphabetical). */
  name: string;
  kind: ActorKind;
  country?: string;
  /** Every name and variant seen, sorted. */
  variants: string[];
  roles: ActorRole[];
  appearances: ActorAppearance[];
  /** Mentions over all articles. */
  mentions: number;
}

/** Key of an article-local actor: `articleId␟actorId`. */
export function localKey(articleId: string, actorId: string): string {
  return `${articleId}\u001f${actorId}`;
}

/** Publication date of an item as YYYY-MM-DD, when known. */
export function itemDate(it: Item): string | undefined {
  const d = it.article.published ?? it.analysis.published;
  return d && /^\d{4}-\d{2}-\d{2}/.test(d) ? d.slice(0, 10) : undefined;
}

/** Items in publication order (undated last), then by article id: every cross-article view reads them so. */
export function sortItems(items: Item[]): Item[] {
  return [...items].sort((a, b) => {
    const da = itemDate(a) ?? '9999';
    const db = itemDate(b) ?? '9999';
    return da < db ? -1 : da > db ? 1 : a.article.id < b.article.id ? -1 : a.article.id > b.article.id ? 1 : 0;
  });
}

/** Lower-case ASCII words of a name, accents folded. */
function words(name: string): string[] {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
}

/** Transliteration skeleton of a surname: doubled letters collapsed, -iy/-yy/-yi/-y endings unified. */
export function surnameSkeleton(word: string): string {
  return word.replace(/(.)\1+/g, '$1').replace(/(?:iy|yi|ij|ii|y|i)$/, 'i').replace(/j/g, 'y');
}

/** A name that is a description ("a Ukrainian diplomat"), not a proper name: never merged across articles. */
function isDescription(name: string): boolean {
  return /^(?:a|an|the|one|some|two|three|several)\s/i.test(name.trim()) || !/^\p{Lu}/u.test(name.trim());
}

interface Local {
  item: Item;
  actorId: string;
  name: string;
  kind: ActorKind;
  country?: string;
  title?: string;
  variants: string[];
  mentions: number;
}

interface Group {
  key: string;
  kind: ActorKind;
  members: Local[];
}

function countryCompatible(g: Group, l: Local): boolean {
  if (!l.country) return true;
  return g.members.every((m) => !m.country || m.country === l.country);
}

/** Merge the actors of many analyses into one list; see the module comment for the rules. */
export function mergeActors(items: Item[]): MergedActor[] {
  const locals: Local[] = [];
  for (const it of sortItems(items))
    for (const a of it.analysis.actors ?? [])
      locals.push({
        item: it,
        actorId: a.id,
        name: a.name,
        kind: a.kind,
        ...(a.country ? { country: a.country } : {}),
        ...(a.title ? { title: a.title } : {}),
        variants: a.variants ?? [],
        mentions: a.mentions?.length ?? 0,
      });

  const groups = new Map<string, Group>();
  const add = (key: string, l: Local): void => {
    const g = groups.get(key) ?? { key, kind: l.kind, members: [] };
    g.members.push(l);
    groups.set(key, g);
  };
  const singles: Local[] = [];
  for (const l of locals) {
    const w = words(l.name);
    if (w.length === 0 || isDescription(l.name)) {
      add(`local|${l.kind}|${l.item.article.id}|${l.actorId}`, l);
    } else if (l.kind === 'country' && l.country) {
      add(`country|${l.country}`, l);
    } else if (l.kind === 'person') {
      if (w.length >= 2) add(`person|${surnameSkeleton(w[w.length - 1]!)}|${w[0]![0]}`, l);
      else singles.push(l);
    } else {
      add(`${l.kind}|${w.map(surnameSkeleton).join(' ')}|${l.country ?? ''}`, l);
    }
  }
  // A lone surname joins the one full name it fits (same surname skeleton, compatible country).
  const bySurname = new Map<string, Group[]>();
  for (const g of groups.values()) {
    if (!g.key.startsWith('person|')) continue;
    const sk = g.key.split('|')[1]!;
    bySurname.set(sk, [...(bySurname.get(sk) ?? []), g]);
  }
  for (const l of singles) {
    const sk = surnameSkeleton(words(l.name)[0]!);
    const fits = (bySurname.get(sk) ?? []).filter((g) => countryCompatible(g, l));
    add(fits.length === 1 ? fits[0]!.key : `person|${sk}|`, l);
  }
  const out: MergedActor[] = [];
  for (const g of groups.values()) out.push(finish(g));
  return out.sort((a, b) => b.mentions - a.mentions || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1));
}

function finish(g: Group): MergedActor {
  const nameCount = new Map<string, number>();
  for (const m of g.members) nameCount.set(m.name, (nameCount.get(m.name) ?? 0) + 1);
  // Full names before lone surnames, then the most frequent, the longer, the alphabetically first.
  const full = (n: string): number => (words(n).length >= 2 ? 1 : 0);
  const name = [...nameCount.entries()].sort(
    (a, b) => full(b[0]) - full(a[0]) || b[1] - a[1] || b[0].length - a[0].length || (a[0] < b[0] ? -1 : 1),
  )[0]![0];
  const countryCount = new Map<string, number>();
  for (const m of g.members) if (m.country) countryCount.set(m.country, (countryCount.get(m.country) ?? 0) + 1);
  const country = [...countryCount.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
  const variants = new Set<string>();
  for (const m of g.members) {
    variants.add(m.name);
    for (const v of m.variants) variants.add(v);
  }
  const roles: ActorRole[] = [];
  for (const m of g.members) {
    if (!m.title) continue;
    const date = itemDate(m.item);
    let r = roles.find((x) => x.title.toLowerCase() === m.title!.toLowerCase());
    if (!r) {
      r = { title: m.title, articles: [] };
      roles.push(r);
    }
    if (date) {
      if (!r.first || date < r.first) r.first = date;
      if (!r.last || date > r.last) r.last = date;
    }
    if (!r.articles.includes(m.item.article.id)) r.articles.push(m.item.article.id);
  }
  const appearances = g.members.map((m) => {
    const date = itemDate(m.item);
    return { articleId: m.item.article.id, actorId: m.actorId, name: m.name, ...(date ? { date } : {}), mentions: m.mentions };
  });
  return {
    id: `actor-${createHash('sha256').update(`${g.kind}|${g.key}`).digest('hex').slice(0, 12)}`,
    name,
    kind: g.kind,
    ...(country ? { country } : {}),
    variants: [...variants].sort(),
    roles,
    appearances,
    mentions: g.members.reduce((s, m) => s + m.mentions, 0),
  };
}

/** Map from `localKey(articleId, actorId)` to the merged actor. */
export function actorIndex(merged: MergedActor[]): Map<string, MergedActor> {
  const idx = new Map<string, MergedActor>();
  for (const m of merged) for (const a of m.appearances) idx.set(localKey(a.articleId, a.actorId), m);
  return idx;
}

/** Merged actors whose name or a variant matches `query` (accents and case folded; a surname skeleton matches too). */
export function findActor(merged: MergedActor[], query: string): MergedActor[] {
  const q = words(query);
  if (q.length === 0) return [];
  const qs = q.map(surnameSkeleton).join(' ');
  return merged.filter((m) =>
    [m.name, ...m.variants].some((v) => {
      const w = words(v).map(surnameSkeleton).join(' ');
      return w === qs || w.split(' ').includes(qs) || w.endsWith(` ${qs}`);
    }),
  );
}
