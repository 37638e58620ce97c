// A pool of worker threads running analyze(), so batch modes use every core. Results come back
// as promises; callers keep input order by awaiting them in order.
import { Worker } from 'node:worker_threads';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Analysis } from './types.js';

export interface PoolJob {
  seq: number;
  text: string;
  published?: string;
  /** When set, replaces Analysis.id in the JSON (the --jsonl input id). */
  id?: unknown;
  /** Return the analysis serialised (cheaper to pass back than a structured clone). */
  json?: boolean;
  /** How to name the text in error messages. */
  what?: string;
}

export interface PoolResult {
  seq: number;
  json?: string;
  analysis?: Analysis;
  error?: string;
}

/** Default pool size: one worker per core. */
export function defaultPoolSize(): number {
  return Math.max(1, os.availableParallelism());
}

export class AnalyzePool {
  private workers: Worker[] = [];
  private pending = new Map<number, { resolve: (r: PoolResult) => void; reject: (e: Error) => void }>();
  private load: number[] = [];
  private seq = 0;
  private closed = false;

  constructor(size = defaultPoolSize()) {
    const here = fileURLToPath(import.meta.url);
    const ts = here.endsWith('.ts');
    const file = here.replace(/pool\.(ts|js)$/, `worker.${ts ? 'ts' : 'js'}`);
    for (let i = 0; i < size; i++) {
      const w = new Worker(file, ts ? { execArgv: ['--import', 'tsx'] } : {});
      w.on('message', (r: PoolResult) => {
        const p = this.pending.get(r.seq);
        if (!p) return;
        this.pending.delete(r.seq);
        this.load[i]!--;
        p.resolve(r);
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

  /** Number of jobs submitted and not yet answered. */
  get inFlight(): number {
    return this.pending.size;
  }

  run(job: Omit<PoolJob, 'seq'>): Promise<PoolResult> {
    if (this.closed) return Promise.reject(new Error('pool is closed'));
    const seq = this.seq++;
    // Least-loaded worker: texts vary in length, round-robin would leave a core idle.
    let best = 0;
    for (let i = 1; i < this.load.length; i++) if (this.load[i]! < this.load[best]!) best = i;
    this.load[best]!++;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.workers[best]!.postMessage({ ...job, seq });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
