// The library commands end to end on the demo corpus: demo → stories → story → search → export.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore } from '../src/store/index.js';

const ROOT = path.resolve(__dirname, '..');
const MAIN = path.join(ROOT, 'dist/src/cli/main.js');
const DEMO = path.join(ROOT, 'data/demo/articles.jsonl');
const HAVE = existsSync(DEMO);
const TIMEOUT_MS = 180_000;

function parley(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', cwd: ROOT, maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Minimal RFC 4180 reader (quoted fields with commas, quotes and line breaks). */
function parseCsv(s: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let f = '';
  let q = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (q) {
      if (c === '"' && s[i + 1] === '"') (f += '"'), i++;
      else if (c === '"') q = false;
      else f += c;
    } else if (c === '"') q = true;
    else if (c === ',') row.push(f), (f = '');
    else if (c === '\r' && s[i + 1] === '\n') {
      row.push(f);
      rows.push(row);
      (row = []), (f = ''), i++;
    } else f += c;
  }
  return rows;
}

describe.skipIf(!HAVE)(`library commands${HAVE ? '' : ' (skipped: data/demo is absent)'}`, () => {
  let dir: string;
  let db: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'parley-cli-'));
    db = path.join(dir, 'demo.db');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('demo ingests the corpus, folds copies and prints stories; a second run changes nothing', async () => {
    const first = parley(['demo', '--db', db]);
    expect(first.status).toBe(0);
    expect(first.stderr).not.toMatch(/\n\s+at /);
    const lines = readFileSync(DEMO, 'utf8').split('\n').filter((l) => l.trim()).length;
    expect(first.stdout).toMatch(new RegExp(`^${lines} articles \\(\\d+ duplicates folded\\)`));
    const store = await openStore(db);
    const c1 = await store.counts();
    expect(c1.articles).toBe(lines);
    expect(c1.duplicates).toBeGreaterThan(0);
    expect(c1.stories).toBeGreaterThan(1);
    expect(c1.stories).toBeLessThan(lines - c1.duplicates);
    await store.close();
    const second = parley(['demo', '--db', db]);
    expect(second.stdout).toBe(first.stdout);
    const again = await openStore(db);
    expect(await again.counts()).toEqual(c1);
    await again.close();
  }, TIMEOUT_MS);

  it('stories, story, search and export agree with the store', async () => {
    const store = await openStore(db);
    const counts = await store.counts();
    const stories = parley(['stories', '--db', db, '--json']).stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; articleIds: string[] });
    expect(stories).toHaveLength(counts.stories);
    const big = stories.reduce((a, b) => (b.articleIds.length > a.articleIds.length ? b : a));
    const one = JSON.parse(parley(['story', big.id, '--db', db, '--json']).stdout) as { id: string; articles: { id: string }[]; brief?: unknown };
    expect(one.id).toBe(big.id);
    expect(one.articles.map((a) => a.id)).toEqual(big.articleIds);
    const missing = parley(['story', 'no-such-story', '--db', db]);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);

    const a = (await store.getArticle(big.articleIds[0]!))!.article;
    const word = a.title!.match(/[A-Za-z]{6,}/)![0];
    const hits = parley(['search', word, '--db', db, '--json', '--limit', '500']).stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; articleId: string });
    expect(hits.some((h) => h.kind === 'article' && h.articleId === a.id)).toBe(true);

    const csv = parseCsv(parley(['export', '--format', 'csv', '--db', db]).stdout);
    expect(csv[0]!.slice(0, 2)).toEqual(['id', 'url']);
    expect(csv.length - 1).toBe(counts.articles);
    const textCol = csv[0]!.indexOf('text');
    expect(csv.find((r) => r[0] === a.id)?.[textCol]).toBe(a.text);
    const jsonl = parley(['export', '--format', 'jsonl', '--what', 'quotes', '--db', db]).stdout.trim().split('\n').filter(Boolean);
    expect(jsonl).toHaveLength(counts.quotes);
    const sj = parley(['export', '--format', 'jsonl', '--what', 'stories', '--db', db]).stdout.trim().split('\n');
    expect(sj).toHaveLength(counts.stories);
    const bad = parley(['export', '--format', 'xml', '--db', db]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/^parley: --format must be jsonl or csv/);
    await store.close();
  }, TIMEOUT_MS);
});
