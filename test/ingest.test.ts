// readSources over files, folders and feed files; feed parsing limits; dedup (URLs, hashes, near-dups).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readSources, type SourceResult } from '../src/ingest/index.js';
import { parseFeed, parseOpml, truncateXmlFeed } from '../src/ingest/feeds.js';
import { canonicalizeUrl, Deduper, NearDupIndex, textHash } from '../src/ingest/dedup.js';

const FIX = path.join(__dirname, 'fixtures/ingest');
const tmp = mkdtempSync(path.join(tmpdir(), 'parley-ingest-'));

async function all(inputs: string[], opts = {}): Promise<SourceResult[]> {
  const out: SourceResult[] = [];
  for await (const r of readSources(inputs, { fetchItemPages: false, ...opts })) out.push(r);
  return out;
}
const articles = (rs: SourceResult[]) => rs.flatMap((r) => ('article' in r ? [r.article] : []));
const errors = (rs: SourceResult[]) => rs.flatMap((r) => ('error' in r ? [r] : []));

const BODY =
  'Officials in Velmora said on Monday that the harbour would reopen to fishing boats next week after repairs to the northern breakwater were finished ahead of schedule.';

describe('readSources: files and folders', () => {
  const dir = path.join(tmp, 'lib');
  mkdirSync(path.join(dir, 'sub'), { recursive: true });
  const txt = 'Harbour reopens next week\nVelmora harbour to reopen\n\n' + BODY + '\n';
  writeFileSync(path.join(dir, 'a.txt'), txt);
  writeFileSync(path.join(dir, 'b.md'), `# Breakwater repairs done\n\n${BODY}\n`);
  writeFileSync(path.join(dir, 'sub/c.html'), readFileSync(path.join(FIX, 'news-basic/source.html')));
  writeFileSync(path.join(dir, 'd.json'), JSON.stringify([{ title: 'One', text: BODY, url: 'https://x.example/one?utm_source=a' }, { title: 'No text' }]));
  writeFileSync(path.join(dir, 'e.jsonl'), `${JSON.stringify({ title: 'Two', text: BODY, published: '2031-01-02' })}\n{broken\n${JSON.stringify({ text: `Three\n\n${BODY}` })}\n`);
  writeFileSync(path.join(dir, 'empty.txt'), '');
  writeFileSync(path.join(dir, 'bad-utf8.txt'), Buffer.from([0x48, 0x69, 0x20, 0xc3, 0x28, 0xff, 0x0a]));
  writeFileSync(path.join(dir, 'bad.json'), '{"title": "x",');
  writeFileSync(path.join(dir, 'ignored.bin'), Buffer.from([0, 1, 2]));

  it('reads every supported file in name order, one error per bad item, and goes on', async () => {
    const rs = await all([dir, path.join(tmp, 'does-not-exist.txt')]);
    const arts = articles(rs);
    expect(arts.map((a) => path.basename(a.source!))).toEqual(['a.txt', 'b.md', 'd.json[0]', 'e.jsonl:1', 'e.jsonl:3', 'c.html']);
    const errs = errors(rs).map((e) => `${path.basename(e.source)}: ${e.error}`);
    expect(errs).toEqual([
      'bad-utf8.txt: invalid UTF-8',
      expect.stringMatching(/^bad\.json: invalid JSON/),
      'd.json[1]: no "text" field',
      'e.jsonl:2: invalid JSON',
      'empty.txt: empty file',
      'does-not-exist.txt: no such file or directory',
    ]);
  });

  it('keeps a .txt file unchanged and takes its first line as the headline', async () => {
    const [r] = await all([path.join(dir, 'a.txt')]);
    const a = 'article' in r! ? r.article : undefined;
    expect(a?.text).toBe(txt);
    expect(a?.title).toBe('Harbour reopens next week');
    expect(a?.language).toBe('en');
  });

  it('builds HTML articles with metadata, the title on the first line and a URL-derived id', async () => {
    const [r] = await all([path.join(dir, 'sub/c.html')]);
    const a = 'article' in r! ? r.article : undefined;
    expect(a?.title).toBe('Harbour talks resume in Velmora');
    expect(a?.text.startsWith('Harbour talks resume in Velmora\n\nNegotiators from Arvania')).toBe(true);
    expect(a?.canonicalUrl).toBe('https://ledger.example/world/harbour-talks-resume');
    expect(a?.outlet).toBe('The Coastal Ledger');
    expect(a?.published).toBe('2031-03-14T09:30:00.000Z');
    expect(a?.byline).toBe('Mira Okonjo');
    const again = await all([path.join(dir, 'sub/c.html')]);
    expect('article' in again[0]! && again[0].article.id).toBe(a?.id);
    expect(a?.id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('ids: canonical URL when there is one, else the text', async () => {
    const arts = articles(await all([path.join(dir, 'd.json'), path.join(dir, 'e.jsonl')]));
    expect(arts[0]!.canonicalUrl).toBe('https://x.example/one');
    expect(new Set(arts.map((a) => a.id)).size).toBe(arts.length);
    expect(arts[2]!.text).toBe(`Three\n\n${BODY}`); // no title field: text kept as written
  });
});

const rssItem = (i: number) =>
  `<item><title>Item ${i}</title><link>https://feed.example/items/${i}</link><guid>id-${i}</guid><pubDate>Mon, 03 Mar 2031 10:00:00 GMT</pubDate><description><![CDATA[<p>Summary ${i} with a </item> inside CDATA.</p>]]></description></item>`;
const rss = (items: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Feed Example</title><link>https://feed.example/</link><language>en-gb</language>${items}</channel></rss>`;

describe('feeds', () => {
  it('parses RSS 2.0 with content:encoded, dc:creator and dates', () => {
    const f = parseFeed(
      rss(`<item><title>Full</title><link>/items/full</link><dc:creator>Ana Ruiz</dc:creator><pubDate>Tue, 04 Mar 2031 08:15:00 +0100</pubDate><content:encoded><![CDATA[<p>${BODY}</p><p>Second paragraph.</p>]]></content:encoded></item>${rssItem(1)}`),
      { base: 'https://feed.example/rss' },
    );
    expect(f.kind).toBe('rss');
    expect(f.title).toBe('Feed Example');
    expect(f.items).toHaveLength(2);
    expect(f.items[0]).toMatchObject({ title: 'Full', url: 'https://feed.example/items/full', author: 'Ana Ruiz', published: '2031-03-04T07:15:00.000Z' });
    expect(f.items[0]!.contentHtml).toContain('Second paragraph');
    expect(f.items[1]!.summary).toContain('</item> inside CDATA');
  });

  it('parses Atom and JSON Feed', () => {
    const atom = parseFeed(
      `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Ex</title><link href="https://atom.example/"/><entry><id>tag:a,1</id><title>E1</title><link rel="alternate" href="/e1"/><updated>2031-05-01T12:00:00Z</updated><author><name>Bo Lind</name></author><content type="html">&lt;p&gt;${BODY}&lt;/p&gt;</content></entry></feed>`,
    );
    expect(atom.kind).toBe('atom');
    expect(atom.items[0]).toMatchObject({ title: 'E1', url: 'https://atom.example/e1', author: 'Bo Lind', published: '2031-05-01T12:00:00.000Z' });
    expect(atom.items[0]!.contentHtml).toContain('<p>Officials in Velmora');
    const json = parseFeed(JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'JF', items: [{ id: '1', url: 'https://j.example/1', title: 'J1', content_text: BODY, date_published: '2031-06-01T00:00:00Z' }] }));
    expect(json.kind).toBe('json');
    expect(json.items[0]).toMatchObject({ title: 'J1', contentText: BODY, published: '2031-06-01T00:00:00.000Z' });
  });

  it('reports broken feed XML as a clear error', () => {
    expect(() => parseFeed(rss('<item><title>Unclosed</item>'))).toThrow(/broken feed XML/);
    expect(() => parseFeed('<html><body>not a feed</body></html>')).toThrow(/not an RSS, Atom or JSON feed/);
    expect(() => parseFeed('{"version": "https://jsonfeed.org/version/1", "items": [')).toThrow(/broken JSON feed/);
  });

  it('caps a 100,000-item feed at maxItems before parsing, and says how many were skipped', () => {
    const big = rss(Array.from({ length: 100_000 }, (_, i) => rssItem(i)).join(''));
    const f = parseFeed(big, { maxItems: 1000 });
    expect(f.items).toHaveLength(1000);
    expect(f.items[999]!.title).toBe('Item 999');
    expect(f.skipped).toBe(99_000);
    expect(truncateXmlFeed(rss(rssItem(1)), 5).skipped).toBe(0);
  });

  it('reads feed files through readSources, one article per item, with the cap noted as an error line', async () => {
    const file = path.join(tmp, 'feed.xml');
    writeFileSync(file, rss(Array.from({ length: 5 }, (_, i) => rssItem(i)).join('')));
    const rs = await all([file], { maxFeedItems: 3 });
    expect(errors(rs)[0]!.error).toMatch(/read the first 3 .* skipped 2/);
    const arts = articles(rs);
    expect(arts).toHaveLength(3);
    expect(arts[0]).toMatchObject({ title: 'Item 0', url: 'https://feed.example/items/0', outlet: 'Feed Example', language: 'en', published: '2031-03-03T10:00:00.000Z' });
    expect(arts[0]!.text).toBe('Item 0\n\nSummary 0 with a inside CDATA.'); // the summary is HTML: its stray end tag is dropped
    const broken = path.join(tmp, 'broken.rss');
    writeFileSync(broken, '<rss><channel><item><title>x</title></channel>');
    const rb = await all([broken, file], { maxFeedItems: 3 });
    expect(errors(rb)[0]).toMatchObject({ source: broken, error: expect.stringMatching(/broken feed XML/) });
    expect(articles(rb)).toHaveLength(3);
  });

  it('reads a 100,000-item feed file over the size cap: its first items, and a note of what was skipped', async () => {
    const file = path.join(tmp, 'huge-feed.xml');
    writeFileSync(file, rss(Array.from({ length: 100_000 }, (_, i) => rssItem(i)).join('')));
    const rs = await all([file]);
    expect(errors(rs)).toEqual([{ source: file, error: expect.stringMatching(/^feed capped: read the first 1000 items \(maxFeedItems=1000\); skipped \d+ more items and the rest of a feed over the \d+-byte limit$/) }]);
    const arts = articles(rs);
    expect(arts).toHaveLength(1000);
    expect(arts[999]!.title).toBe('Item 999');
  });

  it('lists the feeds of an OPML file, nested outlines included', () => {
    const feeds = parseOpml(
      `<?xml version="1.0"?><opml version="2.0"><head><title>Subs</title></head><body><outline text="News"><outline text="A" type="rss" xmlUrl="https://a.example/rss"/><outline text="B" xmlUrl="https://b.example/atom"/></outline><outline text="C" xmlUrl="https://c.example/feed.json"/></body></opml>`,
    );
    expect(feeds.map((f) => f.url)).toEqual(['https://a.example/rss', 'https://b.example/atom', 'https://c.example/feed.json']);
  });
});

describe('dedup', () => {
  it('canonicalizes URLs', () => {
    expect(canonicalizeUrl('HTTP://WWW.Example.com:80/news/story/?utm_source=tw&utm_medium=x&b=2&a=1#comments')).toBe('https://example.com/news/story?a=1&b=2');
    expect(canonicalizeUrl('https://example.com:443/')).toBe('https://example.com/');
    expect(canonicalizeUrl('https://example.com/a/index.html?fbclid=zz')).toBe('https://example.com/a');
    expect(canonicalizeUrl('https://example.com:8080/a')).toBe('https://example.com:8080/a');
    expect(canonicalizeUrl('not a url')).toBe('not a url');
  });

  it('hashes text exactly, ignoring case, whitespace and quote styles', () => {
    expect(textHash('He said “yes”.\n\nThen  left.')).toBe(textHash('he said "yes". then left.'));
    expect(textHash('He said yes.')).not.toBe(textHash('He said no.'));
  });

  const story = Array.from({ length: 12 }, (_, i) =>
    `Paragraph ${i}: negotiators from Arvania and Tessel met in Velmora to discuss quota number ${i * 7} for the northern shoals, officials said after the session ended late in the evening.`,
  ).join('\n\n');
  const wire = `VELMORA (Coastal Wire) — ${story}\n\nReporting by Ana Ruiz; editing by Bo Lind.`;
  const reEdit = story.replace('quota number 14', 'quota number fourteen').replace('late in the evening', 'shortly before midnight');
  const other = Array.from({ length: 12 }, (_, i) => `Item ${i}: the cider co-operative in Orchard Valley voted to build pressing hall ${i} after a long meeting about loans and frost.`).join('\n\n');

  it('links wire copies and re-edits to the original, not unrelated stories', () => {
    const idx = new NearDupIndex();
    expect(idx.add('orig', story)).toEqual({ similarity: 0 });
    const w = idx.add('wire', wire);
    expect(w.duplicateOf).toBe('orig');
    expect(w.similarity).toBeGreaterThan(0.8);
    expect(idx.add('edit', reEdit).duplicateOf).toBe('orig');
    const trimmed = story.split('\n\n').slice(0, 8).join('\n\n'); // an outlet ran the first 8 of 12 paragraphs
    expect(idx.add('trim', trimmed)).toMatchObject({ duplicateOf: 'orig' });
    // A different story that quotes three of the original's paragraphs is related, not a copy.
    const quoting = [...story.split('\n\n').slice(0, 3), ...other.split('\n\n').slice(0, 9)].join('\n\n');
    expect(idx.add('quoting', quoting).duplicateOf).toBeUndefined();
    const o = idx.add('other', other);
    expect(o.duplicateOf).toBeUndefined();
    expect(idx.size).toBe(3); // duplicates are linked, not indexed
  });

  it('is deterministic and bounded by its capacity', () => {
    const run = () => {
      const idx = new NearDupIndex({ capacity: 3 });
      const res = [story, other, `${other} extra`, wire].map((t, i) => idx.add(`d${i}`, t));
      for (let i = 0; i < 10; i++) idx.add(`n${i}`, `${i} `.repeat(3) + other.split('').reverse().join('') + ` unique tail ${i} `.repeat(20));
      return { res, size: idx.size };
    };
    const a = run();
    expect(run()).toEqual(a);
    expect(a.size).toBeLessThanOrEqual(3);
    // After eviction the first story is forgotten: its wire copy is no longer matched.
    const idx = new NearDupIndex({ capacity: 1 });
    idx.add('orig', story);
    idx.add('other', other);
    expect(idx.add('wire', wire).duplicateOf).toBeUndefined();
  });

  it('Deduper checks canonical URL, then exact text, then near-duplicates, and links to the first', () => {
    const d = new Deduper();
    expect(d.check({ id: 'a', url: 'https://www.x.example/s?utm_source=rss', text: story })).toEqual({ similarity: 0 });
    expect(d.check({ id: 'b', url: 'http://x.example/s/', text: 'different text entirely' })).toEqual({ duplicateOf: 'a', reason: 'url', similarity: 1 });
    expect(d.check({ id: 'c', url: 'https://y.example/copy', text: story.toUpperCase() })).toEqual({ duplicateOf: 'a', reason: 'text', similarity: 1 });
    expect(d.check({ id: 'd', text: wire })).toMatchObject({ duplicateOf: 'a', reason: 'near' });
    expect(d.check({ id: 'e', text: other }).duplicateOf).toBeUndefined();
    expect(d.check({ id: 'a', url: 'https://x.example/s', text: story }).duplicateOf).toBeUndefined(); // the same article again is not its own duplicate
  });
});

