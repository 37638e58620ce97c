// Bytes → text (charsets, BOMs, invalid UTF-8, binary sniffing) and page metadata (meta tags, JSON-LD).
import { describe, expect, it } from 'vitest';
import { decodeMarkup, decodeUtf8Strict, looksBinary, looksBinaryText } from '../src/ingest/decode.js';
import { normaliseDate, readMeta } from '../src/ingest/meta.js';
import { parseDocument, markupDepth } from '../src/ingest/extract.js';

describe('decode', () => {
  it('follows the transport charset, then <meta charset>, then UTF-8, else windows-1252', () => {
    const latin = Buffer.from('<p>caf\u00e9</p>', 'latin1');
    expect(decodeMarkup(latin, 'text/html; charset=ISO-8859-1')).toBe('<p>café</p>');
    expect(decodeMarkup(Buffer.concat([Buffer.from('<meta charset="windows-1252">'), latin]))).toContain('café');
    expect(decodeMarkup(Buffer.from('<p>café</p>', 'utf8'))).toBe('<p>café</p>');
    expect(decodeMarkup(latin)).toBe('<p>café</p>'); // not valid UTF-8, no charset: windows-1252
    expect(decodeMarkup(Buffer.from([0xef, 0xbb, 0xbf, 0x3c, 0x70, 0x3e]))).toBe('<p>');
    expect(decodeMarkup(Buffer.from('\ufeff<p>x</p>', 'utf16le'))).toBe('<p>x</p>');
  });

  it('rejects invalid UTF-8 in plain text files', () => {
    expect(decodeUtf8Strict(Buffer.from('ok ✓'))).toBe('ok ✓');
    expect(() => decodeUtf8Strict(Buffer.from([0x61, 0xc3, 0x28]))).toThrow('invalid UTF-8');
  });

  it('tells binary from text, in bytes and in decoded strings', () => {
    expect(looksBinary(Buffer.from('%PDF-1.7 ...'))).toBe(true);
    expect(looksBinary(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    expect(looksBinary(Buffer.from('<html><body>日本語の文章</body></html>'))).toBe(false);
    expect(looksBinaryText('日本語の文章、です。'.repeat(100))).toBe(false);
    expect(looksBinaryText('\u0001\u0002\u0003abc'.repeat(100))).toBe(true);
  });
});

describe('page metadata', () => {
  it('reads JSON-LD @graph articles, then meta tags, and normalises dates', () => {
    const doc = parseDocument(`<html lang="pt-BR"><head>
      <script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Site"},{"@type":["NewsArticle"],"headline":"Título","author":[{"@type":"Person","name":"Ana"},{"@type":"Person","name":"Rui"}],"datePublished":"2031-02-03T04:05:06-03:00","publisher":{"name":"Jornal"},"articleBody":"Corpo."}]}</script>
      <script type="application/ld+json">{broken</script>
      <meta property="og:title" content="OG title"><link rel="canonical" href="/a/b"></head><body></body></html>`);
    const m = readMeta(doc as never, 'https://jornal.example/x');
    expect(m).toMatchObject({ title: 'Título', byline: 'Ana, Rui', published: '2031-02-03T07:05:06.000Z', siteName: 'Jornal', jsonLdBody: 'Corpo.', canonicalUrl: 'https://jornal.example/a/b', language: 'pt' });
  });

  it('falls back to meta tags and <time>', () => {
    const doc = parseDocument(`<html><head><title>T</title><meta name="author" content="Bo"><meta name="date" content="2030-01-02"></head><body><article><time datetime="2029-01-01">x</time></article></body></html>`);
    expect(readMeta(doc as never)).toMatchObject({ title: 'T', byline: 'Bo', published: '2030-01-02' });
    expect(normaliseDate('not a date')).toBeUndefined();
    expect(normaliseDate('Mon, 03 Mar 2031 10:00:00 GMT')).toBe('2031-03-03T10:00:00.000Z');
  });

  it('measures markup nesting without parsing, ignoring void and optional-end tags and scripts', () => {
    expect(markupDepth('<div><div><p>a<p>b<br><img src=x></div></div>')).toBe(2);
    expect(markupDepth('<script>"<div><div><div>"</script><div></div>')).toBe(1);
  });
});
