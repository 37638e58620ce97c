// `parley demo [--db FILE]`: ingests the fictional demo corpus (data/demo/) into a SQLite file and
// prints the stories it forms. Running it again changes nothing and prints the same stories.
import type { Command } from 'commander';
import path from 'node:path';
import { existsSync, readdirSync } from 'node:fs';
import { UserError } from '../errors.js';
import { addWorkersOption } from '../../pipeline/cli-options.js';

/** Library file the demo writes, in the working directory, so it can be explored afterwards. */
export const DEMO_DB = 'parley-demo.db';

export function register(program: Command): void {
  const cmd = program
    .command('demo')
    .description(`ingest the demo corpus (data/demo/) into ${DEMO_DB} and show its stories`)
    .option('--db <file|url>', 'library to ingest into', DEMO_DB);
  addWorkersOption(cmd);
  cmd.action(async (o: { db: string; workers?: string }) => {
    // Loaded here, not at start-up: `parley` registers every command on each run.
    const { dataDir } = await import('../../analyze/lexicons.js');
    const { IngestProgress, makeAnalyzer, writeOut, withWritableLibrary } = await import('../../pipeline/cli.js');
    const { runIngest } = await import('../../pipeline/ingest.js');
    const { readSources } = await import('../../ingest/index.js');
    const corpus = path.join(dataDir(), 'demo');
    // The corpus files only (the folder also holds its README).
    const files = existsSync(corpus) ? readdirSync(corpus).filter((f) => f.endsWith('.jsonl')).sort().map((f) => path.join(corpus, f)) : [];
    if (!files.length) throw new UserError(`the demo corpus is missing (no .jsonl files in ${corpus})`, 1);
    // The demo's fictional states, declared the way a user declares their own (PARLEY_ACTORS);
    // set before the analysis workers start, since they read it when loading the lexicons.
    const demoActors = path.join(corpus, 'actors.json');
    if (!process.env.PARLEY_ACTORS && existsSync(demoActors)) process.env.PARLEY_ACTORS = demoActors;
    const analyzer = await makeAnalyzer(o.workers);
    await withWritableLibrary(o.db, analyzer, async ({ store, signal }) => {
      const progress = new IngestProgress();
      const s = await runIngest(readSources(files), { store, analyzer, signal, onProgress: (c) => progress.update(c), onError: (a, e) => progress.error(a, e) });
      progress.finish(s);
      const stories = await store.listStories();
      const counts = await store.counts();
      const out = [`${counts.articles} articles (${counts.duplicates} duplicates folded), ${counts.quotes} quotes, ${stories.length} stories in ${store.description}:`, ''];
      for (const st of [...stories].sort((a, b) => (a.first ?? '').localeCompare(b.first ?? '') || a.id.localeCompare(b.id))) {
        const [a, b] = [st.first?.slice(0, 10), st.last?.slice(0, 10)];
        const span = a ? (a === b ? a : `${a}…${b}`) : '';
        out.push(`${st.id}  ${span.padEnd(21)}  ${String(st.articleIds.length).padStart(2)} art.  ${st.title}`);
        if (st.outlets.length > 1) out.push(`${' '.repeat(st.id.length + 2)}outlets: ${st.outlets.join(', ')}`);
      }
      out.push('', `Next: ./bin/parley story <id> --db ${o.db}   ·   ./bin/parley search <words> --db ${o.db}`);
      await writeOut(`${out.join('\n')}\n`);
    });
  });
}
