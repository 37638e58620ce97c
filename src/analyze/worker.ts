// Worker thread body for AnalyzePool: analyses texts off the main thread. Lexicons load once per worker.
import { parentPort } from 'node:worker_threads';
import { analyze } from './index.js';
import { checkText } from './input.js';
import type { PoolJob, PoolResult } from './pool.js';

parentPort!.on('message', (job: PoolJob) => {
  let res: PoolResult;
  try {
    const text = checkText(job.text, job.what ?? 'text');
    const a = analyze(text, job.published ? { published: job.published } : {});
    if (a.language !== 'en') throw new Error(`the language looks like "${a.language}"; Parley analyses English only`);
    res = job.json ? { seq: job.seq, json: JSON.stringify(job.id !== undefined ? { ...a, id: job.id } : a) } : { seq: job.seq, analysis: a };
  } catch (err) {
    res = { seq: job.seq, error: err instanceof Error ? err.message.split('\n')[0]! : String(err) };
  }
  parentPort!.postMessage(res);
});
