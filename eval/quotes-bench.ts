// `npm run bench:quotes`: time of the quote stage alone (findQuotes on pre-segmented documents)
// over PolNeAR dev, in ms per article, plus the mean article length in tokens (QUOTES_MODEL=<file>: a candidate).
import { segment } from '../src/analyze/segment.js';
import { loadLexicons } from '../src/analyze/index.js';
import { dataDir } from '../src/analyze/lexicons.js';
import { loadQuoteLexicon } from '../src/analyze/quotes/lexicon.js';
import { findQuotes } from '../src/analyze/quotes/index.js';
import { loadSplit, polnearAvailable } from './quotes-polnear.js';

/** Passes over the corpus; the first warms up the JIT and is not timed. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);

function main(): void {
  if (!polnearAvailable()) {
    console.log('bench:quotes skipped: PolNeAR not found at ../shared/data/polnear');
    return;
  }
  // QUOTES_MODEL=<file> times a candidate model instead of data/quotes/model.json.
  const model = process.env.QUOTES_MODEL;
  const lex = model ? loadQuoteLexicon(dataDir(), model) : loadLexicons().quotes;
  const docs = loadSplit('dev').map((a) => segment(a.text));
  const tokens = docs.reduce((s, d) => s + d.tokens.filter((t) => t.pos !== 'SPACE').length, 0) / docs.length;
  let best = Infinity;
  let bestCpu = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (const d of docs) findQuotes(d, [], lex);
    const ms = (performance.now() - t0) / docs.length;
    const cpu = process.cpuUsage(c0);
    if (r > 0) {
      best = Math.min(best, ms);
      bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1000 / docs.length);
    }
  }
  // CPU time is reported beside wall time: on a shared machine it is less swayed by waiting for a core.
  console.log(JSON.stringify({ articles: docs.length, meanTokens: Math.round(tokens), quotesMsPerArticle: Math.round(best * 100) / 100, quotesCpuMsPerArticle: Math.round(bestCpu * 100) / 100 }));
}

main();
