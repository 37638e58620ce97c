// How the pipeline analyses: on worker threads (the lead's AnalyzePool over the compiled code) or
// inline on the main thread (tests, tiny inputs). Both give the same Analysis for the same text.
import { analyze } from '../analyze/index.js';
import { loadLexicons } from '../analyze/lexicons.js';
import { AnalyzePool, defaultPoolSize } from '../analyze/pool.js';
import type { Analysis, Article } from '../analyze/types.js';

export interface AnalyzeResult {
  analysis?: Analysis;
  /** Why there is no analysis (not English, empty…): the article is stored without one. */
  error?: string;
}

export interface Analyzer {
  /** Parallelism: how many texts are worth having in flight. */
  readonly size: number;
  run(text: string, published?: string): Promise<AnalyzeResult>;
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

export function poolAnalyzer(size = defaultPoolSize()): Analyzer {
  const pool = new AnalyzePool(size);
  return {
    size,
    async run(text, published) {
      const day = publishedDay(published);
      const r = await pool.run({ text, ...(day ? { published: day } : {}) });
      return r.error !== undefined ? { error: r.error } : { analysis: r.analysis! };
    },
    close: () => pool.close(),
  };
}

export function inlineAnalyzer(): Analyzer {
  const lexicons = loadLexicons();
  return {
    size: 1,
    async run(text, published) {
      try {
        const day = publishedDay(published);
        const a = analyze(text, { lexicons, ...(day ? { published: day } : {}) });
        if (a.language !== 'en') return { error: `the language looks like "${a.language}"; Parley analyses English only` };
        return { analysis: a };
      } catch (e) {
        return { error: (e as Error).message.split('\n')[0]! };
      }
    },
    async close() {},
  };
}
