// Events out to the field's tools: PLOVER JSON records and GDELT-2.0-style tab-separated rows.
// Every record carries its article id, URL and evidence offsets, so it can be traced back.
import type { EventRecord, PloverType } from '../analyze/types.js';
import { actorIndex, itemDate, localKey, mergeActors, sortItems, type Item, type MergedActor } from '../stories/actors-merge.js';

import { actorPairs, dateStart } from '../stories/timeline.js';
import { cameoCode, loadPloverMeta, type PloverMeta } from './plover-meta.js';

/** One actor in a PLOVER record (field names follow PLOVER_GSR_CAMEO.json: actorText, code). */
export interface PloverActor {
  actorText: string;
  /** ISO 3166-1 alpha-3 country of the actor, or '' when unknown. */
  code: string;
  /** Merged (cross-article) actor id. */
  id: string;
  kind: string;
}

export interface PloverRecord {
  id: string;
  date?: string;
  event: PloverType;
  mode?: string;
  context: string[];
  source: PloverActor[];
  target: PloverActor[];
  eventText?: string;
  text: string;
  location?: { name: string; country?: string; lat?: number; lon?: number };
  negated?: boolean;
  modality?: string;
  issues?: string[];
  language: string;
  publication?: string;
  url?: string;
  articleId: string;
  eventId: string;
  evidence: { start: number; end: number };
  rule: string;
  coder: 'parley';
}

function ploverActor(local: string, articleId: string, idx: Map<string, MergedActor>, localNames: Map<string, string>): PloverActor {
  const m = idx.get(localKey(articleId, local));
  return { actorText: localNames.get(local) ?? m?.name ?? local, code: m?.country ?? '', id: m?.id ?? local, kind: m?.kind ?? '' };
}

/** PLOVER JSON records, one per event, in publication then text order. */
export function eventsToPlover(items: Item[]): PloverRecord[] {
  const sorted = sortItems(items);
  const idx = actorIndex(mergeActors(sorted));
  const out: PloverRecord[] = [];
  for (const it of sorted) {
    const a = it.analysis;
    const localNames = new Map((a.actors ?? []).map((x) => [x.id, x.name]));
    const url = it.article.canonicalUrl ?? it.article.url;
    const pub = itemDate(it);
    for (const e of a.events ?? []) {
      const date = dateStart(e.date) ?? pub;
      out.push({
        id: `${it.article.id}-${e.id}`,
        ...(date ? { date } : {}),
        event: e.type,
        ...(e.mode ? { mode: e.mode } : {}),
        context: e.context ?? [],
        source: e.source.map((s) => ploverActor(s, it.article.id, idx, localNames)),
        target: e.target.map((t) => ploverActor(t, it.article.id, idx, localNames)),
        ...(e.trigger ? { eventText: a.text.slice(e.trigger.start, e.trigger.end) } : {}),
        text: a.text.slice(e.evidence.start, e.evidence.end),
        ...(e.location ? { location: { name: e.location.name, ...(e.location.country ? { country: e.location.country } : {}), ...(e.location.lat !== undefined ? { lat: e.location.lat } : {}), ...(e.location.lon !== undefined ? { lon: e.location.lon } : {}) } } : {}),
        ...(e.negated ? { negated: true } : {}),
        ...(e.modality ? { modality: e.modality } : {}),
        ...(e.issues?.length ? { issues: e.issues } : {}),
        language: a.language || 'en',
        ...(it.article.outlet ? { publication: it.article.outlet } : {}),
        ...(url ? { url } : {}),
        articleId: it.article.id,
        eventId: e.id,
        evidence: { start: e.evidence.start, end: e.evidence.end },
        rule: e.rule,
        coder: 'parley',
      });
    }
  }
  return out;
}

/** The 61 columns of a GDELT 2.0 event record, in order. */
export const GDELT_COLUMNS = [
  'GLOBALEVENTID', 'SQLDATE', 'MonthYear', 'Year', 'FractionDate',
  'Actor1Code', 'Actor1Name', 'Actor1CountryCode', 'Actor1KnownGroupCode', 'Actor1EthnicCode', 'Actor1Religion1Code', 'Actor1Religion2Code', 'Actor1Type1Code', 'Actor1Type2Code', 'Actor1Type3Code',
  'Actor2Code', 'Actor2Name', 'Actor2CountryCode', 'Actor2KnownGroupCode', 'Actor2EthnicCode', 'Actor2Religion1Code', 'Actor2Religion2Code', 'Actor2Type1Code', 'Actor2Type2Code', 'Actor2Type3Code',
  'IsRootEvent', 'EventCode', 'EventBaseCode', 'EventRootCode', 'QuadClass', 'GoldsteinScale', 'NumMentions', 'NumSources', 'NumArticles', 'AvgTone',
  'Actor1Geo_Type', 'Actor1Geo_FullName', 'Actor1Geo_CountryCode', 'Actor1Geo_ADM1Code', 'Actor1Geo_ADM2Code', 'Actor1Geo_Lat', 'Actor1Geo_Long', 'Actor1Geo_FeatureID',
  'Actor2Geo_Type', 'Actor2Geo_FullName', 'Actor2Geo_CountryCode', 'Actor2Geo_ADM1Code', 'Actor2Geo_ADM2Code', 'Actor2Geo_Lat', 'Actor2Geo_Long', 'Actor2Geo_FeatureID',
  'ActionGeo_Type', 'ActionGeo_FullName', 'ActionGeo_CountryCode', 'ActionGeo_ADM1Code', 'ActionGeo_ADM2Code', 'ActionGeo_Lat', 'ActionGeo_Long', 'ActionGeo_FeatureID',
  'DATEADDED', 'SOURCEURL',
] as const;

/** Columns Parley appends after GDELT's 61, so each row leads back to its article and offsets. */
export const PARLEY_COLUMNS = ['ParleyArticleId', 'ParleyEventId', 'ParleyPloverType', 'ParleyMode', 'ParleyContext', 'ParleyNegated', 'ParleyEvidenceStart', 'ParleyEvidenceEnd'] as const;

/** GDELT ActionGeo_Type: 1 country, 3 US city/landmark, 4 world city/landmark. */
const GEO_COUNTRY = 1;
const GEO_US_CITY = 3;
const GEO_WORLD_CITY = 4;
const DAYS_PER_YEAR = 365;

/** A TSV field: tabs and line breaks become spaces (TSV has no quoting). */
function field(v: string | number | undefined): string {
  if (v === undefined) return '';
  return String(v).replace(/[\t\r\n]+/g, ' ');
}

function fractionDate(iso: string): string {
  const y = Number(iso.slice(0, 4));
  const day = (Date.UTC(y, Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) - Date.UTC(y, 0, 1)) / 86_400_000 + 1;
  return (y + day / DAYS_PER_YEAR).toFixed(4);
}

function geo(e: EventRecord): string[] {
  const l = e.location;
  if (!l) return ['', '', '', '', '', '', '', ''];
  const hasPoint = l.lat !== undefined && l.lon !== undefined;
  const type = hasPoint ? (l.country === 'USA' ? GEO_US_CITY : GEO_WORLD_CITY) : GEO_COUNTRY;
  return [String(type), field(l.name), field(l.country), '', '', hasPoint ? String(l.lat) : '', hasPoint ? String(l.lon) : '', ''];
}

/**
 * GDELT-2.0-style rows (the 61 GDELT columns, then PARLEY_COLUMNS), one per source × target pair
 * of each event (a mutual event with several sources and no target: one per pair of sources). Actor codes and country codes are ISO alpha-3 (GDELT uses CAMEO actor codes,
 * which agree for countries, and FIPS for geography — noted in docs). NumMentions/Sources/Articles
 * are 1: a row is one article's report.
 */
export function eventsToGdeltRows(items: Item[], meta: PloverMeta = loadPloverMeta()): string[][] {
  const sorted = sortItems(items);
  const idx = actorIndex(mergeActors(sorted));
  const rows: string[][] = [];
  for (const it of sorted) {
    const a = it.analysis;
    const localNames = new Map((a.actors ?? []).map((x) => [x.id, x.name]));
    const url = it.article.canonicalUrl ?? it.article.url ?? it.article.source ?? '';
    const pub = itemDate(it);
    const leadEnd = a.structure?.paragraphs?.[0]?.end ?? 0;
    for (const e of a.events ?? []) {
      const date = dateStart(e.date) ?? pub;
      const code = cameoCode(meta, e.type, e.mode);
      const m = meta.types[e.type];
      const actor = (local: string | undefined): string[] => {
        if (!local) return ['', '', '', '', '', '', '', '', '', ''];
        const mm = idx.get(localKey(it.article.id, local));
        const country = mm?.country ?? '';
        return [country, field(localNames.get(local) ?? mm?.name ?? ''), country, '', '', '', '', '', '', ''];
      };
      const mutual = actorPairs(e.type, e.source, e.target);
      const pairs: Array<[string | undefined, string | undefined]> = [];
      if (mutual.length > 0) pairs.push(...mutual);
      else for (const s of e.source.length ? e.source : [undefined]) for (const t of e.target.length ? e.target : [undefined]) pairs.push([s, t]);
      pairs.forEach(([s, t], k) => {
        const g = geo(e);
        rows.push([
          `${it.article.id}-${e.id}${pairs.length > 1 ? `-${k}` : ''}`,
          date ? date.replace(/-/g, '') : '',
          date ? date.slice(0, 7).replace('-', '') : '',
          date ? date.slice(0, 4) : '',
          date ? fractionDate(date) : '',
          ...actor(s),
          ...actor(t),
          e.evidence.start < leadEnd ? '1' : '0',
          code,
          code,
          code.slice(0, 2),
          String(m?.quad ?? ''),
          m ? m.goldstein.toFixed(1) : '',
          '1', '1', '1', '',
          '', '', '', '', '', '', '', '',
          '', '', '', '', '', '', '', '',
          ...g,
          pub ? `${pub.replace(/-/g, '')}000000` : '',
          field(url),
          it.article.id,
          e.id,
          e.type,
          field(e.mode),
          field((e.context ?? []).join(';')),
          e.negated ? '1' : '0',
          String(e.evidence.start),
          String(e.evidence.end),
        ]);
      });
    }
  }
  return rows;
}

/** The rows as TSV text, with a header line unless `header` is false. */
export function eventsToGdeltTsv(items: Item[], opts: { header?: boolean; meta?: PloverMeta } = {}): string {
  const rows = eventsToGdeltRows(items, opts.meta);
  const lines = rows.map((r) => r.join('\t'));
  if (opts.header !== false) lines.unshift([...GDELT_COLUMNS, ...PARLEY_COLUMNS].join('\t'));
  return lines.length ? `${lines.join('\n')}\n` : '';
}

