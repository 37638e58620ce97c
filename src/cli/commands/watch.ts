// `parley watch FEEDS… [--interval S]`: polls feeds with conditional GET (validators kept in the
// library) and ingests what is new, until SIGINT/SIGTERM, which stops it cleanly between items.
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { addDbOption, addWorkersOption } from '../../pipeline/cli-options.js';

/** Default seconds between polls: feeds rarely change faster, and hosts appreciate restraint. */
const DEFAULT_INTERVAL_S = 300;
/** Shortest interval accepted (seconds). */
const MIN_INTERVAL_S = 1;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

export function register(program: Command): void {
  const cmd = program
    .command('watch')
    .description('poll feeds on an interval and ingest what is new (Ctrl-C stops cleanly)')
    .argument('<feeds...>', 'feed or OPML URLs (or files)')
    .option('--interval <seconds>', 'seconds between polls', String(DEFAULT_INTERVAL_S))
    .option('--once', 'poll once and exit')
    .option('--allow-private', 'allow fetching from private, loopback and link-local addresses');
  addDbOption(cmd);
  addWorkersOption(cmd);
  cmd.action(async (feeds: string[], o: { db?: string; interval: string; once?: boolean; allowPrivate?: boolean; workers?: string }) => {
    // Loaded here, not at start-up: `parley` registers every command on each run.
    const { IngestProgress, makeAnalyzer, withWritableLibrary } = await import('../../pipeline/cli.js');
    const { openIngestState, runIngest } = await import('../../pipeline/ingest.js');
    const { StoreValidatorCache } = await import('../../pipeline/validators.js');
    const { HostRateLimiter, readSources } = await import('../../ingest/index.js');
    const interval = Number(o.interval);
    if (!Number.isFinite(interval) || interval < MIN_INTERVAL_S) throw new UserError(`--interval must be at least ${MIN_INTERVAL_S} second(s), got "${o.interval}"`);
    const analyzer = await makeAnalyzer(o.workers);
    await withWritableLibrary(o.db, analyzer, async ({ store, signal }) => {
      const state = await openIngestState(store);
      const fetch = { cache: new StoreValidatorCache(store, new Set(feeds)), rateLimiter: new HostRateLimiter(), ...(o.allowPrivate ? { allowPrivate: true } : {}) };
      for (let round = 1; !signal.aborted; round++) {
        const progress = new IngestProgress(true);
        const s = await runIngest(readSources(feeds, { fetch }), {
          store,
          analyzer,
          state,
          signal,
          onError: (src, e) => process.stderr.write(`parley: ${e.startsWith(src) ? e : `${src}: ${e}`}\n`),
        });
        progress.finish(s);
        if (o.once || signal.aborted) break;
        await sleep(interval * 1000, signal);
      }
    });
  });
}
