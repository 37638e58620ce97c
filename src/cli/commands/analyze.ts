// `parley analyze FILE|- [--published D] [--format json|md]` and `parley analyze --jsonl`
// (CONTRACT §1–2). The batch mode spreads work over worker threads and keeps input order.
import type { Command } from 'commander';
import { readFileSync, statSync } from 'node:fs';
import { analyze } from '../../analyze/index.js';
import { checkPublished, decodeText, InputError, jsonlErrorLine, MAX_TEXT_BYTES, parseJsonlLine, splitJsonlLines } from '../../analyze/input.js';
import { formatMarkdown } from '../../analyze/format-md.js';
import { AnalyzePool, defaultPoolSize, type LinesResult } from '../../analyze/pool.js';
import { UserError } from '../errors.js';

/**
 * Batch mode cuts stdin into pieces of whole lines of about this many bytes (a few articles): a
 * worker gets one piece per message, so messages are few and cheap and the load stays balanced.
 */
export const PIECE_BYTES = Number(process.env.PARLEY_PIECE_KB ?? 128) * 1024;
/** Pieces in flight per worker: enough to keep cores busy, few enough to keep memory flat. */
export const PIECES_PER_WORKER = 2;

/** Accepts YYYY-MM-DD or an ISO date-time; returns the date part. */
export { checkPublished } from '../../analyze/input.js';

function readInput(file: string): string {
  if (file === '-') {
    let buf: Buffer;
    try {
      buf = readFileSync(0);
    } catch (e) {
      throw new UserError(`cannot read standard input: ${(e as Error).message}`);
    }
    return decodeText(buf, 'standard input');
  }
  let st;
  try {
    st = statSync(file);
  } catch {
    throw new UserError(`${file}: no such file`);
  }
  if (st.isDirectory()) throw new UserError(`${file} is a directory, not a file`);
  // Refuse before reading, so a huge file costs nothing.
  if (st.size > MAX_TEXT_BYTES) throw new UserError(`${file} is too large (${(st.size / 1048576).toFixed(1)} MB; the limit is ${MAX_TEXT_BYTES / 1048576} MB)`);
  return decodeText(readFileSync(file), file);
}

/**
 * `analyze --jsonl` (CONTRACT §2). The main thread does as little as it can: it cuts stdin into
 * pieces of whole lines (bytes, never decoded here), hands each piece to a worker, and writes the
 * workers' encoded answers in input order. Workers decode, parse, check, analyse and serialise.
 */
async function runJsonl(): Promise<void> {
  const size = defaultPoolSize();
  const pool = new AnalyzePool(size);
  const window = PIECES_PER_WORKER * size;
  const queue: Array<{ bytes: Uint8Array; answer: Promise<LinesResult> }> = [];
  const out = process.stdout;
  let linesBefore = 0;
  const flushOne = async (): Promise<void> => {
    const { bytes, answer } = queue.shift()!;
    let r: LinesResult;
    try {
      r = await answer;
    } catch (e) {
      r = { seq: -1, lines: -1, error: (e as Error).message };
    }
    const [chunk, lines] = r.lines < 0 ? answerFailedPiece(bytes, r.error ?? 'analysis failed', linesBefore) : renderPiece(r, linesBefore);
    linesBefore += lines;
    if (!out.write(chunk)) await new Promise((res) => out.once('drain', res));
  };
  /** Pieces sent and not yet answered: fewer than workers means a worker sits idle. */
  let inFlight = 0;
  const settled = (): void => {
    inFlight--;
  };
  // The writer writes answers as soon as they are ready, in input order, while the reader below
  // goes on reading: a live pipe gets each answer without waiting for more input.
  let ended = false;
  let failed: unknown = null;
  /** Wakes the writer when a piece is queued or the input ends. */
  let wakeWriter: (() => void) | null = null;
  /** Wakes the reader when the window has room again (or the writer failed). */
  let wakeReader: (() => void) | null = null;
  const wake = (w: (() => void) | null): null => {
    w?.();
    return null;
  };
  const writer = (async (): Promise<void> => {
    try {
      for (;;) {
        if (queue.length > 0) await flushOne();
        else if (ended) return;
        else await new Promise<void>((r) => (wakeWriter = r));
        wakeReader = wake(wakeReader);
      }
    } catch (e) {
      failed = e;
      wakeReader = wake(wakeReader);
    }
  })();
  const send = async (bytes: Uint8Array): Promise<void> => {
    inFlight++;
    const answer = pool.runLines(bytes);
    answer.then(settled, settled);
    queue.push({ bytes, answer });
    wakeWriter = wake(wakeWriter);
    while (queue.length >= window && failed === null) await new Promise<void>((r) => (wakeReader = r));
    if (failed !== null) throw failed;
  };
  // Collect stdin chunks until a piece of at least PIECE_BYTES ends at a newline; the rest of the
  // chunk starts the next piece. Only the new chunk is searched, so a huge line costs no rescans.
  let parts: Uint8Array[] = [];
  let size0 = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    let off = 0;
    /** Where this chunk's unsent rest begins, or -1 when it was all sent. */
    let rest = -1;
    while (off < chunk.length) {
      const nl = chunk.indexOf(10, off + Math.max(0, PIECE_BYTES - size0 - 1));
      if (nl < 0) {
        parts.push(chunk.subarray(off));
        size0 += chunk.length - off;
        rest = off;
        break;
      }
      parts.push(chunk.subarray(off, nl + 1));
      size0 += nl + 1 - off;
      off = nl + 1;
      await send(joinBytes(parts, size0));
      parts = [];
      size0 = 0;
    }
    // A worker is idle: hand it the whole lines gathered so far instead of waiting for a full
    // piece. Slow input (a live feed, a pipe fed line by line) is then answered line by line, and
    // a short batch, or the start of a long one, is spread over all workers at once; under a fast
    // stream every worker stays busy and pieces grow to full size. (Only this chunk is searched
    // for the newline: earlier parts hold none that an idle worker was not offered already.)
    if (rest >= 0 && inFlight < size) {
      const nl = chunk.lastIndexOf(10);
      if (nl >= rest) {
        const tail = chunk.length - nl - 1;
        parts[parts.length - 1] = chunk.subarray(rest, nl + 1);
        await send(joinBytes(parts, size0 - tail));
        parts = tail > 0 ? [chunk.subarray(nl + 1)] : [];
        size0 = tail;
      }
    }
  }
  if (size0 > 0) await send(joinBytes(parts, size0));
  ended = true;
  wakeWriter = wake(wakeWriter);
  await writer;
  await pool.close();
  if (failed !== null) throw failed;
}

function joinBytes(parts: Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return Uint8Array.prototype.slice.call(parts[0]!) as Uint8Array;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A worker's answers to a piece, with line numbers filled in where the errors need them. */
function renderPiece(r: LinesResult, linesBefore: number): [Uint8Array | string, number] {
  if (r.bytes) return [r.bytes, r.lines];
  const lines = r.parts!.map((p) => (typeof p === 'string' ? p : jsonlErrorLine({ id: null, error: p[1], lineError: true }, linesBefore + p[0] + 1)));
  return [lines.join('\n') + '\n', r.lines];
}

/** The worker holding a piece died: every line still gets an answer, the failure for the ones it would have analysed. */
function answerFailedPiece(bytes: Uint8Array, error: string, linesBefore: number): [string, number] {
  const lines = splitJsonlLines(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  const out = lines.map((raw, i) => {
    const l = parseJsonlLine(raw);
    return 'job' in l ? JSON.stringify({ id: l.job.id, error }) : jsonlErrorLine(l, linesBefore + i + 1);
  });
  return [out.length ? out.join('\n') + '\n' : '', lines.length];
}

export function register(program: Command): void {
  program
    .command('analyze')
    .description('analyse an article: actors, quotes, events, positions (FILE, "-" for stdin, or --jsonl)')
    .argument('[file]', 'a UTF-8 text file, or - for standard input')
    .option('--published <date>', 'publication date YYYY-MM-DD, to resolve "on Tuesday", "this week"')
    .option('--format <format>', 'json or md', 'json')
    .option('--tokens', 'include the wink-nlp tokens (offsets and POS) in the JSON')
    .option('--jsonl', 'batch mode: JSON lines {"id","text","published"?,"title"?} on stdin, one analysis line out per line in')
    .action(async (file: string | undefined, opts: { published?: string; format: string; jsonl?: boolean; tokens?: boolean }) => {
      try {
        if (opts.jsonl) {
          if (file) throw new UserError('--jsonl reads standard input; give no FILE');
          await runJsonl();
          return;
        }
        if (!file) throw new UserError('analyze needs a FILE (or - for standard input, or --jsonl)');
        if (opts.format !== 'json' && opts.format !== 'md') throw new UserError(`--format must be json or md, not "${opts.format}"`);
        const published = checkPublished(opts.published);
        const text = readInput(file);
        const a = analyze(text, { ...(published ? { published } : {}), tokens: !!opts.tokens });
        if (a.language !== 'en') throw new UserError(`${file === '-' ? 'standard input' : file}: the language looks like "${a.language}"; Parley analyses English only`);
        process.stdout.write(opts.format === 'md' ? formatMarkdown(a) + '\n' : JSON.stringify(a) + '\n');
      } catch (e) {
        if (e instanceof InputError) throw new UserError(e.message);
        throw e;
      }
    });
}
