// Worker thread body for AnalyzePool (`analyze --jsonl`). Lexicons load once per worker. Each message
// is a piece of input (LinesJob): raw UTF-8 bytes of whole lines, which the worker decodes, parses,
// checks, analyses and serialises, so the main thread only cuts stdin into pieces and writes the answers.
import { parentPort } from 'node:worker_threads';
import { analyzeBatch, type BatchItem } from './index.js';
import { checkText, jsonlErrorLine, parseJsonlLine, splitJsonlLines } from './input.js';
import type { Analysis } from './types.js';
import type { LinesJob, LinesResult } from './pool.js';

/** One encoder for every answer (encode() gives each answer a buffer of its own, which is transferred). */
const ENCODER = new TextEncoder();

function firstLine(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}

/** Non-English text is an error (CONTRACT: English only); the message, or null for English. */
function notEnglish(a: Analysis): string | null {
  return a.language === 'en' ? null : `the language looks like "${a.language}"; Parley analyses English only`;
}

/** The answer to one analysed text: its JSON line (an error line when it failed or is not English). */
function answerText(a: Analysis | Error, id: unknown, title: string | undefined): string {
  if (a instanceof Error) return JSON.stringify({ id, error: firstLine(a) });
  const bad = notEnglish(a);
  if (bad) return JSON.stringify({ id, error: bad });
  // The line's id replaces the text id in place (same key, same place in the JSON), rather than in
  // a copy of the whole analysis: the analysis is not used after its answer is written.
  const out = a as Omit<Analysis, 'id'> & { id: unknown };
  out.id = id;
  // The title, when given and not already a headline line, leads the headlines (offsets are untouched).
  if (title && !a.headlines.includes(title)) out.headlines = [title, ...a.headlines];
  return JSON.stringify(out);
}

/**
 * Answer a piece of `analyze --jsonl` input. Lines are parsed and checked first; the texts that pass
 * are analysed together, stage by stage (analyzeBatch), and each answer goes back in its line's place.
 */
function runLines(job: LinesJob): LinesResult {
  const text = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength).toString('utf8');
  const lines = splitJsonlLines(text);
  const parts: Array<string | { error: string }> = new Array(lines.length);
  const batch: Array<{ at: number; id: unknown; title: string | undefined; item: BatchItem }> = [];
  for (const [i, raw] of lines.entries()) {
    const l = parseJsonlLine(raw);
    if (!('job' in l)) {
      parts[i] = l.lineError ? { error: l.error } : jsonlErrorLine(l, 0);
      continue;
    }
    const { id, text: t, published, title } = l.job;
    try {
      batch.push({ at: i, id, title, item: { text: checkText(t, '"text"'), ...(published ? { published } : {}) } });
    } catch (err) {
      parts[i] = JSON.stringify({ id, error: firstLine(err) });
    }
  }
  const results = analyzeBatch(batch.map((b) => b.item));
  for (const [k, b] of batch.entries()) parts[b.at] = answerText(results[k]!, b.id, b.title);
  if (parts.every((p): p is string => typeof p === 'string')) {
    // Encoded here, so the main thread writes bytes and copies nothing.
    return { seq: job.seq, lines: lines.length, bytes: ENCODER.encode(parts.join('\n') + '\n') };
  }
  // Errors that name their line: the main thread knows the line numbers, it formats them.
  return { seq: job.seq, lines: lines.length, parts: parts.map((p, i) => (typeof p === 'string' ? p : [i, p.error] as [number, string])) };
}

parentPort!.on('message', (msg: LinesJob) => {
  let res: LinesResult;
  try {
    res = runLines(msg);
  } catch (err) {
    res = { seq: msg.seq, lines: -1, error: firstLine(err) };
  }
  parentPort!.postMessage(res, res.bytes ? [res.bytes.buffer as ArrayBuffer] : []);
});
