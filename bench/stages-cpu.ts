// `npm run bench:stages [-- N]` — CPU milliseconds per article for each analysis stage (one core,
// first N PolNeAR articles, 3 passes, last counted). CPU time, not wall time: stable when other
// processes share the cores, so before/after comparisons of a stage stay fair. `--wall` times wall
// clock instead (what an idle machine would see).
import { segment } from '../src/analyze/segment.js';
import { findDates } from '../src/analyze/dates.js';
import { findActors } from '../src/analyze/actors/index.js';
import { findQuotes } from '../src/analyze/quotes/index.js';
import { findEvents } from '../src/analyze/events/index.js';
import { findPositions } from '../src/analyze/positions/index.js';
import { loadLexicons } from '../src/analyze/lexicons.js';
import { polnearTexts } from './corpus.js';

/** Passes over the sample; the earlier ones warm the JIT. */
const PASSES = 3;
const wall = process.argv.includes('--wall');
const n = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 200);
/** Milliseconds used so far: CPU time of this process, or wall clock with --wall. */
const now = (): number => (wall ? performance.now() : (process.cpuUsage().user + process.cpuUsage().system) / 1000);
const texts = polnearTexts();
if (!texts) {
  console.log('skipped: ../shared/data/polnear is absent');
  process.exit(0);
}
const sample = texts.slice(0, n).map((t) => t.text);
const lex = loadLexicons();
const keys = ['segment', 'dates', 'actors', 'quotes', 'events', 'positions'] as const;
const total: Record<string, number> = {};
for (let pass = 0; pass < PASSES; pass++) {
  for (const k of keys) total[k] = 0;
  for (const text of sample) {
    let c = now();
    const lap = (k: string): void => {
      const t = now();
      total[k]! += t - c;
      c = t;
    };
    const doc = segment(text);
    lap('segment');
    const dates = findDates(doc, '2016-10-01');
    lap('dates');
    const actors = findActors(doc, lex.actors);
    lap('actors');
    const quotes = findQuotes(doc, actors, lex.quotes);
    lap('quotes');
    const events = findEvents(doc, actors, quotes, dates, lex.events);
    lap('events');
    findPositions(doc, actors, quotes, events, lex.issues);
    lap('positions');
  }
}
let sum = 0;
for (const k of keys) {
  sum += total[k]!;
  console.log(`${k.padEnd(10)} ${(total[k]! / sample.length).toFixed(2)} ms/article (${wall ? 'wall' : 'CPU'})`);
}
console.log(`${'total'.padEnd(10)} ${(sum / sample.length).toFixed(2)} ms/article (${wall ? 'wall' : 'CPU'}), ${sample.length} articles`);
