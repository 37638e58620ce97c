// How the pipeline analyses: on worker threads (a pool running analysis-worker.ts over the compiled
// code) or inline on the main thread (tests, tiny inputs). Both give the same result for the same text.
// The result is what the writer needs, prepared next to the analysis: the stored form (JSON and
// attribution rows) and, when the article is given, its story digest. On worker threads that keeps
// the writer's thread free of the per-article serialising and feature work.
import { WorkerPool, analysisWorkerData, defaultPoolSize, siblingModule } from '../analyze/pool.js';
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

/** Worker threads running analysis-worker.ts, on the shared pool mechanism of src/analyze/pool.ts. */
export function poolAnalyzer(size = defaultPoolSize()): Analyzer {
  const pool = new WorkerPool(siblingModule(import.meta.url, 'analysis-worker'), size, analysisWorkerData());
  return {
    size,
    run(text, published, article) {
      const day = publishedDay(published);
      // Only the fields the digest reads cross the thread boundary.
      const src = article ? { ...(article.title !== undefined ? { title: article.title } : {}), text: article.text } : undefined;
      const job: AnalysisJob = { seq: pool.nextSeq(), text, ...(day ? { published: day } : {}), ...(src ? { article: src } : {}) };
      return pool.post<AnalysisReply>(job).then(({ seq: _seq, ...result }) => result);
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
