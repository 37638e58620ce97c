// Story-clustering throughput and memory: PolNeAR articles (../shared/data/polnear), cycled to N
// (default 10,000) with fresh ids, fed through StoryClusterer with publication dates, all on one date
// (nothing retires by time: the cost must stay flat as open stories pile up), and without dates.
// Usage: tsx bench/stories.ts [N]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoryClusterer } from '../src/stories/cluster.js';
import { loadStoryLexicon } from '../src/stories/features.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const POLNEAR = path.resolve(root, '../shared/data/polnear');
/** Articles fed when no count is given (as in bench:ingest). */
const DEFAULT_COUNT = 10_000;

function main(): void {
  if (!existsSync(POLNEAR)) {
    console.log(`bench:stories skipped: ${POLNEAR} not found`);
    return;
  }
  const n = Number(process.argv[2] ?? DEFAULT_COUNT);
  const dates = new Map<string, string>();
  for (const line of readFileSync(path.join(POLNEAR, 'metadata.tsv'), 'utf8').split('\n').slice(1)) {
    const f = line.split('\t');
    if (f[1] && f[5]) dates.set(f[1], f[5]);
  }
  const docs: Array<{ name: string; text: string; published?: string }> = [];
  for (const split of ['train', 'dev']) {
    const dir = path.join(POLNEAR, split, 'text');
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) {
      const name = f.replace(/\.txt$/, '');
      docs.push({ name, text: readFileSync(path.join(dir, f), 'utf8'), published: dates.get(name) });
    }
  }
  // Publication order, as a live stream would arrive.
  docs.sort((a, b) => (a.published ?? '').localeCompare(b.published ?? '') || a.name.localeCompare(b.name));
  const lex = loadStoryLexicon(path.join(root, 'data'));
  console.log(`bench:stories — ${n} articles cycled from ${docs.length} PolNeAR texts; Node ${process.version}`);
  /** Every article on this date in the 'one date' run. */
  const ONE_DATE = '2016-10-01';
  for (const mode of ['with dates', 'one date', 'without dates'] as const) {
    const withDates = mode === 'with dates';
    const c = new StoryClusterer(lex);
    const stories = new Set<string>();
    let peak = 0;
    const t0 = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    // CPU time of the first and of the last SLICE articles: flat cost means similar rates.
    const SLICE = Math.min(1000, Math.floor(n / 2));
    let firstCpu = 0;
    let lastCpu0 = 0;
    const cpuNow = (): number => {
      const u = process.cpuUsage(cpu0);
      return (u.user + u.system) / 1e6;
    };
    for (let i = 0; i < n; i++) {
      if (i === SLICE) firstCpu = cpuNow();
      if (i === n - SLICE) lastCpu0 = cpuNow();
      const d = docs[i % docs.length]!;
      const round = Math.floor(i / docs.length);
      // Each cycle is shifted a year later, so dated runs see a stream moving forward in time.
      const published = withDates && d.published ? `${Number(d.published.slice(0, 4)) + round}${d.published.slice(4)}` : undefined;
      const date = mode === 'one date' ? ONE_DATE : published;
      stories.add(c.add({ id: `${d.name}#${round}`, text: d.text, ...(date ? { published: date } : {}) }));
      if (i % 500 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    // CPU seconds as well as wall time: on a shared machine the wall rate depends on the neighbours.
    const cpuSecs = (cpu.user + cpu.system) / 1e6;
    peak = Math.max(peak, process.memoryUsage().rss);
    console.log(
      `  ${mode.padEnd(13)}: ${(n / secs).toFixed(0)} articles/s wall, ` +
        `${(n / cpuSecs).toFixed(0)} articles per CPU-second, ${secs.toFixed(1)} s, ` +
        `peak RSS ${(peak / 2 ** 20).toFixed(0)} MB, stories ${stories.size}, open at end ${c.activeStories}, ` +
        `state ${(JSON.stringify(c.toJSON()).length / 2 ** 20).toFixed(1)} MB; ` +
        `first/last ${SLICE}: ${(SLICE / firstCpu).toFixed(0)}/${(SLICE / (cpuSecs - lastCpu0)).toFixed(0)} per CPU-second`,
    );
  }
}

main();
