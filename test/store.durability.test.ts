// Crash safety of the SQLite library: an ingest killed with SIGKILL loses no committed article and
// leaves a consistent file; corrupt or half-written files give one clear line, never a stack trace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openStore, SqliteStore, StoreError } from '../src/store/index.js';

const ROOT = path.resolve(__dirname, '..');
const MAIN = path.join(ROOT, 'dist/src/cli/main.js');
const POLNEAR = path.resolve(ROOT, '../shared/data/polnear');
const HAVE = existsSync(POLNEAR);
/** Articles committed before the kill: enough to prove commits survive, early enough to be mid-way. */
const KILL_AFTER = 4;
/** Polls (every 50 ms) for the first commits before giving up: the machine may be busy. */
const POLL_LIMIT = 3000;
/** Files taken from each PolNeAR split for the kill test. */
const PER_SPLIT = 20;
/** The kill test analyses ~80 articles over three runs on a shared machine. */
const KILL_TEST_TIMEOUT_MS = 240_000;

function parley(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', cwd: ROOT });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function expectOneLineError(r: { status: number | null; stderr: string }, pattern: RegExp): void {
  expect(r.status).not.toBe(0);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^parley: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'parley-dur-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!HAVE)(`kill mid-ingest${HAVE ? '' : ' (skipped: ../shared/data/polnear is absent)'}`, () => {
  it('keeps every committed article, stays consistent, and a re-run completes', async () => {
    const input = path.join(dir, 'in');
    mkdirSync(input);
    let total = 0;
    for (const split of ['dev', 'train']) {
      const d = path.join(POLNEAR, split, 'text');
      for (const n of readdirSync(d).sort().slice(0, PER_SPLIT)) {
        writeFileSync(path.join(input, `${split}_${n}`), readFileSync(path.join(d, n)));
        total++;
      }
    }
    const file = path.join(dir, 'kill.db');
    const child = spawn(process.execPath, [MAIN, 'ingest', input, '--db', file, '--workers', '1', '--quiet'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    let exitCode: number | null | undefined;
    const exited = new Promise<void>((r) => child.on('exit', (code) => ((exitCode = code), r())));
    let seen = 0;
    for (let i = 0; i < POLL_LIMIT && seen < KILL_AFTER && exitCode === undefined; i++) {
      await new Promise((r) => setTimeout(r, 50));
      if (!existsSync(file)) continue;
      try {
        const db = new Database(file, { readonly: true, fileMustExist: true });
        seen = (db.prepare('SELECT count(*) AS n FROM articles').get() as { n: number }).n;
        db.close();
      } catch {
        // schema not created yet
      }
    }
    // An ingest that ended on its own (crashed, or finished before the kill) makes this test meaningless.
    expect(exitCode, `ingest exited by itself (${exitCode}): ${stderr.slice(0, 500)}`).toBeUndefined();
    child.kill('SIGKILL');
    await exited;
    expect(seen, `no commit seen before the kill; stderr: ${stderr.slice(0, 500)}`).toBeGreaterThanOrEqual(KILL_AFTER);

    const store = (await openStore(file)) as SqliteStore;
    expect(store.integrityCheck()).toBe('ok');
    const counts = await store.counts();
    expect(counts.articles).toBeGreaterThanOrEqual(seen);
    expect(counts.articles).toBeLessThan(total); // killed mid-way, not after the end
    // Every committed original has its story, and that story lists it (same transaction).
    for await (const s of store.iterArticles()) {
      expect(s.storyId).toBeTruthy();
      expect((await store.getStory(s.storyId!))?.articleIds).toContain(s.article.id);
    }
    await store.close();

    const rerun = parley(['ingest', input, '--db', file, '--json', '--quiet']);
    expect(rerun.status).toBe(0);
    const sum = JSON.parse(rerun.stdout) as { read: number; unchanged: number; added: number; duplicates: number; errors: number };
    expect(sum.read).toBe(total);
    expect(sum.errors).toBe(0);
    expect(sum.unchanged).toBe(counts.articles);
    expect(sum.unchanged + sum.added + sum.duplicates).toBe(total);
    const again = JSON.parse(parley(['ingest', input, '--db', file, '--json', '--quiet']).stdout) as { unchanged: number };
    expect(again.unchanged).toBe(total);
    const final = (await openStore(file)) as SqliteStore;
    expect(final.integrityCheck()).toBe('ok');
    expect((await final.counts()).articles).toBe(total);
    // The resumed library is the one an uninterrupted ingest builds: same ids, duplicates and stories
    // (the clusterer replays what was committed before the kill).
    const clean = path.join(dir, 'clean.db');
    expect(parley(['ingest', input, '--db', clean, '--quiet']).status).toBe(0);
    const ref = await openStore(clean);
    const shape = async (s: typeof ref): Promise<unknown> => {
      const out = [];
      for await (const x of s.iterArticles()) out.push([x.article.id, x.duplicateOf ?? null, x.storyId ?? null, x.analysed]);
      return { out: out.sort(), stories: (await s.listStories()).sort((a, b) => a.id.localeCompare(b.id)) };
    };
    expect(await shape(final)).toEqual(await shape(ref));
    await ref.close();
    await final.close();
  }, KILL_TEST_TIMEOUT_MS);
});

describe('damaged library files', () => {
  it('a file that is not SQLite: one clear line, nothing written', async () => {
    const file = path.join(dir, 'garbage.db');
    writeFileSync(file, 'this is not a database, just some text that happens to be long enough '.repeat(10));
    const before = readFileSync(file);
    await expect(openStore(file)).rejects.toThrow(StoreError);
    expectOneLineError(parley(['stories', '--db', file]), /not a SQLite file/);
    expectOneLineError(parley(['ingest', path.join(ROOT, 'package.json'), '--db', file]), /not a SQLite file/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('a half-written SQLite file: one clear line, nothing written', async () => {
    const file = path.join(dir, 'half.db');
    const store = await openStore(file);
    for (let i = 0; i < 300; i++) await store.putArticle({ id: `h${i}`, text: `Article ${i}\n\n${'Some words about the harbour talks. '.repeat(40)}` }, null);
    await store.close();
    truncateSync(file, Math.floor(statSync(file).size / 2));
    const before = readFileSync(file);
    await expect(openStore(file)).rejects.toThrow(/half-written/);
    expectOneLineError(parley(['search', 'harbour', '--db', file]), /half-written/);
    expectOneLineError(parley(['ingest', path.join(ROOT, 'package.json'), '--db', file]), /half-written/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('a SQLite file of another program is refused, not migrated', async () => {
    const file = path.join(dir, 'other.db');
    const db = new Database(file);
    db.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)');
    db.close();
    expectOneLineError(parley(['stories', '--db', file]), /not a Parley database/);
  });
});
