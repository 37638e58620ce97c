// Story-clustering quality on ECB+ (Cybulska & Vossen, LREC 2014; CC BY 3.0): pairwise and B-cubed
// P/R/F1 and the number of stories found, for two arrival orders, plus a tuned-on-odd/tested-on-even check.
// Usage: tsx eval/stories.ts [--tune] [--analysis] [--file PATH]
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { StoryClusterer, type ClustererOptions } from '../src/stories/cluster.js';
import { loadStoryLexicon } from '../src/stories/features.js';
import { analyze } from '../src/analyze/index.js';
import type { Analysis } from '../src/analyze/types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const DEFAULT_FILE = path.resolve(root, '../shared/data/stories/ecbplus.jsonl');

interface Row {
  id: string;
  topic: string;
  story: string;
  title: string | null;
  text: string;
}

/** Undo ECB+'s tokenisation: "Lohan 's" → "Lohan's", `` '' → quotes, " ," → ",". */
export function detokenize(s: string): string {
  return s
    .split('\n')
    .map((line) =>
      line
        .replace(/``\s*/g, '"')
        .replace(/\s*''/g, '"')
        .replace(/ (n't|'s|'re|'ve|'ll|'d|'m)\b/gi, '$1')
        .replace(/ ([.,;:!?%)\]])/g, '$1')
        .replace(/([([$]) /g, '$1')
        .replace(/ - /g, '-')
        .replace(/(\d) \. (\d)/g, '$1.$2')
        .replace(/ {2,}/g, ' ')
        .trim(),
    )
    .join('\n');
}

export interface Scores {
  pairwise: { p: number; r: number; f1: number };
  bcubed: { p: number; r: number; f1: number };
  stories: number;
  gold: number;
}

const f1 = (p: number, r: number): number => (p + r > 0 ? (2 * p * r) / (p + r) : 0);

export function score(gold: string[], pred: string[]): Scores {
  const n = gold.length;
  const cell = new Map<string, number>();
  const gSize = new Map<string, number>();
  const pSize = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const k = `${gold[i]}\u0000${pred[i]}`;
    cell.set(k, (cell.get(k) ?? 0) + 1);
    gSize.set(gold[i]!, (gSize.get(gold[i]!) ?? 0) + 1);
    pSize.set(pred[i]!, (pSize.get(pred[i]!) ?? 0) + 1);
  }
  const pairs = (m: number): number => (m * (m - 1)) / 2;
  let tp = 0;
  for (const c of cell.values()) tp += pairs(c);
  let predPairs = 0;
  for (const c of pSize.values()) predPairs += pairs(c);
  let goldPairs = 0;
  for (const c of gSize.values()) goldPairs += pairs(c);
  const pp = predPairs ? tp / predPairs : 1;
  const pr = goldPairs ? tp / goldPairs : 1;
  let bp = 0;
  let br = 0;
  for (let i = 0; i < n; i++) {
    const c = cell.get(`${gold[i]}\u0000${pred[i]}`)!;
    bp += c / pSize.get(pred[i]!)!;
    br += c / gSize.get(gold[i]!)!;
  }
  bp /= n;
  br /= n;
  return {
    pairwise: { p: pp, r: pr, f1: f1(pp, pr) },
    bcubed: { p: bp, r: br, f1: f1(bp, br) },
    stories: pSize.size,
    gold: gSize.size,
  };
}

/** Arrival orders. file: as distributed (topics in turn, ECB and ECB+ articles interleaved).
 * shuffled: all 982 articles ordered by SHA-1 of their id — topics mixed, a harder stream. */
export const ORDERS: Record<string, (rows: Row[]) => Row[]> = {
  file: (rows) => rows,
  shuffled: (rows) =>
    [...rows].sort((a, b) => {
      const ha = createHash('sha1').update(a.id).digest('hex');
      const hb = createHash('sha1').update(b.id).digest('hex');
      return ha < hb ? -1 : ha > hb ? 1 : 0;
    }),
};

export function run(
  rows: Row[],
  opts: ClustererOptions,
  analyses?: Map<string, Analysis>,
): { scores: Scores; seconds: number; cpuSeconds: number } {
  const lex = loadStoryLexicon(path.join(root, 'data'));
  const c = new StoryClusterer(lex, opts);
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const pred = rows.map((r) => {
    const analysis = analyses?.get(r.id);
    return c.add({ id: r.id, title: r.title ?? undefined, text: r.text, ...(analysis ? { analysis } : {}) });
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return { scores: score(rows.map((r) => r.story), pred), seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

function fmt(s: Scores): string {
  const p = (x: number): string => x.toFixed(3);
  return `pairwise P ${p(s.pairwise.p)} R ${p(s.pairwise.r)} F1 ${p(s.pairwise.f1)} | B3 P ${p(s.bcubed.p)} R ${p(s.bcubed.r)} F1 ${p(s.bcubed.f1)} | stories ${s.stories} (gold ${s.gold})`;
}

/** The small grid tuned on odd topics: threshold and the three channel weights. */
const GRID_THRESHOLDS = [0.32, 0.36, 0.4, 0.44];
const GRID_TERM_WEIGHTS = [0.2, 0.4];
const GRID_ENTITY_WEIGHTS = [0.3, 0.4, 0.5];
const GRID_NUMBER_WEIGHTS = [0.2, 0.3];

function main(): void {
  const args = process.argv.slice(2);
  const fileArg = args.indexOf('--file');
  const file = fileArg >= 0 ? args[fileArg + 1]! : DEFAULT_FILE;
  if (!existsSync(file)) {
    console.log(`eval:stories skipped: ${file} not found (ECB+ lives in ../shared/data/stories/)`);
    return;
  }
  const rows: Row[] = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Row)
    .map((r) => ({ ...r, title: r.title ? detokenize(r.title) : null, text: detokenize(r.text) }));
  console.log(`ECB+ (Cybulska & Vossen 2014, CC BY 3.0): ${rows.length} articles, ${new Set(rows.map((r) => r.story)).size} gold stories`);
  console.log('defaults, all 43 topics:');
  for (const [name, order] of Object.entries(ORDERS)) {
    const { scores, seconds, cpuSeconds } = run(order(rows), {});
    const rate = `${(rows.length / seconds).toFixed(0)} articles/s wall, ${(rows.length / cpuSeconds).toFixed(0)} per CPU-second`;
    console.log(`  order=${name.padEnd(8)} ${fmt(scores)} | ${rate}`);
  }
  if (args.includes('--analysis')) {
    // The clusterer fed with analyze() output (actors and places instead of capitalised phrases),
    // as the ingest pipeline feeds it. Analysis time is not counted in the rate.
    const analyses = new Map(rows.map((r) => [r.id, analyze(r.text)]));
    for (const [name, order] of Object.entries(ORDERS)) {
      const { scores } = run(order(rows), {}, analyses);
      console.log(`  with analysis order=${name.padEnd(8)} ${fmt(scores)}`);
    }
  }
  if (args.includes('--tune')) {
    const odd = rows.filter((r) => Number(r.topic) % 2 === 1);
    const even = rows.filter((r) => Number(r.topic) % 2 === 0);
    let best: { opts: ClustererOptions; f: number } = { opts: {}, f: -1 };
    const grid = GRID_THRESHOLDS.flatMap((threshold) =>
      GRID_TERM_WEIGHTS.flatMap((termWeight) =>
        GRID_ENTITY_WEIGHTS.flatMap((entityWeight) =>
          GRID_NUMBER_WEIGHTS.map((numberWeight) => ({ threshold, termWeight, entityWeight, numberWeight })),
        ),
      ),
    );
    for (const opts of grid) {
      // Both orders count, so the choice does not lean on one lucky sequence.
      let f = 0;
      for (const order of Object.values(ORDERS)) {
        const { scores } = run(order(odd), opts);
        f += scores.bcubed.f1 + scores.pairwise.f1;
      }
      if (f > best.f) best = { opts, f };
    }
    console.log(`tuned on odd topics (${odd.length} articles): ${JSON.stringify(best.opts)}`);
    for (const [name, order] of Object.entries(ORDERS)) {
      console.log(`  odd  (tuning) order=${name.padEnd(8)} ${fmt(run(order(odd), best.opts).scores)}`);
      console.log(`  even (held out) order=${name.padEnd(8)} ${fmt(run(order(even), best.opts).scores)}`);
    }
  }
}

// Run only as a script, so the helpers above can be imported by tests.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
