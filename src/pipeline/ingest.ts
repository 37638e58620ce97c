// The ingest pipeline: sources → dedup → analyse → stories → store. Articles are analysed in
// parallel but committed in arrival order, so ids and stories are deterministic; an article already
// stored is skipped, so ingesting the same input twice changes nothing. Commits are grouped: one
// transaction holds the articles finished within a short interval (each with its story), so a crash
// keeps every committed article whole and loses at most the last interval, which a re-run redoes.
import type { Article } from '../analyze/types.js';
import type { ArticleWrite, Store, StoryRecord } from '../store/types.js';
import type { AnalysisJob, Queue } from '../queue/types.js';
import type { Analyzer, AnalyzeResult } from './analyzer.js';
import type { SourceResult } from '../ingest/index.js';
import { NearDupIndex, decodeMinHash, encodeMinHash, hashNormalised, minhash, minhashNormalised, normaliseForHash, type MinHash } from '../ingest/dedup.js';
import { analysisText } from './analyzer.js';
import { RECORD_CACHE, StoryTracker } from './stories.js';

/**
 * Articles in flight per analysis worker: enough to keep every worker busy while the main thread
 * commits — including the longer pauses, a batch write or a clusterer save (tens of ms), which a
 * few articles of a few ms each would not cover.
 */
const READAHEAD_PER_WORKER = 8;
/**
 * Most articles per write transaction. Fewer, larger transactions cost the writer less per article
 * (one commit, fewer full-text index flushes and page rewrites). It must stay below the story
 * tracker's record cache: a story record changed by an uncommitted article is then always still
 * cached when touched again, never re-read stale from the store.
 */
export const WRITE_BATCH = 64;
/** A batch is written once its oldest article has waited this long (ms), so commits stay frequent. */
export const WRITE_BATCH_MS = 50;
/** Most recent originals indexed for near-duplicate lookups (wire copies arrive close together). */
export const NEAR_DUP_WINDOW = 20_000;
/** Save the story clusterer every this many new articles, bounding the replay after a crash. */
export const CLUSTERER_SAVE_EVERY = 1000;
/** Errors kept in the summary's list (all are counted and reported through onError). */
const MAX_LISTED_ERRORS = 100;

export interface IngestCounts {
  /** Items read from the sources (articles and errors). */
  read: number;
  /** New articles stored (originals). */
  added: number;
  /** New articles stored as duplicates of an earlier one. */
  duplicates: number;
  /** Articles already in the library (skipped). */
  unchanged: number;
  /** Items that could not be read or parsed. */
  errors: number;
  /** New originals stored without an analysis (not English, too short…). */
  notAnalysed: number;
  /** Analysis jobs published (queue mode). */
  queued: number;
}

export interface IngestSummary extends IngestCounts {
  errorList: { source: string; error: string }[];
  interrupted: boolean;
  ms: number;
}

export interface IngestOptions {
  store: Store;
  /** Analyses new articles; ignored when `queue` is set. */
  analyzer?: Analyzer | null;
  /** Publish analysis jobs here instead of analysing in-process. */
  queue?: Queue<AnalysisJob> | null;
  /** 'full': canonical URL, text hash and near-duplicates; 'id': only the article id (benchmarks of cycled corpora). */
  dedup?: 'full' | 'id';
  onProgress?: (c: IngestCounts) => void;
  onError?: (source: string, error: string) => void;
  /** Stop reading new items when aborted; what is in flight is committed. */
  signal?: AbortSignal;
  /** Reuse the state of an earlier run on the same store (see openIngestState). */
  state?: IngestState;
}

type Pending =
  | { kind: 'new'; article: Article; textHash: string; minhash: MinHash | null; result: Promise<AnalyzeResult> | null }
  | { kind: 'dup'; article: Article; textHash: string; original: string };

/** What an ingest keeps between runs on one store (`watch` polls many times): stories and the near-dup index. */
export interface IngestState {
  tracker: StoryTracker;
  near: NearDupIndex;
}

export async function openIngestState(store: Store, nearDuplicates = true): Promise<IngestState> {
  const tracker = await StoryTracker.open(store);
  const near = new NearDupIndex({ capacity: NEAR_DUP_WINDOW });
  if (nearDuplicates) {
    // Rebuild the near-duplicate index from the newest originals already stored (what it would have
    // kept), from the MinHash saved with each; only articles stored without one are hashed again.
    const c = await store.counts();
    const skip = Math.max(0, c.articles - c.duplicates - NEAR_DUP_WINDOW);
    for await (const k of store.iterNearDupKeys({ skip })) {
      let m = k.minhash ? decodeMinHash(k.minhash) : null;
      m ??= minhash(k.text ?? (await store.getArticle(k.id))?.article.text ?? '');
      near.addMinHash(k.id, m);
    }
  }
  return { tracker, near };
}

export async function runIngest(items: AsyncIterable<SourceResult>, opts: IngestOptions): Promise<IngestSummary> {
  const t0 = Date.now();
  const { store } = opts;
  const queue = opts.queue ?? null;
  const analyzer = queue ? null : (opts.analyzer ?? null);
  const full = (opts.dedup ?? 'full') === 'full';
  const c: IngestCounts = { read: 0, added: 0, duplicates: 0, unchanged: 0, errors: 0, notAnalysed: 0, queued: 0 };
  const errorList: IngestSummary['errorList'] = [];
  const fail = (source: string, error: string): void => {
    c.errors++;
    if (errorList.length < MAX_LISTED_ERRORS) errorList.push({ source, error });
    opts.onError?.(source, error);
  };

  const { tracker, near } = opts.state ?? (await openIngestState(store, full));
  if (queue) {
    // Jobs lost before a worker stored their result (or never published): publish them again.
    for (const id of await store.listUnanalysed()) {
      await queue.publish(id, { articleId: id });
      c.queued++;
    }
  }

  const seenIds = new Set<string>();
  const seenUrls = new Map<string, string>();
  const seenHashes = new Map<string, string>();
  const storyOf = new Map<string, string>();
  const window: Pending[] = [];
  const readahead = Math.max(1, (analyzer?.size ?? 1) * READAHEAD_PER_WORKER);

  // Articles committed in order but not yet written: one transaction writes them together.
  let batch: ArticleWrite[] = [];
  let batchStart = 0;
  // Jobs to publish once their articles are written (a worker must find the article it is sent).
  let toPublish: string[] = [];
  const flush = async (metaEntries: Array<[string, string]> = []): Promise<void> => {
    const writes = batch;
    batch = [];
    await store.putArticles(writes, metaEntries);
    for (const id of toPublish) {
      await queue!.publish(id, { articleId: id });
      c.queued++;
    }
    toPublish = [];
  };
  const stage = async (w: ArticleWrite): Promise<void> => {
    if (!batch.length) batchStart = Date.now();
    batch.push(w);
    if (batch.length >= Math.min(WRITE_BATCH, RECORD_CACHE - 1) || Date.now() - batchStart >= WRITE_BATCH_MS) await flush();
  };

  const commit = async (p: Pending): Promise<void> => {
    if (p.kind === 'dup') {
      const storyId = storyOf.get(p.original) ?? (await store.getArticle(p.original))?.storyId;
      const story = await tracker.addDuplicate(p.article, storyId);
      c.duplicates++;
      await stage({ article: p.article, analysis: null, meta: { duplicateOf: p.original, textHash: p.textHash, ...(storyId ? { storyId } : {}), ...(story ? { story } : {}) } });
      return;
    }
    let r: AnalyzeResult | null = null;
    if (p.result) {
      r = await p.result;
      if (!r.stored) {
        c.notAnalysed++;
        opts.onError?.(p.article.source ?? p.article.id, `stored without analysis: ${r.error}`);
      }
    }
    const story: StoryRecord = await tracker.assign(p.article, r?.stored ? (r.digest ?? null) : null);
    storyOf.set(p.article.id, story.id);
    c.added++;
    if (queue) toPublish.push(p.article.id);
    const meta = { textHash: p.textHash, storyId: story.id, story, ...(p.minhash ? { minhash: encodeMinHash(p.minhash) } : {}) };
    const write: ArticleWrite = { article: p.article, analysis: r?.stored ?? null, meta };
    if (c.added % CLUSTERER_SAVE_EVERY === 0) {
      // Written in the same transaction as the articles it has seen, the state covers exactly the
      // committed articles.
      batch.push(write);
      await flush([tracker.stateEntry()]);
    } else await stage(write);
  };

  let interrupted = false;
  for await (const item of items) {
    if (opts.signal?.aborted) {
      interrupted = true;
      break;
    }
    c.read++;
    if ('error' in item) {
      fail(item.source, item.error);
    } else {
      const a = item.article;
      if (seenIds.has(a.id) || (await store.hasArticle(a.id))) {
        c.unchanged++;
      } else {
        seenIds.add(a.id);
        // Normalised once for both the exact hash and the MinHash.
        const normalised = normaliseForHash(a.text);
        const textHash = hashNormalised(normalised);
        let original: string | null = null;
        let mh: MinHash | null = null;
        if (full) {
          const canon = a.canonicalUrl;
          original =
            (canon ? (seenUrls.get(canon) ?? null) : null) ??
            seenHashes.get(textHash) ??
            (await store.findOriginal({ ...(canon ? { canonicalUrl: canon } : {}), textHash })) ??
            near.addMinHash(a.id, (mh = minhashNormalised(normalised))).duplicateOf ??
            null;
        }
        if (original) {
          window.push({ kind: 'dup', article: a, textHash, original });
        } else {
          if (full) {
            if (a.canonicalUrl) seenUrls.set(a.canonicalUrl, a.id);
            seenHashes.set(textHash, a.id);
          }
          window.push({ kind: 'new', article: a, textHash, minhash: mh, result: analyzer ? analyzer.run(analysisText(a), a.published, a) : null });
        }
      }
    }
    while (window.length > readahead) await commit(window.shift()!);
    opts.onProgress?.(c);
  }
  while (window.length) await commit(window.shift()!);
  // Saved only after a clean finish or interrupt; after a crash the next run replays what was committed.
  await flush([tracker.stateEntry()]);
  opts.onProgress?.(c);
  return { ...c, errorList, interrupted, ms: Date.now() - t0 };
}
