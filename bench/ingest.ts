// `npm run bench:ingest`: ingest N real articles (PolNeAR train+dev texts, cycled) into a fresh
// SQLite file through the whole pipeline (dedup, analysis on worker threads, stories, store) and
// report articles/s, peak RSS and RSS over time. `--pg URL` measures the PostgreSQL store instead.
//
// It runs the compiled code (dist/), so the analysis threads run the same JS the CLI ships.
// Cycling: the 924 texts repeat, so each copy gets its own id and URL (`bench-<cycle>-<file>`) and
// the pipeline runs with dedup 'id' — canonical-URL, text-hash and near-duplicate folding would
// (rightly) fold the repeats and skip their analysis, which would measure dedup, not ingest.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Article } from '../src/analyze/types.js';
import type { SourceResult } from '../src/ingest/index.js';
import pg from 'pg';
import { openStore } from '../src/store/index.js';
import { runIngest } from '../src/pipeline/ingest.js';
import { poolAnalyzer } from '../src/pipeline/analyzer.js';

/** The repository root, whether this runs as bench/ingest.ts or compiled as dist/bench/ingest.js. */
function repoRoot(): string {
  let d = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(d, 'package.json')) && path.dirname(d) !== d) d = path.dirname(d);
  return d;
}
const ROOT = repoRoot();
const POLNEAR = path.resolve(ROOT, '../shared/data/polnear');
/** Articles ingested by default (the figure). */
const DEFAULT_N = 10_000;
/** RSS is sampled every this many articles. */
const SAMPLE_EVERY = 1000;

/**
 * CPU seconds used so far by the main thread alone (Linux: /proc/self/task/<pid>/stat, in clock
 * ticks of 10 ms), and by the whole process (every thread). The main thread's share is what
 * competes with the analysis workers for the cores; null where /proc is absent.
 */
function mainThreadCpu(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return null;
  }
}
function processCpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function loadCorpus(): { name: string; text: string; published?: string; outlet?: string; title?: string }[] {
  const meta = new Map<string, { date: string; publisher: string; title: string }>();
  const tsv = readFileSync(path.join(POLNEAR, 'metadata.tsv'), 'utf8').split('\n');
  const head = tsv[0]!.split('\t');
  const col = (k: string): number => head.indexOf(k);
  for (const line of tsv.slice(1)) {
    const f = line.split('\t');
    if (f.length < head.length) continue;
    meta.set(f[col('filename')]!, { date: f[col('publication_date')]!, publisher: f[col('publisher')]!, title: f[col('title')]! });
  }
  const out = [];
  for (const split of ['train', 'dev']) {
    const dir = path.join(POLNEAR, split, 'text');
    for (const f of readdirSync(dir).sort()) {
      const m = meta.get(f.replace(/\.txt$/, ''));
      out.push({
        name: f.replace(/\.txt$/, ''),
        text: readFileSync(path.join(dir, f), 'utf8'),
        ...(m && /^\d{4}-\d{2}-\d{2}$/.test(m.date) ? { published: m.date } : {}),
        ...(m ? { outlet: m.publisher } : {}),
      });
    }
  }
  return out;
}

async function main(): Promise<void> {
  if (!existsSync(POLNEAR)) {
    console.error(`bench:ingest skipped: ${POLNEAR} is absent`);
    return;
  }
  const n = Number(arg('n') ?? arg('count') ?? DEFAULT_N);
  const workers = Number(arg('workers') ?? os.availableParallelism());
  const corpus = loadCorpus();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'parley-bench-'));
  const file = path.join(dir, 'bench.db');
  // --pg URL: ingest into a fresh schema of that PostgreSQL database instead (dropped afterwards).
  const pgUrl = arg('pg');
  const schema = `parley_bench_${process.pid}`;
  const store = await openStore(pgUrl ? `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}schema=${schema}` : file);
  // --no-analysis measures the rest of the pipeline (dedup, stories, store) on its own.
  const noAnalysis = process.argv.includes('--no-analysis');
  const analyzer = noAnalysis ? null : poolAnalyzer(workers);

  async function* items(): AsyncIterable<SourceResult> {
    for (let i = 0; i < n; i++) {
      const c = corpus[i % corpus.length]!;
      const cycle = Math.floor(i / corpus.length);
      const article: Article = {
        id: `bench-${cycle}-${c.name}`,
        url: `https://bench.example/${cycle}/${c.name}`,
        text: c.text,
        source: `polnear:${c.name}`,
        ...(c.published ? { published: c.published } : {}),
        ...(c.outlet ? { outlet: c.outlet } : {}),
      };
      yield { article };
    }
  }

  const samples: { articles: number; seconds: number; rssMB: number; heapMB: number }[] = [];
  const t0 = Date.now();
  const main0 = mainThreadCpu();
  const proc0 = processCpu();
  let next = SAMPLE_EVERY;
  const mb = (b: number): number => Math.round(b / 1048576);
  const firstErrors: string[] = [];
  const summary = await runIngest(items(), {
    store,
    analyzer,
    dedup: 'id',
    onError: (src, e) => {
      if (firstErrors.length < 3) firstErrors.push(`${src}: ${e}`);
    },
    onProgress: (c) => {
      const done = c.added + c.duplicates;
      if (done >= next) {
        next += SAMPLE_EVERY;
        const m = process.memoryUsage();
        samples.push({ articles: done, seconds: (Date.now() - t0) / 1000, rssMB: mb(m.rss), heapMB: mb(m.heapUsed) });
        process.stderr.write(`bench:ingest: ${done} articles, ${((Date.now() - t0) / 1000).toFixed(1)} s, RSS ${mb(m.rss)} MB\n`);
      }
    },
  });
  const seconds = (Date.now() - t0) / 1000;
  const main1 = mainThreadCpu();
  const procSeconds = processCpu() - proc0;
  const perArticleMs = (cpuSeconds: number): number => Number(((cpuSeconds * 1000) / n).toFixed(2));
  await analyzer?.close();
  const counts = await store.counts();
  await store.close();
  let dbMB = 0;
  if (pgUrl) {
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    const r = await c.query<{ bytes: string }>(
      'SELECT coalesce(sum(pg_total_relation_size(quote_ident(schemaname) || \'.\' || quote_ident(tablename))), 0) AS bytes FROM pg_tables WHERE schemaname = $1',
      [schema],
    );
    dbMB = mb(Number(r.rows[0]!.bytes));
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  } else dbMB = mb(statSync(file).size + (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0));
  rmSync(dir, { recursive: true, force: true });
  const peakMB = Math.round(process.resourceUsage().maxRSS / 1024);
  const result = {
    date: new Date().toISOString().slice(0, 10),
    machine: `${os.availableParallelism()}-core ${Math.round(os.totalmem() / 2 ** 30)} GB Node ${process.versions.node}`,
    loadAverage1m: Number(os.loadavg()[0]!.toFixed(2)),
    store: pgUrl ? 'postgres' : 'sqlite',
    articles: n,
    distinctTexts: corpus.length,
    workers: noAnalysis ? 0 : workers,
    analysis: !noAnalysis,
    seconds: Number(seconds.toFixed(1)),
    articlesPerSecond: Number((n / seconds).toFixed(1)),
    // CPU per article: the main thread (reading, dedup, stories, store) and all threads together.
    mainThreadCpuMsPerArticle: main0 !== null && main1 !== null ? perArticleMs(main1 - main0) : null,
    processCpuMsPerArticle: perArticleMs(procSeconds),
    peakRssMB: peakMB,
    dbMB,
    stored: counts,
    notAnalysed: summary.notAnalysed,
    errors: summary.errors,
    firstErrors,
    rssOverTime: samples,
  };
  console.log(JSON.stringify(result, null, 2));
  process.stderr.write(`bench:ingest: ${n} articles in ${seconds.toFixed(1)} s = ${result.articlesPerSecond} articles/s, main thread ${result.mainThreadCpuMsPerArticle} ms CPU/article (all threads ${result.processCpuMsPerArticle}), peak RSS ${peakMB} MB, ${counts.stories} stories, DB ${dbMB} MB\n`);
}

main().catch((e: unknown) => {
  console.error(`bench:ingest failed: ${(e as Error).message}`);
  process.exit(1);
});
