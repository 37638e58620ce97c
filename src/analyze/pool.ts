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

/** A piece of `analyze --jsonl` input: the UTF-8 bytes of whole lines. */
export interface LinesJob {
  seq: number;
  bytes: Uint8Array;
}

/** The answers to a LinesJob, one output line per input line, in order. */
export interface LinesResult {
  seq: number;
  /** Input lines in the piece (-1 when the worker failed on it: see `error`). */
  lines: number;
  /** The output lines, UTF-8, each ending in a newline. */
  bytes?: Uint8Array;
  /** Instead of `bytes` when some lines need their line number: [index in piece, error message] for those. */
  parts?: Array<string | [number, string]>;
  error?: string;
}

/**
 * Default pool size: one worker per core. With `analyze --jsonl` the main thread only cuts input
 * and writes output (~1 ms of CPU per article), so a third worker on 2 cores only competes: 400
 * PolNeAR articles took 9.7 s with 3 workers against 8.3 s with 2, and ~200 MB more RSS.
 * PARLEY_WORKERS overrides it (for measuring).
 */
export function defaultPoolSize(): number {
  const env = Number(process.env.PARLEY_WORKERS);
  if (Number.isInteger(env) && env > 0) return env;
  return Math.max(1, os.availableParallelism());
}

/** Times a worker slot is refilled after deaths with no answer in between. */
const MAX_RESPAWNS = 3;

interface Pending {
  worker: number;
  resolve: (r: never) => void;
  reject: (e: Error) => void;
}

export class AnalyzePool {
  private workers: Worker[] = [];
  private pending = new Map<number, Pending>();
  private load: number[] = [];
  private seq = 0;
  private closed = false;
  /** Per worker slot: deaths since its last answer (a worker that cannot start is not respawned forever). */
  private deaths: number[] = [];
  private lastError: Error | null = null;
  private readonly file: string;
  private readonly execArgv: string[] | undefined;

  constructor(size = defaultPoolSize()) {
    const here = fileURLToPath(import.meta.url);
    const ts = here.endsWith('.ts');
    this.file = here.replace(/pool\.(ts|js)$/, `worker.${ts ? 'ts' : 'js'}`);
    this.execArgv = ts ? ['--import', 'tsx'] : undefined;
    for (let i = 0; i < size; i++) {
      this.workers.push(this.spawn(i));
      this.load.push(0);
      this.deaths.push(0);
    }
  }

  private spawn(i: number): Worker {
    const w = new Worker(this.file, this.execArgv ? { execArgv: this.execArgv } : {});
    w.on('message', (r: { seq: number }) => {
      const p = this.pending.get(r.seq);
      if (!p) return;
      this.pending.delete(r.seq);
      this.load[i]!--;
      this.deaths[i] = 0;
      p.resolve(r as never);
    });
    // A worker that dies fails only the jobs it held; a fresh one takes its place.
    w.on('error', (e) => this.lost(i, w, e));
    w.on('exit', (code) => this.lost(i, w, new Error(`analysis worker exited with code ${code}`)));
    return w;
  }

  private lost(i: number, w: Worker, e: Error): void {
    if (this.workers[i] !== w) return; // already replaced (error is followed by exit)
    for (const [seq, p] of this.pending) {
      if (p.worker !== i) continue;
      this.pending.delete(seq);
      p.reject(e);
    }
    this.lastError = e;
    if (this.closed) return;
    if (++this.deaths[i]! > MAX_RESPAWNS) {
      this.load[i] = Infinity; // never chosen again
      return;
    }
    this.load[i] = 0;
    this.workers[i] = this.spawn(i);
  }

  /** Number of jobs submitted and not yet answered. */
  get inFlight(): number {
    return this.pending.size;
  }

  private post<T>(msg: PoolJob | LinesJob, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.closed) return Promise.reject(new Error('pool is closed'));
    // Least-loaded worker: texts vary in length, round-robin would leave a core idle.
    let best = 0;
    for (let i = 1; i < this.load.length; i++) if (this.load[i]! < this.load[best]!) best = i;
    if (this.load[best] === Infinity) return Promise.reject(this.lastError ?? new Error('no analysis worker is running'));
    this.load[best]!++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(msg.seq, { worker: best, resolve: resolve as (r: never) => void, reject });
      this.workers[best]!.postMessage(msg, transfer);
    });
  }

  run(job: Omit<PoolJob, 'seq'>): Promise<PoolResult> {
    return this.post<PoolResult>({ ...job, seq: this.seq++ });
  }

  /**
   * Answer a piece of `analyze --jsonl` input (whole lines). The bytes are copied to the worker,
   * not transferred, so the caller can still answer each line if the worker dies.
   */
  runLines(bytes: Uint8Array): Promise<LinesResult> {
    return this.post<LinesResult>({ seq: this.seq++, bytes } satisfies LinesJob);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
