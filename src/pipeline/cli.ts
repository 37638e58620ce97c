// Helpers shared by the library commands (ingest, worker, stories, story, search, export, watch, demo):
// opening the store with one-line errors, the writer lock, the analyzer, progress on stderr.
import os from 'node:os';
import { SingleBar } from 'cli-progress';
import { UserError } from '../cli/errors.js';
import { existsSync } from 'node:fs';
import { isPostgresUrl, openStore, resolveDbLocation, StoreError } from '../store/index.js';
import type { Store } from '../store/types.js';
import type { Analyzer } from './analyzer.js';
import type { IngestCounts, IngestSummary } from './ingest.js';

/** Milliseconds between plain progress lines when stderr is not a terminal. */
const PLAIN_PROGRESS_EVERY_MS = 2000;
/** Per-item error lines printed before the rest are only counted. */
const MAX_ERROR_LINES = 50;

/**
 * Opens the library; a store problem becomes a one-line UserError. Commands that only read pass
 * `mustExist`, so a mistyped --db says so instead of creating an empty library.
 */
export async function openLibrary(db: string | undefined, opts: { mustExist?: boolean } = {}): Promise<Store> {
  const loc = resolveDbLocation(db);
  if (opts.mustExist && !isPostgresUrl(loc) && !existsSync(loc.replace(/^sqlite:/, ''))) {
    throw new UserError(`no library at ${loc} (create one with \`parley ingest … --db ${loc}\`)`);
  }
  try {
    return await openStore(loc);
  } catch (e) {
    if (e instanceof StoreError) throw new UserError(e.message, 1);
    throw e;
  }
}

/** Most analysis threads accepted by --workers. */
const MAX_WORKERS = 256;

/** Takes the library's writer lock for an ingest; a held lock becomes a one-line UserError. */
export async function lockLibrary(store: Store): Promise<() => Promise<void>> {
  try {
    return await store.lockWriter();
  } catch (e) {
    if (e instanceof StoreError) throw new UserError(e.message, 1);
    throw e;
  }
}

export async function makeAnalyzer(workers: string | undefined): Promise<Analyzer> {
  const n = workers === undefined ? os.availableParallelism() : Number(workers);
  if (!Number.isInteger(n) || n < 0 || n > MAX_WORKERS) throw new UserError(`--workers must be a whole number from 0 to ${MAX_WORKERS}, got "${workers}"`);
  // Loaded on demand: the analysis models are heavy and most commands never analyse.
  const { inlineAnalyzer, poolAnalyzer } = await import('./analyzer.js');
  return n === 0 ? inlineAnalyzer() : poolAnalyzer(n);
}

function rate(n: number, ms: number): string {
  return ms > 0 ? (n / (ms / 1000)).toFixed(1) : '0.0';
}

/** Progress for ingest: a live line on a terminal, plain lines every few seconds otherwise. */
export class IngestProgress {
  private bar: SingleBar | null = null;
  private last = 0;
  private readonly t0 = Date.now();
  private errorLines = 0;
  private deferred: string[] = [];

  constructor(private readonly quiet = false) {
    if (!quiet && process.stderr.isTTY) {
      this.bar = new SingleBar({
        stream: process.stderr,
        format: 'ingest | {read} read | {added} new | {duplicates} dup | {unchanged} known | {errors} errors | {rate}/s',
        hideCursor: true,
        clearOnComplete: false,
      });
      this.bar.start(0, 0, { read: 0, added: 0, duplicates: 0, unchanged: 0, errors: 0, rate: '0.0' });
    }
  }

  update(c: IngestCounts): void {
    if (this.quiet) return;
    const ms = Date.now() - this.t0;
    const done = c.added + c.duplicates;
    if (this.bar) {
      this.bar.update(c.read, { ...c, rate: rate(done, ms) });
      return;
    }
    if (Date.now() - this.last < PLAIN_PROGRESS_EVERY_MS) return;
    this.last = Date.now();
    process.stderr.write(`parley: ingest: ${c.read} read, ${c.added} new, ${c.duplicates} duplicates, ${c.unchanged} already stored, ${c.errors} errors (${rate(done, ms)} articles/s)\n`);
  }

  error(source: string, error: string): void {
    this.errorLines++;
    if (this.errorLines > MAX_ERROR_LINES) return;
    const line = `parley: ${error.startsWith(source) ? error : `${source}: ${error}`}`;
    // On a terminal the live line would overwrite it: print errors after the bar stops.
    if (this.bar) this.deferred.push(line);
    else process.stderr.write(`${line}\n`);
  }

  finish(s: IngestSummary): void {
    if (this.bar) this.bar.stop();
    for (const l of this.deferred) process.stderr.write(`${l}\n`);
    if (this.errorLines > MAX_ERROR_LINES) process.stderr.write(`parley: … and ${this.errorLines - MAX_ERROR_LINES} more\n`);
    const parts = [`${s.added} new`, `${s.duplicates} duplicates`, `${s.unchanged} already stored`, `${s.errors} errors`];
    if (s.notAnalysed) parts.push(`${s.notAnalysed} stored without analysis`);
    if (s.queued) parts.push(`${s.queued} analysis jobs queued`);
    process.stderr.write(
      `parley: ingest ${s.interrupted ? 'interrupted' : 'done'}: ${parts.join(', ')} in ${(s.ms / 1000).toFixed(1)} s (${rate(s.added + s.duplicates, s.ms)} articles/s)\n`,
    );
  }
}

/** First SIGINT/SIGTERM aborts cleanly (in-flight work is committed); a second one exits at once. */
export function interruptSignal(): { signal: AbortSignal; dispose: () => void } {
  const ac = new AbortController();
  const onSig = (sig: NodeJS.Signals): void => {
    if (ac.signal.aborted) process.exit(130);
    process.stderr.write(`parley: ${sig}: finishing what is in flight (again to quit at once)\n`);
    ac.abort();
  };
  process.on('SIGINT', onSig);
  process.on('SIGTERM', onSig);
  return {
    signal: ac.signal,
    dispose: () => {
      process.off('SIGINT', onSig);
      process.off('SIGTERM', onSig);
    },
  };
}

/**
 * Runs `work` with a library opened for writing: the writer lock held and Ctrl-C turned into an
 * abort signal. Whatever happens, the signal handlers, the lock, the analyzer and the store are
 * released, in that order.
 */
export async function withWritableLibrary<T>(
  db: string | undefined,
  analyzer: Analyzer | null,
  work: (lib: { store: Store; signal: AbortSignal }) => Promise<T>,
): Promise<T> {
  let store: Store;
  try {
    store = await openLibrary(db);
  } catch (e) {
    await analyzer?.close();
    throw e;
  }
  let unlock: (() => Promise<void>) | undefined;
  const { signal, dispose } = interruptSignal();
  try {
    unlock = await lockLibrary(store);
    return await work({ store, signal });
  } finally {
    dispose();
    await unlock?.();
    await analyzer?.close();
    await store.close();
  }
}

/** Writes to stdout, waiting when the pipe is full (streaming exports of any size). */
export async function writeOut(s: string): Promise<void> {
  if (!process.stdout.write(s)) await new Promise((r) => process.stdout.once('drain', r));
}
