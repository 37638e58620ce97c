// `parley ingest <paths|urls|feeds…> [--db FILE] [--queue nats://…]`: read, de-duplicate, analyse,
// cluster into stories and store. Progress on stderr; a summary at the end; --json prints it on stdout.
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { addDbOption, addWorkersOption } from '../../pipeline/cli-options.js';
import { openQueue, ANALYSIS_QUEUE, type AnalysisJob, type Queue } from '../../queue/index.js';
import type { Analyzer } from '../../pipeline/analyzer.js';

export function register(program: Command): void {
  const cmd = program
    .command('ingest')
    .description('ingest files, folders, pages and feeds into the library (analysed, de-duplicated, grouped into stories)')
    .argument('<inputs...>', 'files, folders, URLs, feeds or OPML lists')
    .option('--queue <url>', 'publish analysis jobs to this NATS server (nats://HOST:PORT) for `parley worker` instead of analysing here')
    .option('--allow-private', 'allow fetching from private, loopback and link-local addresses')
    .option('--json', 'print the summary as JSON on stdout')
    .option('--quiet', 'no progress output');
  addDbOption(cmd);
  addWorkersOption(cmd);
  cmd.action(async (inputs: string[], o: { db?: string; allowPrivate?: boolean; queue?: string; json?: boolean; quiet?: boolean; workers?: string }) => {
    // Loaded here, not at start-up: `parley` registers every command on each run.
    const { IngestProgress, makeAnalyzer, withWritableLibrary } = await import('../../pipeline/cli.js');
    const { runIngest } = await import('../../pipeline/ingest.js');
    const { readSources } = await import('../../ingest/index.js');
    const analyzer: Analyzer | null = o.queue ? null : await makeAnalyzer(o.workers);
    let queue: Queue<AnalysisJob> | null = null;
    await withWritableLibrary(o.db, analyzer, async ({ store, signal }) => {
      try {
        if (o.queue) {
          try {
            queue = await openQueue<AnalysisJob>(o.queue, { name: ANALYSIS_QUEUE });
          } catch (e) {
            throw new UserError((e as Error).message, 1);
          }
        }
        const progress = new IngestProgress(o.quiet);
        const summary = await runIngest(readSources(inputs, o.allowPrivate ? { fetch: { allowPrivate: true } } : {}), {
          store,
          analyzer,
          queue,
          signal,
          onProgress: (c) => progress.update(c),
          onError: (s, e) => progress.error(s, e),
        });
        progress.finish(summary);
        if (o.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
        if (summary.errors > 0 && summary.added + summary.duplicates + summary.unchanged === 0) process.exitCode = 1;
        if (summary.interrupted) process.exitCode = 130;
      } finally {
        await queue?.close();
      }
    });
  });
}
