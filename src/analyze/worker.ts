// Worker thread body for AnalyzePool: analyses texts off the main thread. Lexicons load once per worker.
// Two kinds of message: one text (PoolJob, for the pipeline), or a piece of `analyze --jsonl`
// input (LinesJob): raw UTF-8 bytes of whole lines, which the worker decodes, parses, checks,
// analyses and serialises, so the main thread only cuts stdin into pieces and writes the answers.
import { parentPort } from 'node:worker_threads';
import { analyze } from './index.js';
import { checkText, jsonlErrorLine, parseJsonlLine, splitJsonlLines } from './input.js';
import type { Analysis } from './types.js';
import type { LinesJob, LinesResult, PoolJob, PoolResult } from './pool.js';

function firstLine(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}

/** Analyse a checked text; non-English text is an error (CONTRACT: English only). */
function analyseText(text: string, published: string | undefined, what: string): Analysis {
  const a = analyze(checkText(text, what), published ? { published } : {});
  if (a.language !== 'en') throw new Error(`the language looks like "${a.language}"; Parley analyses English only`);
  return a;
}

/** The output line for one input line of `analyze --jsonl`, or the line-numbered error to format. */
function answerLine(raw: string): string | { error: string } {
  const l = parseJsonlLine(raw);
  if (!('job' in l)) return l.lineError ? { error: l.error } : jsonlErrorLine(l, 0);
  const { id, text, published, title } = l.job;
  try {
    const a = analyseText(text, published, '"text"');
    const out = { ...a, id };
    // The title, when given and not already a headline line, leads the headlines (offsets are untouched).
    if (title && !a.headlines.includes(title)) out.headlines = [title, ...a.headlines];
    return JSON.stringify(out);
  } catch (err) {
    return JSON.stringify({ id, error: firstLine(err) });
  }
}

function runLines(job: LinesJob): LinesResult {
  const text = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength).toString('utf8');
  const lines = splitJsonlLines(text);
  const parts = lines.map(answerLine);
  if (parts.every((p): p is string => typeof p === 'string')) {
    // Encoded here, so the main thread writes bytes and copies nothing.
    return { seq: job.seq, lines: lines.length, bytes: new TextEncoder().encode(parts.join('\n') + '\n') };
  }
  // Errors that name their line: the main thread knows the line numbers, it formats them.
  return { seq: job.seq, lines: lines.length, parts: parts.map((p, i) => (typeof p === 'string' ? p : [i, p.error] as [number, string])) };
}

parentPort!.on('message', (msg: PoolJob | LinesJob) => {
  if ('bytes' in msg) {
    let res: LinesResult;
    try {
      res = runLines(msg);
    } catch (err) {
      res = { seq: msg.seq, lines: -1, error: firstLine(err) };
    }
    parentPort!.postMessage(res, res.bytes ? [res.bytes.buffer as ArrayBuffer] : []);
    return;
  }
  const job = msg;
  let res: PoolResult;
  try {
    const a = analyseText(job.text, job.published, job.what ?? 'text');
    res = job.json ? { seq: job.seq, json: JSON.stringify(job.id !== undefined ? { ...a, id: job.id } : a) } : { seq: job.seq, analysis: a };
  } catch (err) {
    res = { seq: job.seq, error: firstLine(err) };
  }
  parentPort!.postMessage(res);
});
