// Worker-thread body for ExtractPool: runs extractArticle on each message and posts the result.
import { parentPort } from 'node:worker_threads';
import { extractArticle } from './extract.js';

interface Job {
  seq: number;
  html: string;
  url?: string;
}

parentPort?.on('message', (job: Job) => {
  try {
    parentPort!.postMessage({ seq: job.seq, result: extractArticle(job.html, { url: job.url }) });
  } catch (e) {
    parentPort!.postMessage({ seq: job.seq, error: e instanceof Error ? e.message.split('\n')[0] : String(e) });
  }
});
