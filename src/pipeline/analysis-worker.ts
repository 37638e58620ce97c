// Worker thread body for the pipeline's analysis pool: analyses one article and sends back only what
// the writer needs, already prepared — the analysis as the store keeps it (its JSON and attribution
// rows) and the story digest (clustering features, first headline). The writer's thread then
// never receives a structured clone of the Analysis, never serialises it, and never extracts
// features: all of that runs here, in parallel, next to the analysis that is still in hand.
import { parentPort, workerData } from 'node:worker_threads';
import { analyze } from '../analyze/index.js';
import { checkText } from '../analyze/input.js';
import { dataDir, loadLexicons } from '../analyze/lexicons.js';
import { loadStoryLexicon } from '../stories/features.js';
import { adoptSharedQuoteTable } from '../analyze/quotes/lexicon.js';
import { analysisResult, type AnalysisJob, type AnalysisReply } from './analyzer.js';

// The quote tagger's table, packed once by the parent thread (analyzer.ts: poolAnalyzer).
adoptSharedQuoteTable((workerData as { quoteTable?: unknown } | null)?.quoteTable);
const lexicons = loadLexicons();
const storyLexicon = loadStoryLexicon(dataDir());

parentPort!.on('message', (job: AnalysisJob) => {
  let reply: AnalysisReply;
  try {
    const text = checkText(job.text, 'text');
    const a = analyze(text, { lexicons, ...(job.published ? { published: job.published } : {}) });
    reply = { seq: job.seq, ...analysisResult(a, job.article, storyLexicon) };
  } catch (err) {
    reply = { seq: job.seq, error: err instanceof Error ? err.message.split('\n')[0]! : String(err) };
  }
  parentPort!.postMessage(reply);
});
