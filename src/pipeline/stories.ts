// Keeps stories up to date as articles arrive: the online clusterer (src/stories/cluster.ts) plus
// the StoryRecord of each story. The clusterer state is persisted in the store's meta table and
// articles committed after the last save are replayed on open, so a killed ingest resumes exactly.
import type { Analysis, Article } from '../analyze/types.js';
import { dataDir } from '../analyze/lexicons.js';
import { StoryClusterer, type ClustererState } from '../stories/cluster.js';
import { articleFeatures, loadStoryLexicon, type ArticleFeatures, type StoryLexicon } from '../stories/features.js';
import type { Store, StoryRecord } from '../store/types.js';

/** Meta key holding the serialised clusterer. */
export const CLUSTERER_META_KEY = 'stories.clusterer';
/** Story records kept in memory; older ones are re-read from the store when touched again. */
export const RECORD_CACHE = 5000;

/**
 * What a story assignment takes from an article's analysis. It is made where the analysis is (the
 * analysis worker thread), so the writer's thread neither receives the analysis nor extracts features.
 */
export interface ArticleDigest {
  /** The analysis's first headline: the story's title when the article has no title of its own. */
  headline?: string;
  /** The article's clustering features, with its analysis (articleFeatures). */
  features: ArticleFeatures;
}

/** The digest of an analysed article (the same wherever it is computed). */
export function digestArticle(article: { title?: string; text: string }, analysis: Analysis, lex: StoryLexicon): ArticleDigest {
  const features = articleFeatures({ ...(article.title ? { title: article.title } : {}), text: article.text, analysis }, lex);
  const headline = analysis.headlines[0];
  return headline !== undefined ? { headline, features } : { features };
}

function headlineOf(article: Article, analysedHeadline: string | undefined): string {
  return article.title?.trim() || analysedHeadline?.trim() || article.text.split('\n').find((l) => l.trim())?.trim().slice(0, 200) || article.id;
}

function isoDate(published: string | undefined): string | undefined {
  return published && /^\d{4}-\d{2}-\d{2}/.test(published) ? published : undefined;
}

export class StoryTracker {
  /** Recently touched story records (least recently used first); every change is also written to the store. */
  private records = new Map<string, StoryRecord>();

  private constructor(
    private store: Store,
    private clusterer: StoryClusterer,
  ) {}

  static async open(store: Store): Promise<StoryTracker> {
    const lex = loadStoryLexicon(dataDir());
    const saved = await store.getMeta(CLUSTERER_META_KEY);
    let clusterer = new StoryClusterer(lex);
    let seen = 0;
    if (saved) {
      const state = JSON.parse(saved) as ClustererState;
      clusterer = StoryClusterer.fromJSON(state, lex);
      seen = state.seen;
    }
    // Replay articles committed after the last save (e.g. the process was killed mid-ingest).
    for await (const s of store.iterArticles({ includeDuplicates: false, skip: seen })) {
      const analysis = s.analysed ? await store.getAnalysis(s.article.id) : null;
      clusterer.add(clusterInput(s.article, analysis));
    }
    return new StoryTracker(store, clusterer);
  }

  private async record(id: string): Promise<StoryRecord | null> {
    const cached = this.records.get(id);
    if (cached) {
      this.records.delete(id);
      this.records.set(id, cached);
      return cached;
    }
    const r = await this.store.getStory(id);
    if (r) this.remember(r);
    return r;
  }

  private remember(r: StoryRecord): void {
    this.records.set(r.id, r);
    if (this.records.size > RECORD_CACHE) this.records.delete(this.records.keys().next().value!);
  }

  private grow(rec: StoryRecord, article: Article, digest: ArticleDigest | null): StoryRecord {
    if (!rec.articleIds.includes(article.id)) rec.articleIds.push(article.id);
    const h = headlineOf(article, digest?.headline);
    if (!rec.headlines.includes(h)) rec.headlines.push(h);
    if (article.outlet && !rec.outlets.includes(article.outlet)) rec.outlets.push(article.outlet);
    const d = isoDate(article.published);
    if (d) {
      if (!rec.first || d < rec.first) rec.first = d;
      if (!rec.last || d > rec.last) rec.last = d;
    }
    return rec;
  }

  /**
   * Assigns a new (non-duplicate) article to a story, from its analysis's digest (null when it has
   * no analysis); returns the updated story record. The record is the live object the tracker
   * keeps: a later article joining the story changes it in place.
   */
  async assign(article: Article, digest: ArticleDigest | null): Promise<StoryRecord> {
    const input = clusterInput(article, null);
    const id = this.clusterer.add(digest ? { ...input, features: digest.features } : input);
    let rec = await this.record(id);
    if (!rec) {
      rec = { id, title: headlineOf(article, digest?.headline), headlines: [], outlets: [], articleIds: [] };
      this.remember(rec);
    }
    return this.grow(rec, article, digest);
  }

  /** Adds a duplicate to its original's story (its headline and outlet count); null when the original has none. */
  async addDuplicate(article: Article, storyId: string | undefined): Promise<StoryRecord | null> {
    if (!storyId) return null;
    const rec = await this.record(storyId);
    return rec ? this.grow(rec, article, null) : null;
  }

  /** Writes the clusterer state (call at the end of a run and on interrupt). */
  async save(): Promise<void> {
    await this.store.setMeta(...this.stateEntry());
  }

  /** The clusterer state as a meta entry, to write in the same transaction as the articles it covers. */
  stateEntry(): [string, string] {
    return [CLUSTERER_META_KEY, JSON.stringify(this.clusterer.toJSON())];
  }
}

function clusterInput(article: Article, analysis: Analysis | null): Parameters<StoryClusterer['add']>[0] {
  return {
    id: article.id,
    text: article.text,
    ...(article.title ? { title: article.title } : {}),
    ...(article.published ? { published: article.published } : {}),
    ...(analysis ? { analysis } : {}),
  };
}
