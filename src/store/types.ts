// The one Store interface every backend implements (SQLite by default, PostgreSQL for scale).
// Drafted by the lead, extended by the store owner; other code depends on the first block of methods.
import type { Analysis, Article } from '../analyze/types.js';

/** A story: articles about one event, grouped across outlets. */
export interface StoryRecord {
  id: string;
  /** The headline chosen to name the story. */
  title: string;
  /** Every headline its articles ran, de-duplicated, first seen first. */
  headlines: string[];
  outlets: string[];
  articleIds: string[];
  /** ISO dates of the first and last article. */
  first?: string;
  last?: string;
}

export interface StoredArticle {
  article: Article;
  /** Id of the article this one duplicates (same canonical URL, same text, or near-duplicate). */
  duplicateOf?: string;
  storyId?: string;
}

export interface SearchHit {
  kind: 'article' | 'quote';
  articleId: string;
  /** Quote id for quote hits. */
  quoteId?: string;
  snippet: string;
  score: number;
}

/** Extra facts stored with an article. */
export interface ArticleMeta {
  duplicateOf?: string;
  storyId?: string;
  /** Hash of the normalised text, for exact-duplicate lookups; the store hashes `text` when absent. */
  textHash?: string;
  /** The article's story record as it now stands, written in the same transaction as the article. */
  story?: StoryRecord;
  /** The text's MinHash (encodeMinHash), kept so the near-duplicate index is rebuilt without re-hashing. */
  minhash?: Uint8Array;
}

/** What rebuilding the near-duplicate index needs of a stored original: its saved MinHash, else its text. */
export interface NearDupKey {
  id: string;
  minhash: Uint8Array | null;
  /** Only when no MinHash was saved (articles stored before it was, or by an ingest that did not compute it). */
  text: string | null;
}

/** One attribution as a flat row (for export and search). */
export interface QuoteRow {
  articleId: string;
  quoteId: string;
  kind: string;
  /** The attributed content as text. */
  content: string;
  cue: string | null;
  source: string | null;
  speakerId: string | null;
  speakerName: string | null;
  start: number;
  end: number;
  rule: string;
}

/** An attribution row's fields without its article id (the analysis alone knows them). */
export type QuoteFields = Omit<QuoteRow, 'articleId'>;

/**
 * An analysis serialised where it was made (on an analysis worker thread), so the writer neither
 * receives a structured clone of it nor serialises it again: `json` is exactly JSON.stringify(analysis)
 * and `quotes` exactly quoteRows(…, analysis) without the article id. Stores keep the same bytes
 * and rows either way.
 */
export interface SerializedAnalysis {
  json: string;
  quotes: QuoteFields[];
}

/** An analysis as given to a store: the object, or already serialised. */
export type AnalysisInput = Analysis | SerializedAnalysis;

/** One article write of a batch (see Store.putArticles). */
export interface ArticleWrite {
  article: Article;
  analysis: AnalysisInput | null;
  meta?: ArticleMeta;
}

/** What a feed answered last time, for conditional GET. */
export interface FeedState {
  url: string;
  etag?: string;
  lastModified?: string;
  /** ISO time of the last poll. */
  checkedAt?: string;
  /** HTTP status of the last poll (304 = not modified). */
  status?: number;
}

export interface StoreCounts {
  /** All stored articles, duplicates included. */
  articles: number;
  duplicates: number;
  analysed: number;
  quotes: number;
  stories: number;
}

export interface Store {
  /** Insert or update an article with its analysis; idempotent on article.id. */
  putArticle(article: Article, analysis: AnalysisInput | null, meta?: ArticleMeta): Promise<void>;
  getArticle(id: string): Promise<StoredArticle | null>;
  getAnalysis(articleId: string): Promise<Analysis | null>;
  /** All non-duplicate articles with their analyses, in publication order. */
  iterAnalyses(): AsyncIterable<{ article: Article; analysis: Analysis }>;
  putStory(story: StoryRecord): Promise<void>;
  getStory(id: string): Promise<StoryRecord | null>;
  listStories(): Promise<StoryRecord[]>;
  search(query: string, limit?: number): Promise<SearchHit[]>;
  close(): Promise<void>;

  // --- Added by the store owner ---
  /** Which backend this is ('sqlite' | 'postgres') and where. */
  readonly description: string;
  hasArticle(id: string): Promise<boolean>;
  /**
   * putArticle for many articles in ONE transaction: after a crash either all of them are stored
   * or none. Story records are written once each, as they stand when the batch is written (a
   * story several articles of the batch joined is the same object each time); `metaEntries` are
   * setMeta pairs written in the same transaction (state that must match exactly what is committed).
   */
  putArticles(writes: ArticleWrite[], metaEntries?: Array<[string, string]>): Promise<void>;
  /** Attach (or replace) the analysis of a stored article; false when the article is unknown. */
  putAnalysis(articleId: string, analysis: AnalysisInput): Promise<boolean>;
  /** Set the story an article belongs to. */
  setStory(articleId: string, storyId: string): Promise<void>;
  /** The first stored article with this canonical URL or text hash (the original of a duplicate). */
  findOriginal(key: { canonicalUrl?: string; textHash?: string }): Promise<string | null>;
  /**
   * Every stored article in insertion order (duplicates too unless excluded), streamed in pages;
   * `skip` passes over the first articles of that sequence without reading them.
   */
  iterArticles(opts?: { includeDuplicates?: boolean; skip?: number }): AsyncIterable<StoredArticle & { analysed: boolean }>;
  /** iterArticles({ includeDuplicates: false, skip }) reduced to what the near-duplicate index needs. */
  iterNearDupKeys(opts?: { skip?: number }): AsyncIterable<NearDupKey>;
  /** Every story, streamed in id order (exports of any size). */
  iterStories(): AsyncIterable<StoryRecord>;
  /** Every attribution of every stored analysis, streamed. */
  iterQuotes(): AsyncIterable<QuoteRow>;
  /** Non-duplicate articles whose analysis is still missing (queued jobs not yet done). */
  listUnanalysed(): Promise<string[]>;
  counts(): Promise<StoreCounts>;
  getFeedState(url: string): Promise<FeedState | null>;
  putFeedState(state: FeedState): Promise<void>;
  /**
   * Takes the library's single-writer lock for an ingest (stories and dedup state are per writer);
   * throws a StoreError naming the holder when another process has it. Resolves to its release.
   */
  lockWriter(): Promise<() => Promise<void>>;
  /** Small key/value settings (e.g. persisted clusterer state). */
  getMeta(key: string): Promise<string | null>;
  setMeta(key: string, value: string): Promise<void>;
}
