// How the pipeline analyses: on worker threads (a pool running analysis-worker.ts over the compiled
// code) or inline on the main thread (tests, tiny inputs). Both give the same result for the same text.
// The result is what the writer needs, prepared next to the analysis: the stored form (JSON and
// attribution rows) and, when the article is given, its story digest. On worker threads that keeps
// the writer's thread free of the per-article serialising and feature work.
import { Worker } from 'node:worker_threads';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { analyze } from '../analyze/index.js';
import { dataDir, loadLexicons } from '../analyze/lexicons.js';
import type { Analysis, Article } from '../analyze/types.js';
import { loadStoryLexicon, type StoryLexicon } from '../stories/features.js';
import { serializeAnalysis } from '../store/common.js';
import type { SerializedAnalysis } from '../store/types.js';
import { digestArticle, type ArticleDigest } from './stories.js';

export interface AnalyzeResult {
  /** The analysis as the store keeps it. */
  stored?: SerializedAnalysis;
  /** Story digest of the article (when `run` was given the article). */
  digest?: ArticleDigest;
  /** Why there is no analysis (not English, empty…): the article is stored without one. */
  error?: string;
}

/** The article fields story clustering reads (its title and text as stored, not the analysed text). */
export type DigestSource = Pick<Article, 'title' | 'text'>;

export interface Analyzer {
  /** Parallelism: how many texts are worth having in flight. */
  readonly size: number;
  /** Analyse a text; with `article`, also make its story digest. */
  run(text: string, published?: string, article?: DigestSource): Promise<AnalyzeResult>;
  close(): Promise<void>;
}

/** The text analysis sees: the title on the first line, then the body (unless the body starts with it). */
export function analysisText(a: Article): string {
  if (!a.title) return a.text;
  return a.text.trimStart().startsWith(a.title) ? a.text : `${a.title}\n\n${a.text}`;
}

/** The date part of an ISO date-time, which is what analyze() resolves relative dates against. */
export function publishedDay(published: string | undefined): string | undefined {
  const m = published?.match(/^\d{4}-\d{2}-\d{2}/);
  return m ? m[0] : undefined;
}

/** One job for an analysis worker. */
export interface AnalysisJob {
  seq: number;
  text: string;
  published?: string;
  article?: DigestSource;
}

export type AnalysisReply = AnalyzeResult & { seq: number };

/** What both analyzers return for an analysis: an error for a non-English text, else the prepared parts. */
export function analysisResult(a: Analysis, article: DigestSource | undefined, lex: StoryLexicon): AnalyzeResult {
  if (a.language !== 'en') throw new Error(`the language looks like "${a.language}"; Parley analyses English only`);
  return { stored: serializeAnalysis(a), ...(article ? { digest: digestArticle(article, a, lex) } : {}) };
}

/** Default pool size: one worker per core. */
export function defaultPoolSize(): number {
  return Math.max(1, os.availableParallelism());
}

/**
 * Worker threads running analysis-worker.ts. Each job goes to the least-loaded thread (texts vary
 * in length; round-robin would leave a core idle); callers keep order by awaiting in order.
 */
class AnalysisPool {
  private workers: Worker[] = [];
  private load: number[] = [];
  private pending = new Map<number, { resolve: (r: AnalyzeResult) => void; reject: (e: Error) => void; worker: number }>();
  private seq = 0;
  private closed = false;

  constructor(size: number) {
    const here = fileURLToPath(import.meta.url);
    const ts = here.endsWith('.ts');
    const file = here.replace(/analyzer\.(ts|js)$/, `analysis-worker.${ts ? 'ts' : 'js'}`);
    for (let i = 0; i < size; i++) {
      const w = new Worker(file, ts ? { execArgv: ['--import', 'tsx'] } : {});
      w.on('message', (r: AnalysisReply) => {
        const p = this.pending.get(r.seq);
        if (!p) return;
        this.pending.delete(r.seq);
        this.load[p.worker]!--;
        const { seq: _seq, ...result } = r;
        p.resolve(result);
      });
      w.on('error', (e) => this.failAll(e));
      w.on('exit', (code) => {
        if (!this.closed && code !== 0) this.failAll(new Error(`analysis worker exited with code ${code}`));
      });
      this.workers.push(w);
      this.load.push(0);
    }
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  run(job: Omit<AnalysisJob, 'seq'>): Promise<AnalyzeResult> {
    if (this.closed) return Promise.reject(new Error('pool is closed'));
    const seq = this.seq++;
    let best = 0;
    for (let i = 1; i < this.load.length; i++) if (this.load[i]! < this.load[best]!) best = i;
    this.load[best]!++;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject, worker: best });
      this.workers[best]!.postMessage({ ...job, seq });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

export function poolAnalyzer(size = defaultPoolSize()): Analyzer {
  const pool = new AnalysisPool(size);
  return {
    size,
    run(text, published, article) {
      const day = publishedDay(published);
      // Only the fields the digest reads cross the thread boundary.
      const src = article ? { ...(article.title !== undefined ? { title: article.title } : {}), text: article.text } : undefined;
      return pool.run({ text, ...(day ? { published: day } : {}), ...(src ? { article: src } : {}) });
    },
    close: () => pool.close(),
  };
}

export function inlineAnalyzer(): Analyzer {
  const lexicons = loadLexicons();
  let storyLexicon: StoryLexicon | null = null;
  return {
    size: 1,
    async run(text, published, article) {
      try {
        const day = publishedDay(published);
        const a = analyze(text, { lexicons, ...(day ? { published: day } : {}) });
        storyLexicon ??= loadStoryLexicon(dataDir());
        return analysisResult(a, article, storyLexicon);
      } catch (e) {
        return { error: (e as Error).message.split('\n')[0]! };
      }
    },
    async close() {},
  };
}
