// Helpers shared by the store backends: errors, hashes, quote rows, search-query sanitising.
import { textHash } from '../ingest/dedup.js';
import type { Analysis } from '../analyze/types.js';
import type { AnalysisInput, FeedState, QuoteFields, QuoteRow, SerializedAnalysis, StoryRecord } from './types.js';

/** A store problem a user can act on (corrupt file, unreachable server); printed as one line. */
export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}

/** Rows fetched per page when streaming (keeps memory flat however large the library grows). */
export const PAGE_SIZE = 500;

/** Default number of search hits. */
export const DEFAULT_SEARCH_LIMIT = 20;

/** Hash of an article text for exact-duplicate lookups when the caller gives none (the pipeline's own hash). */
export function defaultTextHash(text: string): string {
  return textHash(text);
}

/** The attributions of an analysis as flat rows (content, cue and source as text). */
export function quoteRows(articleId: string, analysis: Analysis): QuoteRow[] {
  return quoteFields(analysis).map((f) => ({ articleId, ...f }));
}

/** An analysis's attribution fields (quoteRows without the article id), as a worker serialises them. */
export function quoteFields(analysis: Analysis): QuoteFields[] {
  const names = new Map(analysis.actors.map((a) => [a.id, a.name]));
  const slice = (s: { start: number; end: number } | null): string | null => (s ? analysis.text.slice(s.start, s.end) : null);
  return analysis.quotes.map((q) => ({
    quoteId: q.id,
    kind: q.kind,
    content: analysis.text.slice(q.content.start, q.content.end),
    cue: slice(q.cue),
    source: slice(q.source),
    speakerId: q.speaker,
    speakerName: q.speaker ? (names.get(q.speaker) ?? null) : null,
    start: q.content.start,
    end: q.content.end,
    rule: q.rule,
  }));
}

/** An analysis serialised for a store (what an analysis worker sends back instead of the object). */
export function serializeAnalysis(analysis: Analysis): SerializedAnalysis {
  return { json: JSON.stringify(analysis), quotes: quoteFields(analysis) };
}

/** Whether a store input is already serialised. */
export function isSerialized(a: AnalysisInput): a is SerializedAnalysis {
  return typeof (a as SerializedAnalysis).json === 'string' && Array.isArray((a as SerializedAnalysis).quotes);
}

/** The stored JSON and attribution fields of an analysis input, serialising an object here. */
export function serializedOf(a: AnalysisInput): SerializedAnalysis {
  return isSerialized(a) ? a : serializeAnalysis(a);
}

/**
 * The story records of a batch, one per id in order of first appearance: the last record given
 * for an id is its newest state (the pipeline passes the same live object each time anyway).
 */
export function batchStories(records: Iterable<StoryRecord | undefined>): StoryRecord[] {
  const byId = new Map<string, StoryRecord>();
  for (const r of records) if (r) byId.set(r.id, r);
  return [...byId.values()];
}

/** Words and "quoted phrases" of a user query; everything else (operators, punctuation) is dropped. */
export function queryTerms(query: string): { words: string[]; phrases: string[] } {
  const phrases: string[] = [];
  const rest = query.replace(/"([^"]*)"/g, (_m, p: string) => {
    const w = p.match(/[\p{L}\p{N}]+/gu);
    if (w && w.length) phrases.push(w.join(' '));
    return ' ';
  });
  const words = rest.match(/[\p{L}\p{N}]+/gu) ?? [];
  return { words, phrases };
}

/** An FTS5 MATCH expression that cannot be a syntax error: every term quoted, all required. */
export function fts5Query(query: string): string | null {
  const { words, phrases } = queryTerms(query);
  const parts = [...phrases, ...words].map((t) => `"${t}"`);
  return parts.length ? parts.join(' ') : null;
}

/** A `feeds` table row (same columns in SQLite and PostgreSQL) as a FeedState, without null fields. */
export function feedStateFromRow(r: { url: string; etag: string | null; last_modified: string | null; checked_at: string | null; status: number | null }): FeedState {
  const s: FeedState = { url: r.url };
  if (r.etag != null) s.etag = r.etag;
  if (r.last_modified != null) s.lastModified = r.last_modified;
  if (r.checked_at != null) s.checkedAt = r.checked_at;
  if (r.status != null) s.status = r.status;
  return s;
}
