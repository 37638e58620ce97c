// The ingest pipeline end to end on real files and a real SQLite file: idempotency, dedup, stories, search.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore } from '../src/store/index.js';
import type { Store } from '../src/store/types.js';
import { runIngest } from '../src/pipeline/ingest.js';
import { readSources, type SourceResult } from '../src/ingest/index.js';
import { inlineAnalyzer } from '../src/pipeline/analyzer.js';

const POLNEAR = path.resolve(__dirname, '../../shared/data/polnear/dev/text');
const HAVE = existsSync(POLNEAR);
const DEMO = path.resolve(__dirname, '../data/demo/articles.jsonl');
/** Articles used: enough for several stories, few enough to analyse inline quickly. */
const N = 10;

async function snapshot(store: Store): Promise<unknown> {
  const arts = [];
  for await (const s of store.iterArticles()) arts.push({ id: s.article.id, dup: s.duplicateOf ?? null, story: s.storyId ?? null, analysed: s.analysed });
  return { counts: await store.counts(), arts, stories: await store.listStories() };
}

describe.skipIf(!HAVE)(`pipeline${HAVE ? '' : ' (skipped: ../shared/data/polnear is absent)'}`, () => {
  let dir: string;
  let input: string;
  let names: string[];
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'parley-pipe-'));
    input = path.join(dir, 'in');
    mkdirSync(input);
    names = readdirSync(POLNEAR).sort().slice(0, N);
    for (const n of names) writeFileSync(path.join(input, n), readFileSync(path.join(POLNEAR, n)));
    // An exact copy under another name, and a re-edit (one sentence changed): both duplicates.
    const first = readFileSync(path.join(POLNEAR, names[0]!), 'utf8');
    // Same text from another address (a syndicated copy): its id differs, its text hash does not.
    writeFileSync(path.join(input, 'zz_copy.jsonl'), `${JSON.stringify({ url: 'https://wire.example/copy', outlet: 'Wire', text: first })}\n`);
    const paras = first.split('\n\n');
    paras[paras.length - 1] = `${paras[paras.length - 1]} This sentence was added by an editor.`;
    writeFileSync(path.join(input, 'zz_reedit.txt'), paras.join('\n\n'));
    writeFileSync(path.join(input, 'zz_empty.txt'), '');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ingests, folds duplicates, groups stories; the same input twice changes nothing', async () => {
    const file = path.join(dir, 'lib.db');
    const analyzer = inlineAnalyzer();
    let store = await openStore(file);
    const first = await runIngest(readSources([input]), { store, analyzer });
    expect(first).toMatchObject({ added: N, duplicates: 2, errors: 1, unchanged: 0, interrupted: false });
    expect(first.errorList[0]!.error).toMatch(/empty/);
    const snap1 = await snapshot(store);
    await store.close();

    store = await openStore(file);
    const second = await runIngest(readSources([input]), { store, analyzer });
    expect(second).toMatchObject({ added: 0, duplicates: 0, unchanged: N + 2, errors: 1 });
    expect(await snapshot(store)).toEqual(snap1);

    // Duplicates point at the original, share its story, and were not analysed.
    const arts = (snap1 as { arts: { id: string; dup: string | null; story: string | null; analysed: boolean }[] }).arts;
    const dups = arts.filter((a) => a.dup);
    expect(dups).toHaveLength(2);
    const orig = arts.find((a) => a.id === dups[0]!.dup)!;
    expect(orig.dup).toBeNull();
    for (const d of dups) {
      expect(d.dup).toBe(orig.id);
      expect(d.story).toBe(orig.story);
      expect(d.analysed).toBe(false);
    }
    // Every article is in exactly the story its row names.
    const stories = await store.listStories();
    for (const a of arts) expect(stories.filter((s) => s.articleIds.includes(a.id)).map((s) => s.id)).toEqual([a.story]);
    await store.close();

    // A fresh library from the same input gets the same ids and stories (deterministic).
    const other = await openStore(path.join(dir, 'other.db'));
    await runIngest(readSources([input]), { store: other, analyzer });
    expect(await snapshot(other)).toEqual(snap1);
    await other.close();
  });

  it.skipIf(!existsSync(DEMO))('resumes stories exactly after a run that died after its last clusterer save', async () => {
    const analyzer = inlineAnalyzer();
    const all: SourceResult[] = [];
    // The demo corpus: wire stories that run over several articles, so a lost article changes stories.
    for await (const r of readSources([DEMO])) all.push(r);
    // A third of the corpus first; the second run dies half-way, after it committed articles that
    // started stories which later articles join (so a clusterer that forgot them would differ).
    const half = Math.floor(all.length / 3);
    const crashAt = Math.floor(all.length / 2);
    async function* upTo(n: number, crashAfter?: number): AsyncIterable<SourceResult> {
      for (let i = 0; i < n; i++) {
        if (crashAfter !== undefined && i === crashAfter) throw new Error('simulated crash');
        yield all[i]!;
      }
    }
    // Reference: the first half, then everything, without incident.
    const ref = await openStore(path.join(dir, 'ref.db'));
    await runIngest(upTo(half), { store: ref, analyzer });
    await runIngest(upTo(all.length), { store: ref, analyzer });
    // Crashed: the first half (state saved), then a run that dies part-way (commits kept, no save), then a re-run.
    const lib = await openStore(path.join(dir, 'crash.db'));
    await runIngest(upTo(half), { store: lib, analyzer });
    await expect(runIngest(upTo(all.length, crashAt), { store: lib, analyzer })).rejects.toThrow('simulated crash');
    await lib.close();
    const reopened = await openStore(path.join(dir, 'crash.db'));
    await runIngest(upTo(all.length), { store: reopened, analyzer });
    expect(await snapshot(reopened)).toEqual(await snapshot(ref));
    await reopened.close();
    await ref.close();
  });

  it('finds stored articles and their quotes by search', async () => {
    const store = await openStore(path.join(dir, 'lib.db'));
    const s = (await store.getArticle((await store.listStories())[0]!.articleIds[0]!))!;
    const title = s.article.title!;
    const word = title.match(/[A-Za-z]{6,}/)![0];
    const hits = await store.search(word, 1000);
    expect(hits.some((h) => h.kind === 'article' && h.articleId === s.article.id)).toBe(true);
    let checked = 0;
    for await (const q of store.iterQuotes()) {
      const w = q.content.match(/[A-Za-z]{7,}/)?.[0];
      if (!w) continue;
      const qh = await store.search(w, 1000);
      expect(qh.some((h) => h.kind === 'quote' && h.quoteId === q.quoteId && h.articleId === q.articleId)).toBe(true);
      if (++checked >= 5) break;
    }
    // The quotes stage finds attributions in these PolNeAR articles; the store must have kept and indexed them.
    expect(checked).toBeGreaterThan(0);
    await store.close();
  });
});
