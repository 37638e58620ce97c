// The analysis worker of the scale-out path: pulls jobs from the queue, analyses the stored article,
// stores the analysis, then acks. A worker that dies before its ack leaves the job to be redelivered.
import type { Store } from '../store/types.js';
import type { AnalysisJob, Queue } from '../queue/types.js';
import { analysisText, type Analyzer } from './analyzer.js';

/** How long one pull waits for jobs (ms). */
export const PULL_WAIT_MS = 1000;
/** Jobs pulled per analysis worker thread, so threads never wait on the queue round trip. */
const JOBS_PER_THREAD = 2;

export interface WorkerOptions {
  store: Store;
  queue: Queue<AnalysisJob>;
  analyzer: Analyzer;
  /** Stop after this long with no job (ms); run until aborted when unset. */
  idleExitMs?: number;
  signal?: AbortSignal;
  onProgress?: (s: WorkerSummary) => void;
  onError?: (articleId: string, error: string) => void;
}

export interface WorkerSummary {
  /** Analyses stored. */
  analysed: number;
  /** Jobs whose article could not be analysed (stored without analysis). */
  failed: number;
  /** Jobs naming an article the store does not hold. */
  missing: number;
}

export async function runWorker(opts: WorkerOptions): Promise<WorkerSummary> {
  const { store, queue, analyzer } = opts;
  const s: WorkerSummary = { analysed: 0, failed: 0, missing: 0 };
  const batch = Math.max(1, analyzer.size * JOBS_PER_THREAD);
  let idleSince = Date.now();
  while (!opts.signal?.aborted) {
    const msgs = await queue.pull(batch, PULL_WAIT_MS);
    if (!msgs.length) {
      if (opts.idleExitMs !== undefined && Date.now() - idleSince >= opts.idleExitMs) break;
      continue;
    }
    await Promise.all(
      msgs.map(async (m) => {
        const id = m.data.articleId;
        const stored = await store.getArticle(id);
        if (!stored) {
          s.missing++;
          opts.onError?.(id, 'article not in the store');
          await m.ack();
          return;
        }
        const r = await analyzer.run(analysisText(stored.article), stored.article.published);
        if (r.stored) {
          await store.putAnalysis(id, r.stored);
          s.analysed++;
        } else {
          s.failed++;
          opts.onError?.(id, r.error ?? 'no analysis');
        }
        await m.ack();
      }),
    );
    idleSince = Date.now();
    opts.onProgress?.(s);
  }
  return s;
}
