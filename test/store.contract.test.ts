// One contract for every Store backend: SQLite (always) and PostgreSQL (when PARLEY_PG_URL is set).
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openStore } from '../src/store/index.js';
import type { Store } from '../src/store/types.js';
import type { Analysis, Article } from '../src/analyze/types.js';
import { PAGE_SIZE, serializeAnalysis } from '../src/store/common.js';
import { decodeMinHash, encodeMinHash, minhash } from '../src/ingest/dedup.js';

interface Backend {
  /** Opens the same library again (a new connection / handle). */
  open(): Promise<Store>;
  cleanup(): Promise<void>;
}

/** A hand-built analysis: the store must keep it exactly, whatever the stages produce. */
function analysisOf(article: Article): Analysis {
  const text = article.text;
  const q = text.indexOf('"');
  const qEnd = text.indexOf('"', q + 1) + 1;
  const who = text.indexOf('Mara Velin');
  return {
    id: `an-${article.id}`,
    text,
    language: 'en',
    headlines: [text.split('\n')[0]!],
    structure: { headlines: [{ start: 0, end: text.indexOf('\n') }], sections: [], paragraphs: [], sentences: [] },
    actors: who >= 0 ? [{ id: 'p-velin', name: 'Mara Velin', kind: 'person', title: 'envoy', mentions: [{ start: who, end: who + 10, type: 'name', rule: 'test' }] }] : [],
    quotes:
      q >= 0
        ? [{ id: `q-${article.id}`, kind: 'direct', content: { start: q, end: qEnd }, cue: null, source: who >= 0 ? { start: who, end: who + 10 } : null, speaker: who >= 0 ? 'p-velin' : null, rule: 'test' }]
        : [],
    events: [],
    positions: [],
    dates: [],
    warnings: [],
  };
}

function art(i: number, extra: Partial<Article> = {}): Article {
  return {
    id: `a${String(i).padStart(5, '0')}`,
    text: `Headline number ${i}\n\nBody of article ${i} about harbour tariffs.`,
    published: `2026-01-${String((i % 28) + 1).padStart(2, '0')}`,
    ...extra,
  };
}

export function runStoreContract(name: string, factory: (() => Promise<Backend>) | null, skipReason?: string): void {
  describe.skipIf(!factory)(`Store contract: ${name}${factory ? '' : ` (skipped: ${skipReason})`}`, () => {
    let backend: Backend;
    let store: Store;
    const setup = async (): Promise<void> => {
      backend = await factory!();
      store = await backend.open();
    };
    afterEach(async () => {
      await store?.close().catch(() => {});
      await backend?.cleanup();
    });

    it('round-trips an article, its analysis and meta', async () => {
      await setup();
      const a: Article = {
        id: 'x1',
        url: 'https://example.org/a?utm=1',
        canonicalUrl: 'https://example.org/a',
        title: 'Talks resume',
        byline: 'A. Writer',
        published: '2026-02-03',
        outlet: 'Example News',
        language: 'en',
        text: 'Talks resume\n\n"We are ready," said Mara Velin on Tuesday.',
        source: 'feed.xml',
      };
      const an = analysisOf(a);
      await store.putArticle(a, an, { storyId: 's1' });
      expect(await store.getArticle('x1')).toEqual({ article: a, storyId: 's1' });
      expect(await store.getAnalysis('x1')).toEqual(an);
      expect(JSON.stringify(await store.getAnalysis('x1'))).toBe(JSON.stringify(an));
      expect(await store.hasArticle('x1')).toBe(true);
      expect(await store.hasArticle('nope')).toBe(false);
      expect(await store.getArticle('nope')).toBeNull();
      expect(await store.getAnalysis('nope')).toBeNull();
    });

    it('is idempotent: putting the same article twice changes nothing', async () => {
      await setup();
      const a = art(1, { text: 'Head\n\n"Quote here," said Mara Velin.' });
      await store.putArticle(a, analysisOf(a));
      await store.putArticle(art(2), null);
      const before = await store.counts();
      const order = [];
      for await (const s of store.iterArticles()) order.push(s.article.id);
      await store.putArticle(a, analysisOf(a));
      expect(await store.counts()).toEqual(before);
      expect(before).toMatchObject({ articles: 2, analysed: 1, quotes: 1, duplicates: 0 });
      const after = [];
      for await (const s of store.iterArticles()) after.push(s.article.id);
      expect(after).toEqual(order);
      expect((await store.search('quote')).filter((h) => h.kind === 'quote')).toHaveLength(1);
    });

    it('links duplicates, finds originals, and leaves them out of iterAnalyses', async () => {
      await setup();
      const a = art(1, { canonicalUrl: 'https://e.org/1' });
      const d = art(2, { canonicalUrl: 'https://e.org/1' });
      await store.putArticle(a, analysisOf(a), { textHash: 'h1' });
      await store.putArticle(d, null, { duplicateOf: a.id, textHash: 'h1' });
      expect(await store.findOriginal({ canonicalUrl: 'https://e.org/1' })).toBe(a.id);
      expect(await store.findOriginal({ textHash: 'h1' })).toBe(a.id);
      expect(await store.findOriginal({ textHash: 'other' })).toBeNull();
      expect((await store.getArticle(d.id))?.duplicateOf).toBe(a.id);
      const ids = [];
      for await (const x of store.iterAnalyses()) ids.push(x.article.id);
      expect(ids).toEqual([a.id]);
      expect(await store.counts()).toMatchObject({ articles: 2, duplicates: 1 });
      const e = art(3);
      await store.putArticle(e, null);
      const originals: string[] = [];
      for await (const x of store.iterArticles({ includeDuplicates: false, skip: 1 })) originals.push(x.article.id);
      expect(originals).toEqual([e.id]);
      // The duplicate is never waiting for analysis; the new original is.
      expect(await store.listUnanalysed()).toEqual([e.id]);
    });

    it('writes a batch in one call: serialised analyses as objects, each story once as it ends, meta with it', async () => {
      await setup();
      const [a, b, c] = [art(1, { text: 'One\n\n"Ready," said Mara Velin.' }), art(2, { text: 'Two\n\n"Done," said Mara Velin.' }), art(3)];
      // The live story record: both articles of the batch point at the same object.
      const story = { id: 's1', title: 'One', headlines: ['One', 'Two'], outlets: [], articleIds: [a.id, b.id] };
      await store.putArticles(
        [
          { article: a, analysis: analysisOf(a), meta: { storyId: 's1', story } },
          { article: b, analysis: serializeAnalysis(analysisOf(b)), meta: { storyId: 's1', story, minhash: encodeMinHash(minhash(b.text)) } },
          { article: c, analysis: null, meta: { duplicateOf: a.id } },
        ],
        [['k', 'v']],
      );
      expect(await store.getAnalysis(a.id)).toEqual(analysisOf(a));
      expect(await store.getAnalysis(b.id)).toEqual(analysisOf(b));
      expect(await store.getStory('s1')).toEqual(story);
      expect(await store.getMeta('k')).toBe('v');
      const quotes = [];
      for await (const q of store.iterQuotes()) quotes.push([q.articleId, q.quoteId, q.content, q.speakerName]);
      expect(quotes.sort()).toEqual([
        [a.id, `q-${a.id}`, '"Ready,"', 'Mara Velin'],
        [b.id, `q-${b.id}`, '"Done,"', 'Mara Velin'],
      ]);
      expect((await store.search('Done')).map((h) => [h.kind, h.articleId])).toContainEqual(['quote', b.id]);
      // Near-duplicate keys: originals only, the saved MinHash else the text.
      const keys = [];
      for await (const k of store.iterNearDupKeys()) keys.push(k);
      expect(keys.map((k) => k.id)).toEqual([a.id, b.id]);
      expect(keys[0]).toMatchObject({ minhash: null, text: a.text });
      expect(keys[1]!.text).toBeNull();
      expect(decodeMinHash(keys[1]!.minhash!)).toEqual(minhash(b.text));
      const skipped = [];
      for await (const k of store.iterNearDupKeys({ skip: 1 })) skipped.push(k.id);
      expect(skipped).toEqual([b.id]);
    });

    it('attaches a late analysis (queue workers) and tracks what is unanalysed', async () => {
      await setup();
      const a = art(1, { text: 'Late\n\n"Later," said Mara Velin.' });
      await store.putArticle(a, null, { storyId: 's9' });
      expect(await store.listUnanalysed()).toEqual([a.id]);
      expect(await store.putAnalysis(a.id, analysisOf(a))).toBe(true);
      expect(await store.putAnalysis('missing', analysisOf(a))).toBe(false);
      expect(await store.listUnanalysed()).toEqual([]);
      expect((await store.getAnalysis(a.id))?.quotes).toHaveLength(1);
      // A later putArticle without analysis keeps the stored analysis and story.
      await store.putArticle(a, null);
      expect(await store.getAnalysis(a.id)).not.toBeNull();
      expect((await store.getArticle(a.id))?.storyId).toBe('s9');
    });

    it('streams every article in pages, analyses in publication order', async () => {
      await setup();
      const n = PAGE_SIZE * 2 + 7;
      for (let i = 0; i < n; i++) {
        const a = art(i);
        await store.putArticle(a, analysisOf(a));
      }
      let count = 0;
      let prev = '';
      for await (const x of store.iterAnalyses()) {
        const key = `${x.article.published}|${x.article.id}`;
        expect(key >= prev).toBe(true);
        prev = key;
        count++;
      }
      expect(count).toBe(n);
      const ids: string[] = [];
      for await (const x of store.iterArticles()) ids.push(x.article.id);
      expect(ids).toEqual(Array.from({ length: n }, (_, i) => art(i).id));
      const tail: string[] = [];
      for await (const x of store.iterArticles({ skip: PAGE_SIZE + 3 })) tail.push(x.article.id);
      expect(tail).toEqual(ids.slice(PAGE_SIZE + 3));
      const none = [];
      for await (const x of store.iterArticles({ skip: n })) none.push(x);
      expect(none).toEqual([]);
    });

    it('finds articles and quotes by full-text search', async () => {
      await setup();
      const a: Article = { id: 'fa', title: 'Harbour deal', text: 'Harbour deal\n\nNegotiators met in Port Calder. "The tariffs must fall," said Mara Velin.' };
      const b: Article = { id: 'fb', title: 'Weather', text: 'Weather\n\nRain is expected across the valley.' };
      await store.putArticle(a, analysisOf(a));
      await store.putArticle(b, analysisOf(b));
      const hits = await store.search('negotiators Calder');
      expect(hits.map((h) => [h.kind, h.articleId])).toEqual([['article', 'fa']]);
      expect(hits[0]!.snippet).toMatch(/\[Negotiators\]|\[Calder\]/);
      const q = await store.search('tariffs');
      expect(q.find((h) => h.kind === 'quote')).toMatchObject({ articleId: 'fa', quoteId: 'q-fa' });
      expect(q.find((h) => h.kind === 'article')?.articleId).toBe('fa');
      expect(await store.search('"the valley"')).toHaveLength(1);
      // Operators and stray punctuation are words, not syntax errors.
      expect(await store.search('rain ( "valley* -')).toHaveLength(1);
      expect(await store.search('rain OR weather NEAR')).toEqual([]);
      expect(await store.search('  ***  ')).toEqual([]);
      expect(await store.search('nothingmatchesthis')).toEqual([]);
      const quotes = [];
      for await (const r of store.iterQuotes()) quotes.push(r);
      expect(quotes).toEqual([expect.objectContaining({ articleId: 'fa', content: '"The tariffs must fall,"', speakerName: 'Mara Velin' })]);
    });

    it('lets one writer at a time hold the ingest lock', async () => {
      await setup();
      const other = await backend.open();
      try {
        const release = await store.lockWriter();
        await expect(other.lockWriter()).rejects.toThrow(/ingest/);
        await release();
        const again = await other.lockWriter();
        await expect(store.lockWriter()).rejects.toThrow(/ingest/);
        await again();
      } finally {
        await other.close();
      }
    });

    it('stores stories, feed validators and meta, and keeps them across reopen', async () => {
      await setup();
      await store.putStory({ id: 's1', title: 'T1', headlines: ['T1', 'T1b'], outlets: ['A'], articleIds: ['a', 'b'], first: '2026-01-01', last: '2026-01-03' });
      await store.putStory({ id: 's2', title: 'T2', headlines: ['T2'], outlets: [], articleIds: ['c'] });
      await store.putStory({ id: 's1', title: 'T1', headlines: ['T1', 'T1b'], outlets: ['A', 'B'], articleIds: ['a', 'b', 'd'], first: '2026-01-01', last: '2026-01-05' });
      await store.putFeedState({ url: 'https://e.org/feed', etag: '"abc"', lastModified: 'Tue, 01 Jan 2026 00:00:00 GMT', checkedAt: '2026-01-01T00:00:00Z', status: 200 });
      await store.setMeta('k', 'v1');
      await store.setMeta('k', 'v2');
      await store.close();
      store = await backend.open();
      expect(await store.getStory('s1')).toEqual({ id: 's1', title: 'T1', headlines: ['T1', 'T1b'], outlets: ['A', 'B'], articleIds: ['a', 'b', 'd'], first: '2026-01-01', last: '2026-01-05' });
      expect(await store.getStory('zz')).toBeNull();
      expect((await store.listStories()).map((s) => s.id)).toEqual(['s1', 's2']);
      expect(await store.getFeedState('https://e.org/feed')).toEqual({ url: 'https://e.org/feed', etag: '"abc"', lastModified: 'Tue, 01 Jan 2026 00:00:00 GMT', checkedAt: '2026-01-01T00:00:00Z', status: 200 });
      expect(await store.getFeedState('https://other')).toBeNull();
      expect(await store.getMeta('k')).toBe('v2');
      expect(await store.getMeta('none')).toBeNull();
      expect((await store.counts()).stories).toBe(2);
      const streamed = [];
      for await (const s of store.iterStories()) streamed.push(s.id);
      expect(streamed).toEqual(['s1', 's2']);
    });
  });
}

runStoreContract('sqlite', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-store-'));
  const file = path.join(dir, 'lib.db');
  return { open: () => openStore(file), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});

const PG = process.env.PARLEY_PG_URL;
if (!PG) console.warn('PARLEY_PG_URL is not set: the PostgreSQL store contract is skipped (run scripts/services.sh)');
let schemaSeq = 0;
runStoreContract(
  'postgres',
  PG
    ? async () => {
        const schema = `parley_test_${process.pid}_${schemaSeq++}`;
        const url = `${PG}${PG.includes('?') ? '&' : '?'}schema=${schema}`;
        return {
          open: () => openStore(url),
          cleanup: async () => {
            const c = new pg.Client({ connectionString: PG });
            await c.connect();
            await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
            await c.end();
          },
        };
      }
    : null,
  'PARLEY_PG_URL is not set (run scripts/services.sh to start PostgreSQL)',
);
