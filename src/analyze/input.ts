// Checks on text before analysis: size, binary content, UTF-8 validity. Each failure is a
// one-line message a user can act on; the caller decides whether it is an exit or a per-line error.

/** Largest text analysed (bytes). A news article is rarely over 200 KB; 50 MB is not an article. */
export const MAX_TEXT_BYTES = 5 * 1024 * 1024;
/** Share of control characters above which a text is treated as binary. */
export const MAX_CONTROL_SHARE = 0.01;

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

function mb(n: number): string {
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Decode bytes as strict UTF-8 (a BOM is kept, as the contract says the text is unchanged). */
export function decodeText(bytes: Uint8Array, what: string, maxBytes = MAX_TEXT_BYTES): string {
  if (bytes.length > maxBytes) throw new InputError(`${what} is too large (${mb(bytes.length)}; the limit is ${mb(maxBytes)})`);
  if (bytes.length === 0) throw new InputError(`${what} is empty`);
  const sample = bytes.subarray(0, Math.min(bytes.length, 65536));
  if (sample.includes(0)) throw new InputError(`${what} looks binary (it contains NUL bytes), not text`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new InputError(`${what} is not valid UTF-8 text`);
  }
  return checkText(text, what, maxBytes);
}

const NON_SPACE = /\S/;
/** A character the binary test below counts (control characters other than tab, line feed, form feed, carriage return; U+FFFD). */
const CONTROL_CHAR = /[\x00-\x08\x0b\x0e-\x1f\ufffd]/;

/** Checks that apply to text that is already a string (from JSON lines). */
export function checkText(text: string, what: string, maxBytes = MAX_TEXT_BYTES): string {
  if (text.length * 1 > maxBytes) throw new InputError(`${what} is too large (${mb(text.length)}; the limit is ${mb(maxBytes)})`);
  // /\S/ finds what trim() would keep (the same whitespace and line terminators), without copying the text.
  if (!NON_SPACE.test(text)) throw new InputError(`${what} is empty`);
  let control = 0;
  const n = Math.min(text.length, 65536);
  // The count starts at the first such character: a regex finds it (or its absence, in nearly every
  // text) faster than a loop reads every character.
  const first = text.search(CONTROL_CHAR);
  for (let i = first < 0 ? n : first; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0xfffd) control++;
  }
  if (control / n > MAX_CONTROL_SHARE) throw new InputError(`${what} looks binary (${control} control characters in the first ${n}), not text`);
  return text;
}

/** Accepts YYYY-MM-DD or an ISO date-time; returns the date part. */
export function checkPublished(v: unknown, what = '--published'): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new InputError(`${what} must be a date string YYYY-MM-DD`);
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(v);
  if (!m) throw new InputError(`${what} must be a date YYYY-MM-DD, got "${v.slice(0, 40)}"`);
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
  if (d.getUTCMonth() !== +m[2]! - 1 || d.getUTCDate() !== +m[3]!) throw new InputError(`${what} is not a real date: "${v.slice(0, 40)}"`);
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** One line of `analyze --jsonl` input (CONTRACT §2), checked: a job to analyse, or the error line to answer. */
export type JsonlLine =
  | { job: { id: unknown; text: string; published?: string; title: string } }
  /** `lineError`: the error names the line ("line N: …"), as the line has no usable id. */
  | { id: unknown; error: string; lineError?: boolean };

/** Parse and check one input line of `analyze --jsonl` (everything but the analysis itself). */
export function parseJsonlLine(raw: string): JsonlLine {
  if (raw.trim() === '') return { id: null, error: 'empty line', lineError: true };
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(raw);
  } catch {
    return { id: null, error: 'invalid JSON', lineError: true };
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return { id: null, error: 'expected a JSON object', lineError: true };
  const id = obj.id ?? null;
  if (typeof obj.text !== 'string') return { id, error: '"text" must be a string' };
  let published: string | undefined;
  try {
    published = checkPublished(obj.published, '"published"');
  } catch (e) {
    return { id, error: (e as Error).message };
  }
  const title = typeof obj.title === 'string' ? obj.title.trim() : '';
  return { job: { id, text: obj.text, ...(published ? { published } : {}), title } };
}

/** The output line for an error (no trailing newline). `lineNo` names lines that have no id. */
export function jsonlErrorLine(l: { id: unknown; error: string; lineError?: boolean }, lineNo: number): string {
  return JSON.stringify({ id: l.id, error: l.lineError ? `line ${lineNo}: ${l.error}` : l.error });
}

/**
 * Split a piece of `--jsonl` input into lines as node's readline does (a line ends at \r\n, \n or
 * a lone \r; a break at the very end opens no further line).
 */
export function splitJsonlLines(text: string): string[] {
  // Without a carriage return, a line ends at \n only, and a plain string split is much cheaper.
  const lines = text.indexOf('\r') < 0 ? text.split('\n') : text.split(/\r\n|\n|\r/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
