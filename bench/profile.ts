// `npx tsx bench/profile.ts [N]` — milliseconds per article for each analysis stage, one core,
// on the first N PolNeAR articles: where the time goes when `npm run bench` falls short.
import { segment } from '../src/analyze/segment.js';
import { findDates } from '../src/analyze/dates.js';
import { findActors } from '../src/analyze/actors/index.js';
import { findQuotes } from '../src/analyze/quotes/index.js';
import { findEvents } from '../src/analyze/events/index.js';
import { findPositions } from '../src/analyze/positions/index.js';
import { loadLexicons } from '../src/analyze/lexicons.js';
import { polnearTexts } from './corpus.js';

const n = Number(process.argv[2] ?? 300);
const texts = polnearTexts();
if (!texts) {
  console.log('skipped: ../shared/data/polnear is absent');
  process.exit(0);
}
const sample = texts.slice(0, n).map((t) => t.text);
const lex = loadLexicons();
const total: Record<string, number> = { segment: 0, dates: 0, actors: 0, quotes: 0, events: 0, positions: 0, json: 0 };
for (let pass = 0; pass < 2; pass++) {
  for (const k of Object.keys(total)) total[k] = 0; // the first pass warms the JIT
  for (const text of sample) {
    let t = performance.now();
    const lap = (k: string): void => {
      const now = performance.now();
      total[k]! += now - t;
      t = now;
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
    const positions = findPositions(doc, actors, quotes, events, lex.issues);
    lap('positions');
    JSON.stringify({ text, structure: doc.structure, actors, quotes, events, positions, dates });
    lap('json');
  }
}
let sum = 0;
for (const [k, v] of Object.entries(total)) {
  sum += v;
  console.log(`${k.padEnd(10)} ${(v / sample.length).toFixed(3)} ms/article`);
}
console.log(`${'total'.padEnd(10)} ${(sum / sample.length).toFixed(3)} ms/article = ${((1000 * sample.length) / sum).toFixed(0)} articles/s on one core`);
