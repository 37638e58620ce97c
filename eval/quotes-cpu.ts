// `node dist/eval/quotes-cpu.js [N] [--dist DIR]` — CPU milliseconds per article of the quotes stage
// alone (segment and actors are run once beforehand and not counted), over the first N PolNeAR
// articles, 5 passes with the best of the last 3 reported (`--cold`: see below). `--dist DIR` loads the stage from another
// build (e.g. a baseline copy of dist), so an A/B runs the same inputs through both. Also prints a
// hash of the output, a quick identity check between builds (golden.sh is the full one).
import { createHash } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { segment } from '../src/analyze/segment.js';
import { findActors } from '../src/analyze/actors/index.js';
import { loadLexicons } from '../src/analyze/lexicons.js';
import type { findQuotes as FindQuotes } from '../src/analyze/quotes/index.js';
import { polnearTexts } from '../bench/corpus.js';

const args = process.argv.slice(2);
const n = Number(args.find((a) => /^\d+$/.test(a)) ?? 300);
const distArg = args.indexOf('--dist');
/** `--cold`: between articles (untimed), read a buffer bigger than the L3 cache, as the other stages
 * of a real run do with their own data, so the tagger's tables start each article mostly uncached. */
const cold = args.includes('--cold');
const flush = new Int32Array(cold ? (48 << 20) / 4 : 0);
const evict = (): number => {
  let s = 0;
  for (let i = 0; i < flush.length; i += 16) s += flush[i]!;
  return s;
};
const texts = polnearTexts();
if (!texts) {
  console.log('skipped: ../shared/data/polnear is absent');
  process.exit(0);
}
let findQuotes: typeof FindQuotes;
if (distArg >= 0) {
  const dir = path.resolve(args[distArg + 1]!);
  ({ findQuotes } = (await import(pathToFileURL(path.join(dir, 'src/analyze/quotes/index.js')).href)) as { findQuotes: typeof FindQuotes });
} else ({ findQuotes } = await import('../src/analyze/quotes/index.js'));
const lex = loadLexicons();
// `--gate`: with the paragraph gate on (QuoteLexicon.tagOnlyCuedParagraphs).
if (args.includes('--gate')) lex.quotes = { ...lex.quotes, tagOnlyCuedParagraphs: true };
const inputs = texts.slice(0, n).map((t) => {
  const doc = segment(t.text);
  return { doc, actors: findActors(doc, lex.actors) };
});
const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const times: number[] = [];
let hash = '';
for (let pass = 0; pass < 5; pass++) {
  const out: unknown[] = [];
  let t = 0;
  for (const { doc, actors } of inputs) {
    if (cold) evict();
    const t0 = cpu();
    out.push(findQuotes(doc, actors, lex.quotes));
    t += cpu() - t0;
  }
  times.push(t / inputs.length);
  hash = createHash('sha256').update(JSON.stringify(out)).digest('hex').slice(0, 12);
}
const last = times.slice(2);
console.log(`quotes ${Math.min(...last).toFixed(3)} ms/article (best of last 3; all: ${times.map((t) => t.toFixed(2)).join(' ')}), ${inputs.length} articles, output ${hash}`);
