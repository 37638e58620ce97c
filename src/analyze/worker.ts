// Worker thread body for AnalyzePool (`analyze --jsonl`). Lexicons load once per worker. Each message
// is a piece of input (LinesJob): raw UTF-8 bytes of whole lines, which the worker decodes, parses,
// checks, analyses and serialises, so the main thread only cuts stdin into pieces and writes the answers.
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeBatch, type BatchItem } from './index.js';
import { checkText, jsonlErrorLine, parseJsonlLine, splitJsonlLines } from './input.js';
import type { Analysis } from './types.js';
import type { LinesJob, LinesResult } from './pool.js';
import { adoptSharedQuoteTable } from './quotes/lexicon.js';

// The quote tagger's table, packed once by the parent thread (pool.ts: analysisWorkerData).
adoptSharedQuoteTable((workerData as { quoteTable?: unknown } | null)?.quoteTable);

/** One encoder for every answer. */
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

/** Reused space the answers are encoded into (grown when a piece needs more, up to MAX_SCRATCH). */
const MAX_SCRATCH = 16 << 20;
let scratch = new Uint8Array(1 << 20);

/**
 * The UTF-8 bytes of `parts`, each followed by a newline: the same bytes as encoding
 * parts.join('\n') + '\n', at a fifth of the cost. Joining first builds one big string (most
 * answers hold a ’ or é, so it is two bytes a character) only to walk it again to encode it;
 * encodeInto writes each answer straight into reused space, and one copy cuts the result out
 * (it gets a buffer of its own, as it is transferred to the main thread).
 */
function encodeLines(parts: string[]): Uint8Array {
  // A UTF-16 code unit takes at most 3 bytes in UTF-8 (a surrogate pair: 4 bytes for 2 units).
  let bound = 0;
  for (const p of parts) bound += p.length * 3 + 1;
  // A rare huge piece gets space of its own, so a worker does not keep tens of MB for good.
  if (scratch.length < bound && bound <= MAX_SCRATCH) scratch = new Uint8Array(Math.max(bound, Math.min(MAX_SCRATCH, scratch.length * 2)));
  const into = scratch.length >= bound ? scratch : new Uint8Array(bound);
  let at = 0;
  for (const p of parts) {
    at += ENCODER.encodeInto(p, into.subarray(at)).written;
    into[at++] = 10; // '\n'
  }
  return into.slice(0, at);
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
    return { seq: job.seq, lines: lines.length, bytes: encodeLines(parts) };
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
