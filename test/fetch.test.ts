// Fetching against a real local HTTP server on 127.0.0.1 (allowPrivate on, as the only way to reach
// it): timeouts, size caps, content types, redirects, conditional GET, rate limits, address checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fetchUrl, FetchError, HostRateLimiter, isPrivateAddress, MemoryValidatorCache, USER_AGENT, type FetchOptions } from '../src/ingest/fetch.js';
import { readSources, type SourceResult } from '../src/ingest/index.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BIN } from './helpers.js';

const PAGE = readFileSync(path.join(__dirname, 'fixtures/ingest/news-basic/source.html'), 'utf8');
const PAGE2 = readFileSync(path.join(__dirname, 'fixtures/ingest/headings-lists/source.html'), 'utf8');
let base = '';
const hits: Record<string, number[]> = {};
let lastUA = '';
const open = new Set<http.ServerResponse>();

const feed = () =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Local Feed</title><link>${base}/</link>` +
  `<item><title>Talks</title><link>${base}/page.html</link><pubDate>Fri, 14 Mar 2031 09:00:00 GMT</pubDate><description>short</description></item>` +
  `<item><title>Transit</title><link>${base}/page2.html</link></item>` +
  `<item><title>Gone</title><link>${base}/missing</link></item></channel></rss>`;

const server = http.createServer((req, res) => {
  const url = req.url ?? '/';
  (hits[url] ??= []).push(Date.now());
  lastUA = String(req.headers['user-agent']);
  const send = (type: string, body: string | Buffer, extra: Record<string, string> = {}) => {
    res.writeHead(200, { 'Content-Type': type, ...extra });
    res.end(body);
  };
  if (url === '/page.html' || url === '/feed.xml') {
    const etag = url === '/page.html' ? '"p1"' : '"f1"';
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304);
      return res.end();
    }
    return url === '/page.html'
      ? send('text/html; charset=utf-8', PAGE, { ETag: etag, 'Last-Modified': 'Fri, 14 Mar 2031 09:00:00 GMT' })
      : send('application/rss+xml', feed(), { ETag: etag });
  }
  if (url === '/page2.html') return send('text/html', PAGE2);
  if (url === '/lm-only') {
    const lm = 'Sat, 15 Mar 2031 10:00:00 GMT';
    if (req.headers['if-modified-since'] === lm) return res.writeHead(304).end();
    return send('text/html', PAGE2, { 'Last-Modified': lm });
  }
  if (url === '/gzip-bomb') {
    res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Encoding': 'gzip' });
    return res.end(zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20)));
  }
  if (url === '/opml') return send('text/x-opml', `<?xml version="1.0"?><opml version="2.0"><body><outline text="L" xmlUrl="${base}/feed.xml"/><outline text="Broken" xmlUrl="${base}/broken.xml"/></body></opml>`);
  if (url === '/broken.xml') return send('application/xml', '<rss><channel><item><title>x</channel>');
  if (url === '/gzip') {
    res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Encoding': 'gzip' });
    return res.end(zlib.gzipSync(PAGE));
  }
  if (url === '/hang') {
    open.add(res);
    return; // never answers
  }
  if (url === '/loop-a') return res.writeHead(302, { Location: '/loop-b' }).end();
  if (url === '/loop-b') return res.writeHead(301, { Location: '/loop-a' }).end();
  const chain = /^\/chain\/(\d+)$/.exec(url);
  if (chain) return res.writeHead(302, { Location: `/chain/${Number(chain[1]) + 1}` }).end();
  if (url === '/to-file') return res.writeHead(302, { Location: 'file:///etc/passwd' }).end();
  if (url === '/huge' || url === '/huge-declared') {
    // 50 MB, streamed in chunks; stops as soon as the client hangs up.
    res.writeHead(200, { 'Content-Type': 'text/html', ...(url === '/huge-declared' ? { 'Content-Length': String(50 * 1024 * 1024) } : {}) });
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const pump = () => {
      while (sent < 50 * 1024 * 1024 && !res.destroyed) {
        sent += chunk.length;
        if (!res.write(chunk)) return res.once('drain', pump);
      }
      res.end();
    };
    res.on('close', () => (sent = Infinity));
    return pump();
  }
  if (url === '/binary') return send('text/html', Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 131 + 7) % 256)));
  if (url === '/image') return send('image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  if (url === '/500') return res.writeHead(500).end('oops');
  res.writeHead(404).end('not found');
});

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const r of open) r.destroy();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const LOCAL: FetchOptions = { allowPrivate: true };
async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return e instanceof FetchError ? e.code : `other: ${String(e)}`;
  }
}

describe('address checks', () => {
  it('classifies private, loopback, link-local, unique-local and mapped addresses', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1',
      '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '64:ff9b::a9fe:a9fe', '2002:c0a8:0101::1'])
      expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])
      expect(isPrivateAddress(a), a).toBe(false);
  });

  it('refuses loopback URLs by default: IP literals, names that resolve to them, mapped v6', async () => {
    const port = new URL(base).port;
    expect(await code(fetchUrl(`${base}/page.html`))).toBe('private-address');
    expect(await code(fetchUrl(`http://localhost:${port}/page.html`))).toBe('private-address');
    expect(await code(fetchUrl(`http://[::1]:${port}/page.html`))).toBe('private-address');
    expect(await code(fetchUrl(`http://[::ffff:127.0.0.1]:${port}/page.html`))).toBe('private-address');
    expect(await code(fetchUrl('ftp://example.com/x'))).toBe('bad-url');
  });
});

describe('fetchUrl against a local server', () => {
  it('fetches a page with the Parley User-Agent and returns its validators', async () => {
    const r = await fetchUrl(`${base}/page.html`, { ...LOCAL, accept: 'html' });
    expect(r.status).toBe(200);
    expect(r.body.toString()).toContain('Harbour talks resume');
    expect(r.validators).toEqual({ etag: '"p1"', lastModified: 'Fri, 14 Mar 2031 09:00:00 GMT' });
    expect(lastUA).toBe(USER_AGENT);
    expect(USER_AGENT).toMatch(/^Parley\/0\.1 \(\+/);
  });

  it('decodes gzip bodies', async () => {
    expect((await fetchUrl(`${base}/gzip`, LOCAL)).body.toString()).toContain('Harbour talks resume');
  });

  it('uses conditional GET with a validator cache', async () => {
    const cache = new MemoryValidatorCache();
    const a = await fetchUrl(`${base}/page.html`, { ...LOCAL, cache });
    expect(a.notModified).toBe(false);
    const b = await fetchUrl(`${base}/page.html`, { ...LOCAL, cache });
    expect(b.notModified).toBe(true);
    expect(b.body.length).toBe(0);
  });

  it('uses Last-Modified alone when there is no ETag', async () => {
    const cache = new MemoryValidatorCache();
    expect((await fetchUrl(`${base}/lm-only`, { ...LOCAL, cache })).notModified).toBe(false);
    expect(cache.get(`${base}/lm-only`)).toEqual({ lastModified: 'Sat, 15 Mar 2031 10:00:00 GMT' });
    expect((await fetchUrl(`${base}/lm-only`, { ...LOCAL, cache })).notModified).toBe(true);
  });

  it('caps the decompressed size (a gzip bomb is too large)', async () => {
    expect(await code(fetchUrl(`${base}/gzip-bomb`, LOCAL))).toBe('too-large');
  });

  it('times out a URL that hangs', async () => {
    expect(await code(fetchUrl(`${base}/hang`, { ...LOCAL, timeoutMs: 300 }))).toBe('timeout');
  });

  it('stops a redirect loop and a redirect chain, and re-checks each hop', async () => {
    expect(await code(fetchUrl(`${base}/loop-a`, LOCAL))).toBe('redirect-loop');
    expect(await code(fetchUrl(`${base}/chain/0`, { ...LOCAL, maxRedirects: 3 }))).toBe('too-many-redirects');
    expect(await code(fetchUrl(`${base}/to-file`, LOCAL))).toBe('bad-url');
  });

  it('aborts a 50 MB page at the size cap, streamed or declared', async () => {
    expect(await code(fetchUrl(`${base}/huge`, LOCAL))).toBe('too-large');
    expect(await code(fetchUrl(`${base}/huge-declared`, LOCAL))).toBe('too-large');
  });

  it('checks content types and refuses binary served as text/html', async () => {
    expect(await code(fetchUrl(`${base}/image`, { ...LOCAL, accept: 'html' }))).toBe('content-type');
    expect(await code(fetchUrl(`${base}/binary`, { ...LOCAL, accept: 'html' }))).toBe('binary');
    expect(await code(fetchUrl(`${base}/500`, LOCAL))).toBe('http-status');
  });

  it('spaces requests to one host by the rate limit, and fetchUrl waits on it', async () => {
    const limiter = new HostRateLimiter(150);
    const t0 = Date.now();
    const [times, other] = await Promise.all([
      Promise.all([0, 1, 2].map(() => limiter.wait('a.example').then(() => Date.now() - t0))),
      limiter.wait('b.example').then(() => Date.now() - t0),
    ]);
    // Timers never fire early (5 ms slack for clock rounding); another host is not held back.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(145);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(145);
    expect(other).toBeLessThan(times[2]!);
    const waited: string[] = [];
    class Counting extends HostRateLimiter {
      override async wait(host: string): Promise<void> {
        waited.push(host);
        return super.wait(host);
      }
    }
    await fetchUrl(`${base}/loop-a`, { ...LOCAL, rateLimiter: new Counting(0) }).catch(() => undefined);
    expect(waited.length).toBeGreaterThanOrEqual(2); // every redirect hop waits its turn too
  });
});

describe('readSources over URLs', () => {
  const run = async (inputs: string[], opts = {}) => {
    const out: SourceResult[] = [];
    for await (const r of readSources(inputs, { fetch: { ...LOCAL, rateLimiter: new HostRateLimiter(0) }, ...opts })) out.push(r);
    return out;
  };

  it('reads a feed URL, fetching each item page; a bad item is an error and the rest go on', async () => {
    const rs = await run([`${base}/feed.xml`]);
    const arts = rs.flatMap((r) => ('article' in r ? [r.article] : []));
    expect(arts.map((a) => a.title)).toEqual(['Harbour talks resume in Velmora', 'What the new transit plan means for commuters']);
    expect(arts[0]!.outlet).toBe('The Coastal Ledger');
    expect(arts[1]!.text).toContain('two tram lines');
    const errs = rs.flatMap((r) => ('error' in r ? [r] : []));
    expect(errs).toHaveLength(1);
    expect(errs[0]!.error).toMatch(/HTTP 404/);
  });

  it('skips an unchanged feed on the second poll (conditional GET)', async () => {
    const cache = new MemoryValidatorCache();
    const first = await run([`${base}/feed.xml`], { fetch: { ...LOCAL, cache, rateLimiter: new HostRateLimiter(0) }, fetchItemPages: false });
    expect(first.filter((r) => 'article' in r).length).toBeGreaterThan(0);
    const second = await run([`${base}/feed.xml`], { fetch: { ...LOCAL, cache, rateLimiter: new HostRateLimiter(0) }, fetchItemPages: false });
    expect(second).toEqual([]);
  });

  it('reads an OPML list of feeds; a broken feed is one error', async () => {
    const rs = await run([`${base}/opml`]);
    expect(rs.filter((r) => 'article' in r).length).toBe(2);
    expect(rs.filter((r) => 'error' in r).map((r) => 'error' in r && r.error)).toEqual([expect.stringMatching(/HTTP 404/), expect.stringMatching(/broken feed XML/)]);
  });

  it('turns every bad URL into one error and goes on', async () => {
    const rs = await run([`${base}/huge`, `${base}/hang`, `${base}/loop-a`, `${base}/binary`, `${base}/page.html`], { fetch: { ...LOCAL, timeoutMs: 2000, maxBytes: 1024 * 1024, rateLimiter: new HostRateLimiter(0) } });
    expect(rs.map((r) => ('error' in r ? r.error.replace(/^.*: /, '') : 'article'))).toEqual([
      expect.stringMatching(/over the \d+-byte limit/),
      'no complete response in time',
      expect.stringMatching(/redirect loop/),
      expect.stringMatching(/binary/),
      'article',
    ]);
    const priv = [];
    for await (const r of readSources([`${base}/page.html`])) priv.push(r);
    expect(priv).toEqual([{ error: expect.stringMatching(/refusing private address 127\.0\.0\.1/), source: `${base}/page.html` }]);
  });
});

describe('parley extract URL', () => {
  const run = (args: string[]) =>
    promisify(execFile)(BIN, args, { timeout: 60_000 }).then(
      (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
    );
  it('fetches and extracts a page (with --allow-private for the local server), refuses it without', async () => {
    const ok = await run(['extract', `${base}/page.html`, '--allow-private']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out).title).toBe('Harbour talks resume in Velmora');
    const refused = await run(['extract', `${base}/page.html`]);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/^parley: .*refusing private address 127\.0\.0\.1\n$/);
  });
});

