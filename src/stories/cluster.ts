// Online story clustering: one pass, each article joins the most similar live story or starts a new
// one, from what came before only. Similarity mixes what (title+body TF-IDF), who/where (named
// things) and when/how many (numbers, dates) against story centroids, after Miranda et al. (2018),
// "Multilingual Clustering of Streaming News". Written here because no npm package offers an
// incremental, serialisable clusterer with these features.
import { createHash } from 'node:crypto';
import type { Analysis } from '../analyze/types.js';
import { articleFeatures, type ArticleFeatures, type Bag, type StoryLexicon } from './features.js';

/** Weight of the content-word cosine, against the entity weight (the two are normalised to sum to 1).
 * Low because, within one subject, two events share their words; who/where/when tell them apart.
 * These four scoring defaults were tuned on the odd-numbered ECB+ topics only: eval/stories.ts. */
export const DEFAULT_TERM_WEIGHT = 0.2;
/** Weight of the named-thing cosine: who and where tell two earthquakes apart. */
export const DEFAULT_ENTITY_WEIGHT = 0.3;
/** Weight of the numbers/dates cosine (a bonus on top of the normalised mix): magnitudes, tolls, years. */
export const DEFAULT_NUMBER_WEIGHT = 0.3;
/** An article joins the best story when its score reaches this; otherwise it starts a story. */
export const DEFAULT_THRESHOLD = 0.4;
/** Stories whose last article is older than this (days before the newest date seen) stop matching. */
export const DEFAULT_WINDOW_DAYS = 14;
/** Time decay: a story's score is scaled by exp(-½·(Δ/scale)²), Δ = days between the article and
 * the story's mean publication time. Only applies when both have dates (ECB+ mostly has none, so
 * this was set by hand for daily news: an event's coverage spreads over days, not weeks). */
export const DEFAULT_TIME_SCALE_DAYS = 4;
/** At most this many stories stay open for matching; the least recently updated retire first. */
export const DEFAULT_MAX_ACTIVE_STORIES = 2000;
/** A story centroid keeps at most this many features per channel (its heaviest), bounding memory. */
export const DEFAULT_MAX_CENTROID_FEATURES = 1500;
/** An article keeps its this-many heaviest features per channel: the tail of a long article is
 * low-weight words that cost time to compare and barely move a cosine. */
export const DEFAULT_MAX_ARTICLE_FEATURES = 200;
/** Document-frequency tables hold at most this many features per channel; beyond it, features seen
 * in one article only are dropped (they would score as unseen anyway), keeping memory bounded. */
export const DEFAULT_MAX_VOCABULARY = 500_000;

/** Only stories sharing one of an article's this-many heaviest terms or names are scored: a story
 * that shares none of them cannot reach the threshold, and skipping it keeps cost flat as stories grow. */
export const CANDIDATE_FEATURES = 20;
/** Features found in more than this share of open stories say nothing about which one to join, so
 * they do not nominate candidates (below CANDIDATE_MIN_POSTING stories every feature may). */
export const CANDIDATE_MAX_SHARE = 0.1;
const CANDIDATE_MIN_POSTING = 50;
/** Of the nominated stories, only this many with the highest pre-score (the summed weight of the
 * nominating features they share) are fully scored: bounds the cost when many stories are open. */
export const MAX_CANDIDATES = 30;
/** Channels indexed for candidate look-up (numbers only add a bonus, so they never make a candidate). */
type IndexedChannel = 'terms' | 'entities';
const INDEXED: IndexedChannel[] = ['terms', 'entities'];
const isIndexed = (ch: Channel): ch is IndexedChannel => ch !== 'numbers';

const DAY_MS = 86_400_000;
const STATE_VERSION = 1;

/** Every option defaults to the DEFAULT_* constant of the same name above. */
export interface ClustererOptions {
  termWeight?: number;
  entityWeight?: number;
  numberWeight?: number;
  threshold?: number;
  windowDays?: number;
  timeScaleDays?: number;
  maxActiveStories?: number;
  maxCentroidFeatures?: number;
  maxVocabulary?: number;
  maxArticleFeatures?: number;
}

export interface ClusterInput {
  id: string;
  title?: string;
  text: string;
  /** ISO date or date-time; articles without one are never retired by time, only by the cap. */
  published?: string;
  /** When given, its resolved actor mentions ("he", "the minister") and event places add to the
   * capitalised-phrase names. */
  analysis?: Analysis;
  /** articleFeatures(this input) when already computed (on the analysis worker that made the
   * analysis, off the writer's thread); the clusterer then skips computing them. */
  features?: ArticleFeatures;
}

export interface Assignment {
  story: string;
  /** True when the article started the story. */
  created: boolean;
  /** Score against the story it joined (or the best rejected one when it started a story). */
  score: number;
  /** The rule that decided, for the evidence trail. */
  rule: string;
}

type Channel = 'terms' | 'entities' | 'numbers';
const CHANNELS: Channel[] = ['terms', 'entities', 'numbers'];

interface Centroid {
  weights: Map<string, number>;
  norm2: number;
}

interface StoryState {
  id: string;
  firstArticle: string;
  size: number;
  /** Arrival index of the story's last article. */
  lastIndex: number;
  /** Newest publication time (ms) among its articles, or null when none had one. */
  lastTime: number | null;
  /** Sum and count of its articles' publication times, for the mean time. */
  timeSum: number;
  timed: number;
  centroids: Record<Channel, Centroid>;
}

/** The serialised form: plain JSON, restorable with `StoryClusterer.fromJSON`. */
export interface ClustererState {
  version: number;
  options: Required<ClustererOptions>;
  seen: number;
  newestTime: number | null;
  df: Record<Channel, Array<[string, number]>>;
  stories: Array<{
    id: string;
    firstArticle: string;
    size: number;
    lastIndex: number;
    lastTime: number | null;
    timeSum: number;
    timed: number;
    centroids: Record<Channel, { weights: Array<[string, number]>; norm2: number }>;
  }>;
}

function parseTime(published: string | undefined): number | null {
  if (!published) return null;
  const t = Date.parse(published);
  return Number.isFinite(t) ? t : null;
}

function storyIdFor(articleId: string): string {
  return `s_${createHash('sha1').update(articleId).digest('hex').slice(0, 12)}`;
}

export class StoryClusterer {
  private readonly opt: Required<ClustererOptions>;
  private readonly df: Record<Channel, Map<string, number>> = {
    terms: new Map(),
    entities: new Map(),
    numbers: new Map(),
  };
  private seen = 0;
  private newestTime: number | null = null;
  /** Open stories by id, in creation order (ties go to the older story, deterministically). */
  private stories = new Map<string, StoryState>();
  /** Creation rank of each open story, to visit candidates in creation order. */
  private rank = new Map<string, number>();
  private created = 0;
  /** The cutoff time of the last time-based retirement: retiring again is needed only once newer dates arrive. */
  private retiredUpTo: number | null = null;
  /** Inverted index over open stories' centroids, per indexed channel: feature → story ids. */
  private postings: Record<IndexedChannel, Map<string, Set<string>>> = { terms: new Map(), entities: new Map() };

  constructor(
    private readonly lex: StoryLexicon,
    options: ClustererOptions = {},
  ) {
    this.opt = {
      termWeight: options.termWeight ?? DEFAULT_TERM_WEIGHT,
      entityWeight: options.entityWeight ?? DEFAULT_ENTITY_WEIGHT,
      numberWeight: options.numberWeight ?? DEFAULT_NUMBER_WEIGHT,
      threshold: options.threshold ?? DEFAULT_THRESHOLD,
      windowDays: options.windowDays ?? DEFAULT_WINDOW_DAYS,
      timeScaleDays: options.timeScaleDays ?? DEFAULT_TIME_SCALE_DAYS,
      maxActiveStories: options.maxActiveStories ?? DEFAULT_MAX_ACTIVE_STORIES,
      maxCentroidFeatures: options.maxCentroidFeatures ?? DEFAULT_MAX_CENTROID_FEATURES,
      maxVocabulary: options.maxVocabulary ?? DEFAULT_MAX_VOCABULARY,
      maxArticleFeatures: options.maxArticleFeatures ?? DEFAULT_MAX_ARTICLE_FEATURES,
    };
  }

  /** Number of stories still open for matching. */
  get activeStories(): number {
    return this.stories.size;
  }

  /** Assign one article; returns its story id. */
  add(input: ClusterInput): string {
    return this.assign(input).story;
  }

  /** Assign one article and say why. */
  assign(input: ClusterInput): Assignment {
    const feats = input.features ?? articleFeatures(input, this.lex);
    const time = parseTime(input.published);
    this.seen += 1;
    if (time !== null && (this.newestTime === null || time > this.newestTime)) this.newestTime = time;
    const vecs = this.vectorise(feats);

    let best: StoryState | null = null;
    let bestScore = -1;
    const windowMs = this.opt.windowDays * DAY_MS;
    const candidates = this.candidates(vecs);
    // Only the nominated stories are visited, so the cost per article does not grow with the open set.
    for (const sid of candidates) {
      const s = this.stories.get(sid)!;
      if (time !== null && s.lastTime !== null && Math.abs(time - s.lastTime) > windowMs) continue;
      let score = this.score(vecs, s);
      if (time !== null && s.timed > 0) {
        const days = Math.abs(time - s.timeSum / s.timed) / DAY_MS / this.opt.timeScaleDays;
        score *= Math.exp(-0.5 * days * days);
      }
      if (score > bestScore) {
        bestScore = score;
        best = s;
      }
    }
    let assignment: Assignment;
    let touched: StoryState;
    if (best && bestScore >= this.opt.threshold) {
      touched = best;
      this.absorb(best, vecs, time);
      assignment = { story: best.id, created: false, score: bestScore, rule: 'stories.centroid-similarity' };
    } else {
      let id = storyIdFor(input.id);
      if (this.stories.has(id)) id = storyIdFor(`${input.id}#${this.seen}`);
      const s: StoryState = {
        id,
        firstArticle: input.id,
        size: 0,
        lastIndex: this.seen,
        lastTime: time,
        timeSum: 0,
        timed: 0,
        centroids: { terms: emptyCentroid(), entities: emptyCentroid(), numbers: emptyCentroid() },
      };
      this.absorb(s, vecs, time);
      this.open(s);
      touched = s;
      assignment = { story: id, created: true, score: Math.max(0, bestScore), rule: 'stories.new-below-threshold' };
    }
    this.retire(touched);
    return assignment;
  }

  /** Unit-length TF-IDF vectors per channel, with document frequencies updated by this article first. */
  private vectorise(feats: ArticleFeatures): Record<Channel, Bag> {
    const out = {} as Record<Channel, Bag>;
    for (const ch of CHANNELS) {
      const df = this.df[ch];
      const bag = feats[ch];
      let weighted: Array<[string, number]> = [];
      // Each feature occurs once in a bag, so its frequency after this article is counted is known
      // as it is counted: one look-up per feature.
      for (const [k, tf] of bag) {
        const n = (df.get(k) ?? 0) + 1;
        df.set(k, n);
        const idf = Math.log((this.seen + 1) / (n + 1)) + 1;
        weighted.push([k, (1 + Math.log(tf)) * idf]);
      }
      if (weighted.length > this.opt.maxArticleFeatures) {
        weighted = weighted
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
          .slice(0, this.opt.maxArticleFeatures);
      }
      let norm2 = 0;
      for (const [, w] of weighted) norm2 += w * w;
      const norm = Math.sqrt(norm2);
      const vec: Bag = new Map();
      for (const [k, w] of weighted) vec.set(k, norm > 0 ? w / norm : w);
      out[ch] = vec;
      if (df.size > this.opt.maxVocabulary) for (const [k, n] of df) if (n <= 1) df.delete(k);
    }
    return out;
  }

  private weightOf(ch: Channel): number {
    return ch === 'terms' ? this.opt.termWeight : ch === 'entities' ? this.opt.entityWeight : this.opt.numberWeight;
  }

  /** Weighted cosines of terms and entities (a channel the article lacks is left out of the
   * mix), plus the numbers cosine as a bonus. */
  private score(vecs: Record<Channel, Bag>, s: StoryState): number {
    let total = 0;
    let weight = 0;
    for (const ch of CHANNELS) {
      const v = vecs[ch];
      if (v.size === 0) continue;
      const w = this.weightOf(ch);
      // Shared numbers are evidence for a match, but different ones are not evidence against it:
      // most numbers in a report are incidental (ages, counts), so the channel only adds.
      if (ch !== 'numbers') weight += w;
      const c = s.centroids[ch];
      if (c.norm2 === 0) continue;
      let dot = 0;
      for (const [k, x] of v) {
        const y = c.weights.get(k);
        if (y !== undefined) dot += x * y;
      }
      total += w * (dot / Math.sqrt(c.norm2));
    }
    return weight > 0 ? total / weight : 0;
  }

  /** Ids of open stories sharing at least one of the article's heaviest indexed features. */
  private candidates(vecs: Record<Channel, Bag>): string[] {
    // Pre-score: the summed article weight of the nominating features a story shares.
    const pre = new Map<string, number>();
    const maxPosting = Math.max(CANDIDATE_MIN_POSTING, this.stories.size * CANDIDATE_MAX_SHARE);
    for (const ch of INDEXED) {
      const w = this.weightOf(ch);
      const postings = this.postings[ch];
      const nominating: Array<[string, number]> = [];
      for (const e of vecs[ch]) if ((postings.get(e[0])?.size ?? 0) <= maxPosting) nominating.push(e);
      const top = nominating.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, CANDIDATE_FEATURES);
      for (const [k, x] of top) {
        const ids = postings.get(k);
        if (ids) for (const id of ids) pre.set(id, (pre.get(id) ?? 0) + w * x);
      }
    }
    // Visited in creation order, so ties in the full score go to the older story.
    return [...pre.entries()]
      .sort((a, b) => b[1] - a[1] || this.rank.get(a[0])! - this.rank.get(b[0])!)
      .slice(0, MAX_CANDIDATES)
      .map(([id]) => id)
      .sort((a, b) => this.rank.get(a)! - this.rank.get(b)!);
  }

  private index(s: StoryState, ch: IndexedChannel, key: string, on: boolean): void {
    const postings = this.postings[ch];
    let set = postings.get(key);
    if (on) {
      if (!set) postings.set(key, (set = new Set()));
      set.add(s.id);
    } else if (set) {
      set.delete(s.id);
      if (set.size === 0) postings.delete(key);
    }
  }

  private absorb(s: StoryState, vecs: Record<Channel, Bag>, time: number | null): void {
    for (const ch of CHANNELS) {
      const c = s.centroids[ch];
      for (const [k, x] of vecs[ch]) {
        const y = c.weights.get(k);
        if (y === undefined && isIndexed(ch)) this.index(s, ch, k, true);
        c.norm2 += 2 * x * (y ?? 0) + x * x;
        c.weights.set(k, (y ?? 0) + x);
      }
      if (c.weights.size > 2 * this.opt.maxCentroidFeatures) {
        const before = [...c.weights.keys()];
        prune(c, this.opt.maxCentroidFeatures);
        if (isIndexed(ch)) for (const k of before) if (!c.weights.has(k)) this.index(s, ch, k, false);
      }
    }
    s.size += 1;
    s.lastIndex = this.seen;
    if (time !== null && (s.lastTime === null || time > s.lastTime)) s.lastTime = time;
    if (time !== null) {
      s.timeSum += time;
      s.timed += 1;
    }
  }

  private open(s: StoryState): void {
    this.stories.set(s.id, s);
    this.rank.set(s.id, this.created++);
  }

  private close(s: StoryState): void {
    for (const ch of INDEXED) for (const k of s.centroids[ch].weights.keys()) this.index(s, ch, k, false);
    this.stories.delete(s.id);
    this.rank.delete(s.id);
  }

  /** Close stories that fell out of the time window (scanned only when the newest date moved on),
   * then the least recently updated beyond the cap (at most one story opens per article). */
  private retire(touched: StoryState): void {
    const newest = this.newestTime;
    // A late article with an old date can leave its story already outside the window.
    if (newest !== null && touched.lastTime !== null && touched.lastTime < newest - this.opt.windowDays * DAY_MS) {
      this.close(touched);
    }
    if (newest !== null && newest !== this.retiredUpTo) {
      this.retiredUpTo = newest;
      const cutoff = newest - this.opt.windowDays * DAY_MS;
      for (const s of [...this.stories.values()]) if (s.lastTime !== null && s.lastTime < cutoff) this.close(s);
    }
    while (this.stories.size > this.opt.maxActiveStories) {
      let oldest: StoryState | null = null;
      for (const s of this.stories.values()) if (!oldest || s.lastIndex < oldest.lastIndex) oldest = s;
      this.close(oldest!);
    }
  }

  toJSON(): ClustererState {
    const entries = (m: Map<string, number>): Array<[string, number]> => [...m.entries()];
    return {
      version: STATE_VERSION,
      options: { ...this.opt },
      seen: this.seen,
      newestTime: this.newestTime,
      df: { terms: entries(this.df.terms), entities: entries(this.df.entities), numbers: entries(this.df.numbers) },
      stories: [...this.stories.values()].map((s) => ({
        id: s.id,
        firstArticle: s.firstArticle,
        size: s.size,
        lastIndex: s.lastIndex,
        lastTime: s.lastTime,
        timeSum: s.timeSum,
        timed: s.timed,
        centroids: {
          terms: { weights: entries(s.centroids.terms.weights), norm2: s.centroids.terms.norm2 },
          entities: { weights: entries(s.centroids.entities.weights), norm2: s.centroids.entities.norm2 },
          numbers: { weights: entries(s.centroids.numbers.weights), norm2: s.centroids.numbers.norm2 },
        },
      })),
    };
  }

  static fromJSON(state: ClustererState, lex: StoryLexicon): StoryClusterer {
    if (!state || state.version !== STATE_VERSION) {
      throw new Error(`unsupported story-clusterer state version ${String(state?.version)}`);
    }
    const c = new StoryClusterer(lex, state.options);
    c.seen = state.seen;
    c.newestTime = state.newestTime;
    for (const ch of CHANNELS) c.df[ch] = new Map(state.df[ch]);
    const restored: StoryState[] = state.stories.map((s) => ({
      id: s.id,
      firstArticle: s.firstArticle,
      size: s.size,
      lastIndex: s.lastIndex,
      lastTime: s.lastTime,
      timeSum: s.timeSum ?? 0,
      timed: s.timed ?? 0,
      centroids: {
        terms: { weights: new Map(s.centroids.terms.weights), norm2: s.centroids.terms.norm2 },
        entities: { weights: new Map(s.centroids.entities.weights), norm2: s.centroids.entities.norm2 },
        numbers: { weights: new Map(s.centroids.numbers.weights), norm2: s.centroids.numbers.norm2 },
      },
    }));
    for (const st of restored) {
      c.open(st);
      for (const ch of INDEXED) for (const k of st.centroids[ch].weights.keys()) c.index(st, ch, k, true);
    }
    return c;
  }
}

function emptyCentroid(): Centroid {
  return { weights: new Map(), norm2: 0 };
}

/** Keep the heaviest `keep` features (ties by key, for determinism) and recompute the norm. */
function prune(c: Centroid, keep: number): void {
  const kept = [...c.weights.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, keep);
  c.weights = new Map(kept);
  c.norm2 = kept.reduce((acc, [, w]) => acc + w * w, 0);
}
