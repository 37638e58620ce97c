// Events and statements across articles in date order, and the interaction network (who met,
// called, accused, threatened whom). Pure over `{article, analysis}` items.
import type { PloverType, QuoteKind, Span } from '../analyze/types.js';
import { loadPloverMeta, type PloverMeta } from '../export/plover-meta.js';
import { actorIndex, itemDate, localKey, mergeActors, sortItems, type Item, type MergedActor } from './actors-merge.js';
import { excerpt } from './positions.js';

export interface TimelineEntry {
  /** YYYY-MM-DD: the event's own date when resolved to a day, week or month; else the article's. */
  date?: string;
  /** Where `date` comes from: the event's own date, a day named in the statement's sentence, or the publication date. */
  dateFrom: 'event' | 'text' | 'published';
  kind: 'event' | 'statement';
  articleId: string;
  url?: string;
  /** Event or quote id in the article's analysis. */
  id: string;
  /** Merged actor ids: event sources then targets, or the speaker. */
  actors: string[];
  summary: string;
  type?: PloverType;
  negated?: boolean;
  quoteKind?: QuoteKind;
  issues?: string[];
  evidence: Span;
  excerpt: string;
}

/** YYYY-MM-DD for the start of a day / ISO week (YYYY-Www) / month (YYYY-MM) value, else undefined. */
export function dateStart(v: string | undefined): string | undefined {
  if (!v) return undefined;
  if (/^\d{4}-\d{2}-\d{2}/.test(v)) return v.slice(0, 10);
  if (/^\d{4}-\d{2}$/.test(v)) return `${v}-01`;
  const w = /^(\d{4})-W(\d{2})$/.exec(v);
  if (w) {
    // ISO week 1 holds January 4th; weeks start on Monday.
    const jan4 = Date.UTC(Number(w[1]), 0, 4);
    const dow = (new Date(jan4).getUTCDay() + 6) % 7;
    const monday = jan4 - dow * 86_400_000 + (Number(w[2]) - 1) * 7 * 86_400_000;
    return new Date(monday).toISOString().slice(0, 10);
  }
  return undefined;
}

function names(ids: string[], byId: Map<string, MergedActor>): string {
  return ids.map((i) => byId.get(i)?.name ?? '?').join(', ') || '?';
}

export function timeline(items: Item[]): TimelineEntry[] {
  const sorted = sortItems(items);
  const merged = mergeActors(sorted);
  const idx = actorIndex(merged);
  const byId = new Map(merged.map((m) => [m.id, m]));
  const out: Array<TimelineEntry & { order: number }> = [];
  sorted.forEach((it, order) => {
    const pub = itemDate(it);
    const url = it.article.canonicalUrl ?? it.article.url;
    const a = it.analysis;
    const resolve = (local: string): string | undefined => idx.get(localKey(it.article.id, local))?.id;
    for (const e of a.events ?? []) {
      const src = e.source.map(resolve).filter((x): x is string => !!x);
      const tgt = e.target.map(resolve).filter((x): x is string => !!x);
      const own = dateStart(e.date);
      const date = own ?? pub;
      out.push({
        order,
        ...(date ? { date } : {}),
        dateFrom: own ? 'event' : 'published',
        kind: 'event',
        articleId: it.article.id,
        ...(url ? { url } : {}),
        id: e.id,
        actors: [...src, ...tgt],
        summary: `${names(src, byId)} ${e.negated ? 'NOT ' : ''}${e.type}${e.mode ? `/${e.mode}` : ''}${tgt.length ? ` ${names(tgt, byId)}` : ''}`,
        type: e.type,
        ...(e.negated ? { negated: true } : {}),
        ...(e.issues?.length ? { issues: e.issues } : {}),
        evidence: e.evidence,
        excerpt: excerpt(a.text, e.evidence),
      });
    }
    for (const q of a.quotes ?? []) {
      const sp = q.speaker ? resolve(q.speaker) : undefined;
      // "announced on Tuesday that…": a day named in the statement's sentence dates it.
      const sent = a.structure?.sentences?.find((x) => x.start <= q.content.start && q.content.start < x.end);
      const named = sent ? (a.dates ?? []).find((d) => d.grain === 'day' && d.start >= sent.start && d.end <= sent.end) : undefined;
      const date = named?.value ?? pub;
      out.push({
        order,
        ...(date ? { date } : {}),
        dateFrom: named ? 'text' : 'published',
        kind: 'statement',
        articleId: it.article.id,
        ...(url ? { url } : {}),
        id: q.id,
        actors: sp ? [sp] : [],
        summary: `${sp ? byId.get(sp)!.name : 'unattributed'}: ${excerpt(a.text, q.content)}`,
        quoteKind: q.kind,
        ...(q.issues?.length ? { issues: q.issues } : {}),
        evidence: q.content,
        excerpt: excerpt(a.text, q.content),
      });
    }
  });
  // Undated entries last; then article order, then place in the text.
  out.sort((x, y) => {
    const dx = x.date ?? '9999';
    const dy = y.date ?? '9999';
    return dx < dy ? -1 : dx > dy ? 1 : x.order - y.order || x.evidence.start - y.evidence.start || (x.kind < y.kind ? -1 : x.kind > y.kind ? 1 : 0);
  });
  return out.map(({ order: _o, ...e }) => e);
}

export interface InteractionEdge {
  source: string;
  target: string;
  type: PloverType;
  quad: number;
  /** PLOVER modes seen on the edge's events (phone, visit, third-party…), sorted. */
  modes: string[];
  /** Sum of Goldstein-like weights over the edge's events (cooperation > 0 > conflict). */
  weight: number;
  count: number;
  first?: string;
  last?: string;
  evidence: Array<{ articleId: string; eventId: string; date?: string; evidence: Span; excerpt: string }>;
}

export interface InteractionNetwork {
  nodes: Array<Pick<MergedActor, 'id' | 'name' | 'kind' | 'country'> & { degree: number }>;
  edges: InteractionEdge[];
}

/** Event types that are mutual: "Putin and Trump met" with no target is each meeting the other. */
export const MUTUAL_TYPES = new Set<PloverType>(['CONSULT', 'COOPERATE', 'AGREE']);

/**
 * Source → target pairs of an event. A mutual event (MUTUAL_TYPES) with several sources and no
 * target pairs its sources with each other, once per pair, in the order given.
 */
export function actorPairs(type: PloverType, source: string[], target: string[]): Array<[string, string]> {
  if (target.length === 0 && source.length > 1 && MUTUAL_TYPES.has(type)) {
    const out: Array<[string, string]> = [];
    for (let i = 0; i < source.length; i++) for (let j = i + 1; j < source.length; j++) out.push([source[i]!, source[j]!]);
    return out;
  }
  return source.flatMap((s) => target.map((t): [string, string] => [s, t]));
}

/** Who did what to whom, from events (negated events left out): one edge per source, target and type. */
export function interactionNetwork(items: Item[], meta: PloverMeta = loadPloverMeta()): InteractionNetwork {
  const sorted = sortItems(items);
  const merged = mergeActors(sorted);
  const idx = actorIndex(merged);
  const edges = new Map<string, InteractionEdge>();
  for (const it of sorted) {
    const date = itemDate(it);
    for (const e of it.analysis.events ?? []) {
      if (e.negated) continue;
      const own = dateStart(e.date) ?? date;
      for (const [s, t] of actorPairs(e.type, e.source, e.target)) {
        const src = idx.get(localKey(it.article.id, s))?.id;
        const tgt = idx.get(localKey(it.article.id, t))?.id;
        if (!src || !tgt || src === tgt) continue;
        const key = `${src}|${tgt}|${e.type}`;
        const m = meta.types[e.type];
        const edge = edges.get(key) ?? { source: src, target: tgt, type: e.type, quad: m?.quad ?? 0, modes: [] as string[], weight: 0, count: 0, evidence: [] };
        edges.set(key, edge);
        edge.count++;
        if (e.mode && !edge.modes.includes(e.mode)) edge.modes = [...edge.modes, e.mode].sort();
        edge.weight += m?.goldstein ?? 0;
        if (own) {
          if (!edge.first || own < edge.first) edge.first = own;
          if (!edge.last || own > edge.last) edge.last = own;
        }
        edge.evidence.push({ articleId: it.article.id, eventId: e.id, ...(own ? { date: own } : {}), evidence: e.evidence, excerpt: excerpt(it.analysis.text, e.evidence) });
      }
    }
  }
  const list = [...edges.values()].sort((a, b) => b.count - a.count || (a.source + a.target + a.type < b.source + b.target + b.type ? -1 : 1));
  const degree = new Map<string, number>();
  for (const e of list) {
    degree.set(e.source, (degree.get(e.source) ?? 0) + e.count);
    degree.set(e.target, (degree.get(e.target) ?? 0) + e.count);
  }
  const nodes = merged
    .filter((m) => degree.has(m.id))
    .map((m) => ({ id: m.id, name: m.name, kind: m.kind, ...(m.country ? { country: m.country } : {}), degree: degree.get(m.id)! }));
  return { nodes, edges: list };
}
