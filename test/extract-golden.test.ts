// Golden pages for `parley extract`: hand-written HTML in test/fixtures/ingest/<slug>/source.html,
// the expected contract fields in expected.json. Regenerate after a deliberate change with
// `UPDATE_GOLDEN=1 npx vitest run test/extract-golden.test.ts` and review the diff.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { extractArticle } from '../src/ingest/extract.js';

const DIR = path.join(__dirname, 'fixtures/ingest');
const slugs = readdirSync(DIR).filter((d) => existsSync(path.join(DIR, d, 'source.html'))).sort();

function run(slug: string): Record<string, unknown> {
  const html = readFileSync(path.join(DIR, slug, 'source.html'), 'utf8');
  try {
    const e = extractArticle(html, { url: `https://example.test/${slug}` });
    const o: Record<string, unknown> = { title: e.title };
    if (e.byline) o.byline = e.byline;
    if (e.published) o.published = e.published;
    o.text = e.text;
    return o;
  } catch (err) {
    return { error: (err as Error).message };
  }
}

describe('extract golden pages', () => {
  it('has 3–5 golden pages', () => expect(slugs.length).toBeGreaterThanOrEqual(3));
  for (const slug of slugs) {
    it(slug, () => {
      const got = run(slug);
      const file = path.join(DIR, slug, 'expected.json');
      if (process.env.UPDATE_GOLDEN) writeFileSync(file, `${JSON.stringify(got, null, 2)}\n`);
      expect(got).toEqual(JSON.parse(readFileSync(file, 'utf8')));
    });
  }
  it('drops chrome, captions, ads, related links and comments from the news page', () => {
    const t = run('news-basic').text as string;
    for (const bad of ['Photo: Ledger staff', 'Advertisement', 'Related stories', 'Great article', 'All rights reserved', 'Sport', 'Tweet'])
      expect(t).not.toContain(bad);
    expect(t.split('\n\n')).toHaveLength(5);
  });
  it('keeps headings, list items and embedded posts, drops "You may also like"', () => {
    const t = run('headings-lists').text as string;
    expect(t).toContain('\n\nNew tram lines\n\n');
    expect(t).toContain('The University line will connect the campus');
    expect(t).toContain('Twenty years of campaigning');
    expect(t).not.toContain('You may also like');
    expect(t).not.toContain('Bridge repairs');
    expect(t).not.toContain('Published June 1');
  });
});
