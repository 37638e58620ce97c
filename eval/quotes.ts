// `npm run eval:quotes [-- --split dev|train --limit N]`: scores analyze()'s quotes against PolNeAR
// (../shared/data/polnear) on the raw article text, per split. QUOTES_MODEL=<file> evaluates a candidate model;
// QUOTES_GATE=1 scores with the paragraph gate on (see QuoteLexicon.tagOnlyCuedParagraphs).
import { analyze, loadLexicons } from '../src/analyze/index.js';
import { dataDir } from '../src/analyze/lexicons.js';
import { loadQuoteLexicon } from '../src/analyze/quotes/lexicon.js';
import type { Quote } from '../src/analyze/types.js';
import { loadSplit, polnearAvailable } from './quotes-polnear.js';
import { emptyCounts, scoreArticle, scores } from './quotes-metrics.js';

/** Analyze failures printed per split (the rest are only counted). */
const MAX_ERRORS_SHOWN = 5;

function opt(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function main(): void {
  if (!polnearAvailable()) {
    console.log('eval:quotes skipped: PolNeAR not found at ../shared/data/polnear');
    return;
  }
  const splits = (opt('split') ?? 'train,dev').split(',') as Array<'train' | 'dev'>;
  const limit = Number(opt('limit') ?? Infinity);
  // QUOTES_MODEL=<file> scores a candidate model instead of data/quotes/model.json.
  const model = process.env.QUOTES_MODEL;
  const base = model ? { ...loadLexicons(), quotes: loadQuoteLexicon(dataDir(), model) } : loadLexicons();
  // QUOTES_GATE=1|0 turns the paragraph gate (cue-words.json `tagOnlyCuedParagraphs`) on or off.
  const gate = process.env.QUOTES_GATE;
  const lex = gate === undefined ? base : { ...base, quotes: { ...base.quotes, tagOnlyCuedParagraphs: gate === '1' } };
  for (const split of splits) {
    const arts = loadSplit(split, limit);
    const c = emptyCounts();
    let failed = 0;
    const t0 = performance.now();
    for (const a of arts) {
      let quotes: Quote[];
      try {
        quotes = analyze(a.text, { lexicons: lex }).quotes;
      } catch (e) {
        if (++failed <= MAX_ERRORS_SHOWN) console.error(`${a.name}: analyze failed: ${(e as Error).message}`);
        quotes = [];
      }
      scoreArticle(a.text, a.attributions, quotes, c);
    }
    const ms = performance.now() - t0;
    console.log(JSON.stringify({ split, articles: arts.length, failed, gold: c.gold, predicted: c.pred, ...scores(c), analyzeMsPerArticle: Math.round((ms / arts.length) * 10) / 10 }));
  }
}

main();
