// Bytes → text for ingest: BOM and charset sniffing (HTTP header, <meta>), strict UTF-8 for plain
// text files, and a browser-like windows-1252 fallback for HTML that is not valid UTF-8.

/** How far into an HTML document a <meta charset> declaration is looked for (the HTML spec uses 1024). */
export const CHARSET_SNIFF_BYTES = 4096;
/** Share of NUL / control bytes above which a payload is treated as binary, not text. */
export const MAX_BINARY_BYTE_SHARE = 0.02;
/** How many leading bytes the binary check reads. */
export const BINARY_SNIFF_BYTES = 8192;

export class DecodeError extends Error {}

/** True when the leading bytes look like a binary file (images, archives, PDFs…), not text. */
export function looksBinary(buf: Uint8Array): boolean {
  const n = Math.min(buf.length, BINARY_SNIFF_BYTES);
  if (n === 0) return false;
  // Magic numbers of common binaries that may be served as text/html.
  const head = Buffer.from(buf.subarray(0, 8)).toString('latin1');
  if (/^(%PDF|PK\x03\x04|\x89PNG|GIF8|\xff\xd8\xff|\x1f\x8b|BZh|\x7fELF|MZ)/.test(head)) return true;
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const b = buf[i]!;
    if (b === 0 || (b < 8) || (b > 13 && b < 32 && b !== 27)) bad++;
  }
  return bad / n > MAX_BINARY_BYTE_SHARE;
}

/**
 * The same test for text already decoded (a JSON "html" string): control characters and U+FFFD
 * (what binary bytes become when decoded as UTF-8) above the binary share.
 */
export function looksBinaryText(s: string): boolean {
  const n = Math.min(s.length, BINARY_SNIFF_BYTES);
  if (n === 0) return false;
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 0xfffd || c < 8 || (c > 13 && c < 32 && c !== 27)) bad++;
  }
  return bad / n > MAX_BINARY_BYTE_SHARE;
}

function bomEncoding(buf: Uint8Array): { enc: string; skip: number } | null {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { enc: 'utf-8', skip: 3 };
  if (buf[0] === 0xff && buf[1] === 0xfe) return { enc: 'utf-16le', skip: 2 };
  if (buf[0] === 0xfe && buf[1] === 0xff) return { enc: 'utf-16be', skip: 2 };
  return null;
}

/** Charset named in a Content-Type header value, if any. */
export function charsetFromContentType(ct: string | null | undefined): string | undefined {
  const m = ct ? /charset\s*=\s*["']?([\w.:-]+)/i.exec(ct) : null;
  return m ? m[1]!.toLowerCase() : undefined;
}

function supported(enc: string): string | undefined {
  try {
    return new TextDecoder(enc).encoding;
  } catch {
    return undefined;
  }
}

/** Decode a plain-text payload (.txt, .md, .json): UTF-8 (BOM honoured) and nothing else; invalid bytes are an error. */
export function decodeUtf8Strict(buf: Uint8Array): string {
  const bom = bomEncoding(buf);
  if (bom && bom.enc !== 'utf-8') return new TextDecoder(bom.enc).decode(buf.subarray(bom.skip));
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buf);
  } catch {
    throw new DecodeError('invalid UTF-8');
  }
}

/**
 * Decode an HTML (or XML) payload as a browser would: BOM, then the transport charset, then a
 * <meta charset> / XML declaration near the top, then UTF-8 if valid, else windows-1252.
 */
export function decodeMarkup(buf: Uint8Array, contentType?: string | null): string {
  const bom = bomEncoding(buf);
  if (bom) return new TextDecoder(bom.enc).decode(buf.subarray(bom.skip));
  let enc = supported(charsetFromContentType(contentType) ?? '');
  if (!enc) {
    const head = Buffer.from(buf.subarray(0, CHARSET_SNIFF_BYTES)).toString('latin1');
    const m =
      /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head) ?? /<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)/i.exec(head);
    if (m) enc = supported(m[1]!);
  }
  // A page that claims a UTF-16 charset in ASCII markup is lying (the spec says treat it as UTF-8).
  if (enc && enc.startsWith('utf-16')) enc = 'utf-8';
  if (enc && enc !== 'utf-8') return new TextDecoder(enc).decode(buf);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return new TextDecoder(enc === 'utf-8' ? 'utf-8' : 'windows-1252').decode(buf);
  }
}
