// `parley watch`: polls a feed (served from a local HTTP server) with conditional GET, ingests new
// items as they appear, and stops cleanly on SIGINT.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore, SqliteStore } from '../src/store/index.js';

const ROOT = path.resolve(__dirname, '..');
const MAIN = path.join(ROOT, 'dist/src/cli/main.js');
const TIMEOUT_MS = 180_000;

/** A feed item long enough (over the full-content threshold) that no page fetch is needed. */
function item(i: number): string {
  const body = Array.from({ length: 12 }, (_, k) => `<p>Delegates from Veldra and Tasmir met for round ${i} of the Lune talks, session ${k}, and discussed monitors along the river ${i * 7 + k}.</p>`).join('');
  return `<item><title>Lune talks round ${i}</title><link>https://news.example/round-${i}</link><guid>round-${i}</guid><pubDate>Mon, 0${i} Feb 2026 10:00:00 GMT</pubDate><description><![CDATA[${body}]]></description></item>`;
}

function feed(n: number): string {
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Test Wire</title><link>https://news.example/</link>${Array.from({ length: n }, (_, i) => item(i + 1)).join('')}</channel></rss>`;
}

async function until(cond: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

describe('parley watch', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-watch-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ingests new items with conditional GET and stops on SIGINT', async () => {
    let items = 2;
    const log: { inm?: string; status: number }[] = [];
    const server = http.createServer((req, res) => {
      const etag = `"v${items}"`;
      const inm = req.headers['if-none-match'];
      if (inm === etag) {
        res.writeHead(304, { ETag: etag });
        res.end();
        log.push({ inm, status: 304 });
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/rss+xml', ETag: etag });
      res.end(feed(items));
      log.push({ ...(inm ? { inm } : {}), status: 200 });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.xml`;
    const file = path.join(dir, 'watch.db');
    const child = spawn(process.execPath, [MAIN, 'watch', url, '--interval', '1', '--allow-private', '--db', file, '--workers', '1'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const count = async (): Promise<number> => {
      try {
        const s = await openStore(file);
        const n = (await s.counts()).articles;
        await s.close();
        return n;
      } catch {
        return 0;
      }
    };
    try {
      expect(await until(async () => (await count()) === 2, 90_000)).toBe(true);
      // Unchanged feed: the next polls send the validator and get 304.
      expect(await until(async () => log.some((l) => l.status === 304 && l.inm === '"v2"'), 20_000)).toBe(true);
      items = 3;
      expect(await until(async () => (await count()) === 3, 60_000)).toBe(true);
      child.kill('SIGINT');
      expect(await exit).toBe(0);
    } finally {
      child.kill('SIGKILL');
      server.close();
    }
    expect(stderr).not.toMatch(/\n\s+at /);
    const store = (await openStore(file)) as SqliteStore;
    expect(store.integrityCheck()).toBe('ok');
    expect(await store.getFeedState(url)).toMatchObject({ url, etag: '"v3"' });
    const titles = [];
    for await (const s of store.iterArticles()) titles.push(s.article.title);
    expect(titles).toEqual(['Lune talks round 1', 'Lune talks round 2', 'Lune talks round 3']);
    await store.close();
  }, TIMEOUT_MS);
});
