// The scale-out path end to end with real servers: `parley ingest --queue nats://…` stores articles
// in PostgreSQL and publishes jobs; `parley worker` analyses them and stores the analyses.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { connect } from 'nats';
import { openStore } from '../src/store/index.js';

const ROOT = path.resolve(__dirname, '..');
const MAIN = path.join(ROOT, 'dist/src/cli/main.js');
const POLNEAR = path.resolve(ROOT, '../shared/data/polnear/dev/text');
const PG = process.env.PARLEY_PG_URL;
const NATS = process.env.PARLEY_NATS_URL;
const reason = !PG || !NATS ? 'PARLEY_PG_URL and PARLEY_NATS_URL must both be set (run scripts/services.sh)' : !existsSync(POLNEAR) ? '../shared/data/polnear is absent' : '';
if (reason) console.warn(`scale-out test skipped: ${reason}`);
/** Articles sent through the queue. */
const N = 8;
/** Ingest + worker on a shared 2-core machine. */
const TIMEOUT_MS = 240_000;

function parley(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', cwd: ROOT });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!!reason)(`scale-out: ingest → NATS → worker → PostgreSQL${reason ? ` (skipped: ${reason})` : ''}`, () => {
  const tag = `scaleout_${process.pid}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-scale-'));
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    if (!PG || !NATS) return;
    const c = new pg.Client({ connectionString: PG });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${tag} CASCADE`);
    await c.end();
    const u = new URL(NATS);
    const nc = await connect({ servers: `${u.hostname}:${u.port || 4222}` });
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(`PARLEY_${tag.toUpperCase()}`).catch(() => false);
    await nc.close();
  });

  it('stores the articles, queues one job each, and workers fill in every analysis', async () => {
    const input = path.join(dir, 'in');
    mkdirSync(input);
    for (const n of readdirSync(POLNEAR).sort().slice(0, N)) writeFileSync(path.join(input, n), readFileSync(path.join(POLNEAR, n)));
    const db = `${PG}${PG!.includes('?') ? '&' : '?'}schema=${tag}`;
    const queue = `${NATS}/${tag}`;

    const ing = parley(['ingest', input, '--db', db, '--queue', queue, '--json', '--quiet']);
    expect(ing.stderr).not.toMatch(/\n\s+at /);
    expect(ing.status).toBe(0);
    expect(JSON.parse(ing.stdout)).toMatchObject({ added: N, queued: N, errors: 0 });
    let store = await openStore(db);
    expect(await store.counts()).toMatchObject({ articles: N, analysed: 0 });
    expect((await store.listStories()).length).toBeGreaterThan(0);
    await store.close();

    // Re-ingesting changes nothing but re-publishes the unfinished jobs (the queue drops repeats).
    const again = JSON.parse(parley(['ingest', input, '--db', db, '--queue', queue, '--json', '--quiet']).stdout) as { unchanged: number; queued: number };
    expect(again.unchanged).toBe(N);

    const w = parley(['worker', '--queue', queue, '--db', db, '--idle-exit', '3', '--workers', '1']);
    expect(w.status).toBe(0);
    expect(w.stderr).toMatch(new RegExp(`worker done: ${N} analysed`));

    store = await openStore(db);
    expect(await store.counts()).toMatchObject({ articles: N, analysed: N });
    expect(await store.listUnanalysed()).toEqual([]);
    const first = (await store.iterArticles()[Symbol.asyncIterator]().next()).value!;
    const analysis = await store.getAnalysis(first.article.id);
    expect(analysis?.text).toContain(first.article.text.slice(0, 50));
    await store.close();
  }, TIMEOUT_MS);
});
