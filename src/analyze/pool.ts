// Worker threads for the analysis, so batch modes use every core: one pool mechanism (least-loaded
// dispatch, a dead worker fails only its own jobs and is replaced) shared by `analyze --jsonl`
// (worker.ts) and the ingest pipeline (src/pipeline/analysis-worker.ts). Results come back as
// promises; callers keep input order by awaiting them in order.
import { Worker } from 'node:worker_threads';
import os from 'node:os';
import v8 from 'node:v8';
import { fileURLToPath } from 'node:url';
import { dataDir } from './lexicons.js';
import { buildSharedQuoteTable, type SharedQuoteTable } from './quotes/lexicon.js';

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

/**
 * V8 flags for analysis workers, set once before the first pool starts its threads (flags are
 * process-wide; a worker's functions take them up as they are first compiled): PARLEY_V8_FLAGS,
 * for measuring. None by default.
 *
 * History, so nobody re-adds one blindly: the stages used to be giant functions that V8 optimised
 * early, deoptimised and recompiled again and again (over a worker's first 462 articles its compiler
 * threads used ~4 s of CPU beside ~7 s of analysis). `--interrupt-budget=540000` (8x V8's default)
 * cut that run's CPU from 10.4 s to 7.5 s. Once the stages were split into small functions with
 * fixed object shapes, the flag made no difference: 924 articles on 2 workers took 7.9–8.1 s with
 * V8's defaults and 8.0–8.5 s with it (docs/BENCHMARKS.md, "Warm-up and speed round 2").
 */
let v8Tuned = false;
function tuneV8(): void {
  if (v8Tuned) return;
  v8Tuned = true;
  const flags = process.env.PARLEY_V8_FLAGS;
  if (flags?.trim()) v8.setFlagsFromString(flags);
}

/** Times a worker slot is refilled after deaths with no answer in between. */
const MAX_RESPAWNS = 3;

interface Pending {
  worker: number;
  resolve: (r: never) => void;
  reject: (e: Error) => void;
}

/**
 * Worker threads running one worker file. Every message carries a `seq`, and every answer the same
 * `seq`. A module given as .ts (tests under tsx) runs its workers under tsx too.
 */
export class WorkerPool {
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

  private readonly workerData: unknown;

  /** `file`: the worker module's path (.ts or .js); `workerData`: what each worker gets at start. */
  constructor(file: string, size = defaultPoolSize(), workerData?: unknown) {
    this.file = file;
    this.workerData = workerData;
    this.execArgv = file.endsWith('.ts') ? ['--import', 'tsx'] : undefined;
    tuneV8();
    for (let i = 0; i < size; i++) {
      this.workers.push(this.spawn(i));
      this.load.push(0);
      this.deaths.push(0);
    }
  }

  private spawn(i: number): Worker {
    const w = new Worker(this.file, { ...(this.execArgv ? { execArgv: this.execArgv } : {}), workerData: this.workerData });
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

  /** Send a message to the least-loaded worker; resolves with the answer bearing the same seq. */
  post<T>(msg: { seq: number }, transfer: ArrayBuffer[] = []): Promise<T> {
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

  /** A fresh message number. */
  nextSeq(): number {
    return this.seq++;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** The path of a sibling module of `moduleUrl`, as .ts when that module runs as .ts. */
export function siblingModule(moduleUrl: string, name: string): string {
  const here = fileURLToPath(moduleUrl);
  return here.replace(/[^/\\]+\.(ts|js)$/, `${name}.${here.endsWith('.ts') ? 'ts' : 'js'}`);
}

/**
 * What every analysis worker gets at start: the quote tagger's table, built once here in shared
 * memory (see SharedQuoteTable) — ~40 ms on this thread instead of a 16 MB copy per worker.
 */
export function analysisWorkerData(): { quoteTable: SharedQuoteTable | null } {
  return { quoteTable: buildSharedQuoteTable(dataDir()) };
}

/** The pool of `analyze --jsonl`: workers that answer pieces of input lines (worker.ts). */
export class AnalyzePool {
  private readonly pool: WorkerPool;

  constructor(size = defaultPoolSize()) {
    this.pool = new WorkerPool(siblingModule(import.meta.url, 'worker'), size, analysisWorkerData());
  }

  /**
   * Answer a piece of `analyze --jsonl` input (whole lines). The bytes are copied to the worker,
   * not transferred, so the caller can still answer each line if the worker dies.
   */
  runLines(bytes: Uint8Array): Promise<LinesResult> {
    const job: LinesJob = { seq: this.pool.nextSeq(), bytes };
    return this.pool.post<LinesResult>(job);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
