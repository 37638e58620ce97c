// Speed of the positions stage and the cross-article views, on PolNeAR dev articles
// (../shared/data/polnear/dev/text). Run: npm run bench:positions [-- N]  (N articles, default all).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../src/analyze/index.js';
import { loadLexicons } from '../src/analyze/lexicons.js';
import { segment } from '../src/analyze/segment.js';
import { findPositions } from '../src/analyze/positions/index.js';
import { mergeActors, type Item } from '../src/stories/actors-merge.js';
import { positionMatrix } from '../src/stories/positions.js';
import { interactionNetwork, timeline } from '../src/stories/timeline.js';
import { eventsToGdeltTsv, eventsToPlover } from '../src/export/events.js';
import { attributionsToJsonl, toBrat } from '../src/export/attributions.js';

/** Times each positions pass is repeated, to smooth timer noise. */
const REPEATS = 5;
/** The cross-article views are also timed on the analysed articles copied this many times (new ids). */
const SCALE_COPIES = 20;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.resolve(root, '../shared/data/polnear/dev/text');
if (!fs.existsSync(dir)) {
  console.error(`skipped: ${dir} is absent (PolNeAR dev texts are read from ../shared/data)`);
  process.exit(0);
}
const limit = Number(process.argv[2] ?? Infinity);
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort().slice(0, limit);
const lex = loadLexicons();
const items: Item[] = [];
let tAnalyze = 0;
for (const [i, f] of files.entries()) {
  const text = fs.readFileSync(path.join(dir, f), 'utf8');
  const t0 = performance.now();
  const analysis = analyze(text, { lexicons: lex });
  tAnalyze += performance.now() - t0;
  const date = /_(\d{4}-\d{2}-\d{2})_/.exec(f)?.[1];
  items.push({ article: { id: f.replace(/\.txt$/, ''), text, ...(date ? { published: date } : {}) }, analysis });
  if ((i + 1) % 20 === 0) process.stderr.write(`analysed ${i + 1}/${files.length}\n`);
}
const docs = items.map((it) => segment(it.analysis.text));
let tPos = 0;
for (let r = 0; r < REPEATS; r++) {
  const t0 = performance.now();
  items.forEach((it, k) => findPositions(docs[k]!, it.analysis.actors, it.analysis.quotes, it.analysis.events, lex.issues));
  tPos += performance.now() - t0;
}
const chars = items.reduce((s, it) => s + it.analysis.text.length, 0);
const time = (f: () => unknown): number => {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
};
const positions = items.reduce((s, it) => s + it.analysis.positions.length, 0);
const withPos = items.filter((it) => it.analysis.positions.length > 0).length;
const out = {
  articles: items.length,
  chars,
  analyzeMsPerArticle: +(tAnalyze / items.length).toFixed(2),
  positionsMsPerArticle: +(tPos / REPEATS / items.length).toFixed(3),
  positionsShareOfAnalyze: +((tPos / REPEATS) / tAnalyze).toFixed(4),
  positions,
  articlesWithPositions: withPos,
  mergeActorsMs: +time(() => mergeActors(items)).toFixed(1),
  positionMatrixMs: +time(() => positionMatrix(items)).toFixed(1),
  timelineMs: +time(() => timeline(items)).toFixed(1),
  networkMs: +time(() => interactionNetwork(items)).toFixed(1),
  exportPloverMs: +time(() => eventsToPlover(items)).toFixed(1),
  exportGdeltMs: +time(() => eventsToGdeltTsv(items)).toFixed(1),
  exportAttributionsJsonlMs: +time(() => attributionsToJsonl(items)).toFixed(1),
  exportBratMs: +time(() => items.forEach((it) => toBrat(it.analysis))).toFixed(1),
  heapMB: +(process.memoryUsage().heapUsed / 1e6).toFixed(0),
};
const big: Item[] = [];
for (let c = 0; c < SCALE_COPIES; c++) for (const it of items) big.push({ article: { ...it.article, id: `${it.article.id}#${c}` }, analysis: it.analysis });
Object.assign(out, {
  scaledArticles: big.length,
  scaledMergeActorsMs: +time(() => mergeActors(big)).toFixed(1),
  scaledPositionMatrixMs: +time(() => positionMatrix(big)).toFixed(1),
  scaledTimelineMs: +time(() => timeline(big)).toFixed(1),
  scaledNetworkMs: +time(() => interactionNetwork(big)).toFixed(1),
  scaledGdeltMs: +time(() => eventsToGdeltTsv(big)).toFixed(1),
  scaledHeapMB: +(process.memoryUsage().heapUsed / 1e6).toFixed(0),
});
console.log(JSON.stringify(out, null, 2));
