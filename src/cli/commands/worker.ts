// `parley worker --queue nats://… --db postgres://…`: the scale-out analysis worker. Pulls jobs that
// `parley ingest --queue` published, analyses the stored article and stores the analysis.
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { addDbOption, addWorkersOption } from '../../pipeline/cli-options.js';
import { openQueue, ANALYSIS_QUEUE, type AnalysisJob } from '../../queue/index.js';

/** Milliseconds between progress lines. */
const PROGRESS_EVERY_MS = 5000;

export function register(program: Command): void {
  const cmd = program
    .command('worker')
    .description('analyse queued articles (scale-out: run one per machine against shared NATS and PostgreSQL)')
    .requiredOption('--queue <url>', 'NATS server with JetStream (nats://HOST:PORT)')
    .option('--idle-exit <seconds>', 'exit after this many seconds without a job (default: run until interrupted)');
  addDbOption(cmd);
  addWorkersOption(cmd);
  cmd.action(async (o: { db?: string; queue: string; idleExit?: string; workers?: string }) => {
    // Loaded here, not at start-up: `parley` registers every command on each run.
    const { interruptSignal, makeAnalyzer, openLibrary } = await import('../../pipeline/cli.js');
    const { runWorker } = await import('../../pipeline/worker.js');
    let idleExitMs: number | undefined;
    if (o.idleExit !== undefined) {
      const s = Number(o.idleExit);
      if (!Number.isFinite(s) || s < 0) throw new UserError(`--idle-exit must be a number of seconds, got "${o.idleExit}"`);
      idleExitMs = s * 1000;
    }
    const analyzer = await makeAnalyzer(o.workers);
    const store = await openLibrary(o.db);
    const { signal, dispose } = interruptSignal();
    let queue;
    try {
      try {
        queue = await openQueue<AnalysisJob>(o.queue, { name: ANALYSIS_QUEUE });
      } catch (e) {
        throw new UserError((e as Error).message, 1);
      }
      process.stderr.write(`parley: worker: ${queue.description} → ${store.description}\n`);
      let last = 0;
      const s = await runWorker({
        store,
        queue,
        analyzer,
        signal,
        ...(idleExitMs !== undefined ? { idleExitMs } : {}),
        onProgress: (p) => {
          if (Date.now() - last < PROGRESS_EVERY_MS) return;
          last = Date.now();
          process.stderr.write(`parley: worker: ${p.analysed} analysed, ${p.failed} without analysis, ${p.missing} missing\n`);
        },
        onError: (id, e) => process.stderr.write(`parley: worker: ${id}: ${e}\n`),
      });
      process.stderr.write(`parley: worker done: ${s.analysed} analysed, ${s.failed} without analysis, ${s.missing} missing\n`);
    } finally {
      dispose();
      await analyzer.close();
      await queue?.close();
      await store.close();
    }
  });
}
