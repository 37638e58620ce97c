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

/** Checks that apply to text that is already a string (from JSON lines). */
export function checkText(text: string, what: string, maxBytes = MAX_TEXT_BYTES): string {
  if (text.length * 1 > maxBytes) throw new InputError(`${what} is too large (${mb(text.length)}; the limit is ${mb(maxBytes)})`);
  if (text.trim() === '') throw new InputError(`${what} is empty`);
  let control = 0;
  const n = Math.min(text.length, 65536);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0xfffd) control++;
  }
  if (control / n > MAX_CONTROL_SHARE) throw new InputError(`${what} looks binary (${control} control characters in the first ${n}), not text`);
  return text;
}
