// `npm run bench:quotes`: time of the quote stage alone (findQuotes on pre-segmented documents)
// over PolNeAR dev, in ms per article, plus the mean article length in tokens.
import { segment } from '../src/analyze/segment.js';
import { loadLexicons } from '../src/analyze/index.js';
import { findQuotes } from '../src/analyze/quotes/index.js';
import { loadSplit, polnearAvailable } from './quotes-polnear.js';

/** Passes over the corpus; the first warms up the JIT and is not timed. */
const ROUNDS = 3;

function main(): void {
  if (!polnearAvailable()) {
    console.log('bench:quotes skipped: PolNeAR not found at ../shared/data/polnear');
    return;
  }
  const lex = loadLexicons().quotes;
  const docs = loadSplit('dev').map((a) => segment(a.text));
  const tokens = docs.reduce((s, d) => s + d.tokens.filter((t) => t.pos !== 'SPACE').length, 0) / docs.length;
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    for (const d of docs) findQuotes(d, [], lex);
    const ms = (performance.now() - t0) / docs.length;
    if (r > 0) best = Math.min(best, ms);
  }
  console.log(JSON.stringify({ articles: docs.length, meanTokens: Math.round(tokens), quotesMsPerArticle: Math.round(best * 100) / 100 }));
}

main();
