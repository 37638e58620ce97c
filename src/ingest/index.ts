// Ingest entry point: turns inputs (files, folders, feed files, page/feed URLs, OPML lists) into
// `Article`s, one at a time. Errors are per item — `{error, source}` — and the batch goes on.
import { open, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Article } from '../analyze/types.js';
import { detectLanguage } from '../analyze/language.js';
import { decodeMarkup, decodeUtf8Strict, DecodeError, looksBinary } from './decode.js';
import { extractArticle, ExtractError, htmlToText } from './extract.js';
import { parseFeed, parseOpml, sniffFeed, FeedError, type Feed, type FeedItem } from './feeds.js';
import { fetchUrl, FetchError, HostRateLimiter, type FetchOptions } from './fetch.js';
import { canonicalizeUrl, shortHash } from './dedup.js';
import { MAX_FEED_BYTES, MAX_FEED_ITEMS, MAX_FOLDER_FILES, MAX_PAGE_BYTES, MAX_TEXT_FILE_BYTES } from './limits.js';
import { normaliseDate } from './meta.js';

export { canonicalizeUrl, textHash, NearDupIndex, Deduper, type DedupVerdict } from './dedup.js';
export { fetchUrl, FetchError, HostRateLimiter, MemoryValidatorCache, type ValidatorCache } from './fetch.js';
export { extractArticle } from './extract.js';

export type SourceResult = { article: Article } | { error: string; source: string };

export interface ReadSourcesOptions {
  /** Fetch options for URLs (allowPrivate, timeouts, cache for conditional GET, rate limiter…). */
  fetch?: FetchOptions;
  /** Items read per feed (default MAX_FEED_ITEMS = 1000). */
  maxFeedItems?: number;
  /**
   * For feed items without full content, fetch the item's page and extract it (default true).
   * When false (or the fetch fails) the item's summary is used.
   */
  fetchItemPages?: boolean;
  /** A feed item's content counts as the full article from this many characters of text. */
  minFeedContentChars?: number;
}

/** A feed item whose own content is at least this long (characters of text) is not fetched again. */
export const FULL_CONTENT_CHARS = 800;

/** File extensions read from folders, and what each holds. */
const EXT_KIND: Record<string, 'text' | 'html' | 'json' | 'jsonl' | 'feed' | 'opml'> = {
  '.txt': 'text', '.md': 'text', '.html': 'html', '.htm': 'html', '.json': 'json', '.jsonl': 'jsonl', '.ndjson': 'jsonl',
  '.xml': 'feed', '.rss': 'feed', '.atom': 'feed', '.opml': 'opml',
};

function articleId(canonicalUrl: string | undefined, text: string): string {
  return shortHash(canonicalUrl ? `url:${canonicalUrl}` : `text:${text}`);
}

/** Put the title on the first line of the analysed text (as the seed .txt format has it). */
function withTitle(title: string | undefined, body: string): string {
  const t = title?.replace(/\s+/g, ' ').trim();
  if (!t) return body;
  if (body.startsWith(t)) return body;
  return `${t}\n\n${body}`;
}

/** What a source knows of an article before its id and final text are made. */
type ArticleParts = Omit<Article, 'id' | 'text' | 'source'> & { body: string; source: string; textIsFinal?: boolean };

function makeArticle(p: ArticleParts): Article {
  const text = p.textIsFinal ? p.body : withTitle(p.title, p.body);
  const canon = p.canonicalUrl ?? (p.url ? canonicalizeUrl(p.url) : undefined);
  const a: Article = { id: articleId(canon ? canonicalizeUrl(canon) : undefined, text), text };
  if (p.url) a.url = p.url;
  if (canon) a.canonicalUrl = canon;
  if (p.title) a.title = p.title.replace(/\s+/g, ' ').trim();
  if (p.byline) a.byline = p.byline;
  if (p.published) a.published = p.published;
  const outlet = p.outlet ?? hostOf(p.canonicalUrl ?? p.url);
  if (outlet) a.outlet = outlet;
  a.language = p.language ?? detectLanguage(text);
  a.source = p.source;
  return a;
}

function hostOf(u: string | undefined): string | undefined {
  if (!u) return undefined;
  try {
    return new URL(u).hostname.replace(/^www\./, '') || undefined;
  } catch {
    return undefined;
  }
}

function message(e: unknown): string {
  if (e instanceof FetchError || e instanceof FeedError || e instanceof ExtractError || e instanceof DecodeError) return e.message;
  if (e instanceof Error) return e.message.split('\n')[0]!;
  return String(e);
}

/** Headline of a .txt/.md file: its first non-empty line (a leading "#" dropped). */
function firstLine(text: string): string | undefined {
  const line = text.split('\n').find((l) => l.trim());
  return line?.replace(/^#+\s*/, '').trim() || undefined;
}

function htmlArticle(html: string, source: string, url?: string): Article {
  const e = extractArticle(html, { url });
  return makeArticle({
    url,
    canonicalUrl: e.canonicalUrl ? canonicalizeUrl(e.canonicalUrl) : undefined,
    title: e.title,
    byline: e.byline,
    published: e.published,
    outlet: e.outlet,
    language: e.language,
    body: e.text,
    source,
  });
}

/** An article from a JSON object: {title?, text|body|content|articleBody, url?, published?|date?, byline?|author?, outlet?}. */
function jsonArticle(o: unknown, source: string): Article {
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new Error('not a JSON object');
  const r = o as Record<string, unknown>;
  const str = (...keys: string[]): string | undefined => {
    for (const k of keys) if (typeof r[k] === 'string' && (r[k] as string).trim()) return r[k] as string;
    return undefined;
  };
  const url = str('url', 'link');
  const html = str('html');
  if (html && !str('text', 'body', 'content', 'articleBody')) return htmlArticle(html, source, url);
  const body = str('text', 'body', 'content', 'articleBody');
  if (!body) throw new Error('no "text" field');
  const title = str('title', 'headline');
  return makeArticle({
    url,
    title,
    byline: str('byline', 'author'),
    published: normaliseDate(str('published', 'date', 'datePublished')) ?? str('published'),
    outlet: str('outlet', 'source', 'site'),
    language: str('language', 'lang'),
    body,
    source,
    // A text that already starts with its title is kept as written.
    textIsFinal: !title,
  });
}

/** Stat a file that is to be read: one-line errors for a missing file, a directory, an empty file. */
async function statReadable(file: string): Promise<Awaited<ReturnType<typeof stat>>> {
  let st;
  try {
    st = await stat(file);
  } catch {
    throw new Error('no such file');
  }
  if (st.isDirectory()) throw new Error('is a directory');
  if (st.size === 0) throw new Error('empty file');
  return st;
}

async function readBytes(file: string, max: number): Promise<Buffer> {
  const st = await statReadable(file);
  if (st.size > max) throw new Error(`file of ${st.size} bytes is over the ${max}-byte limit`);
  return readFile(file);
}

/** Cut a byte prefix back to its last "<", so no multi-byte character or tag is split. */
function cutAtTag(buf: Buffer): Buffer {
  const i = buf.lastIndexOf(0x3c);
  return i > 0 ? buf.subarray(0, i) : buf;
}

/** The first `max` bytes of a file (cut at a tag boundary when the file is longer). */
async function readPrefix(file: string, max: number): Promise<{ buf: Buffer; truncated: boolean }> {
  const st = await statReadable(file);
  if (st.size <= max) return { buf: await readFile(file), truncated: false };
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(max);
    const { bytesRead } = await fh.read(buf, 0, max, 0);
    return { buf: cutAtTag(buf.subarray(0, bytesRead)), truncated: true };
  } finally {
    await fh.close();
  }
}

function itemSource(feedSource: string, item: FeedItem, i: number): string {
  return `${feedSource}#${item.url ?? item.guid ?? `item-${i + 1}`}`;
}

async function* feedArticles(feed: Feed, source: string, opts: ReadSourcesOptions, limiter: HostRateLimiter): AsyncGenerator<SourceResult> {
  if (feed.skipped > 0 || feed.truncated) {
    const more = feed.truncated ? `${feed.skipped} more items and the rest of a feed over the ${MAX_FEED_BYTES}-byte limit` : `${feed.skipped} more items`;
    yield { error: `feed capped: read the first ${feed.items.length} items (maxFeedItems=${opts.maxFeedItems ?? MAX_FEED_ITEMS}); skipped ${more}`, source };
  }
  const minChars = opts.minFeedContentChars ?? FULL_CONTENT_CHARS;
  for (let i = 0; i < feed.items.length; i++) {
    const item = feed.items[i]!;
    const src = itemSource(source, item, i);
    try {
      const own = item.contentText ?? (item.contentHtml ? htmlToText(item.contentHtml) : '');
      let article: Article | undefined;
      if (own.length < minChars && item.url && opts.fetchItemPages !== false) {
        try {
          const res = await fetchUrl(item.url, { accept: 'html', rateLimiter: limiter, ...opts.fetch, truncate: false });
          // A page unchanged since the last poll (conditional GET) was read then: nothing new.
          if (res.notModified) continue;
          article = htmlArticle(decodeMarkup(res.body, res.contentType), src, res.url);
        } catch (e) {
          if (!own && !item.summary) throw e;
        }
      }
      if (!article) {
        const body = own || (item.summary ? htmlToText(item.summary) : '');
        if (!body.trim()) throw new Error('feed item has no text');
        article = makeArticle({ url: item.url, title: item.title, byline: item.author, published: item.published, outlet: feed.title, language: feed.language?.split('-')[0]?.toLowerCase(), body, source: src });
      }
      // Feed dates and titles are authoritative when the page lacks them.
      if (!article.published && item.published) article.published = item.published;
      yield { article };
    } catch (e) {
      yield { error: message(e), source: src };
    }
  }
}

async function* fromUrl(url: string, opts: ReadSourcesOptions, limiter: HostRateLimiter): AsyncGenerator<SourceResult> {
  // Read up to the feed cap without failing: a huge feed still yields its first items.
  const res = await fetchUrl(url, { accept: 'any', maxBytes: MAX_FEED_BYTES, rateLimiter: limiter, ...opts.fetch, truncate: true });
  if (res.notModified) return; // conditional GET: nothing new since last time
  if (looksBinary(res.body)) throw new FetchError('binary', 'binary content, not a page or feed', url);
  const body = res.truncated ? cutAtTag(res.body) : res.body;
  const text = decodeMarkup(body, res.contentType);
  const kind = sniffFeed(text);
  if (res.truncated && kind !== 'rss' && kind !== 'atom') throw new FetchError('too-large', `body is over the ${res.body.length}-byte limit`, url);
  if (!kind && res.body.length > MAX_PAGE_BYTES) throw new FetchError('too-large', `page of ${res.body.length} bytes is over the ${MAX_PAGE_BYTES}-byte limit`, url);
  if (kind === 'opml') {
    for (const f of parseOpml(text, { base: res.url })) yield* guarded(f.url, () => fromUrl(f.url, opts, limiter));
    return;
  }
  if (kind) {
    yield* feedArticles(parseFeed(text, { base: res.url, maxItems: opts.maxFeedItems, partial: res.truncated }), url, opts, limiter);
    return;
  }
  if (/json/i.test(res.contentType)) throw new Error('JSON that is not a JSON Feed');
  yield { article: htmlArticle(text, url, res.url) };
}

async function* fromFile(file: string, opts: ReadSourcesOptions, limiter: HostRateLimiter): AsyncGenerator<SourceResult> {
  const ext = path.extname(file).toLowerCase();
  const kind = EXT_KIND[ext] ?? 'text';
  if (kind === 'html') {
    const buf = await readBytes(file, MAX_PAGE_BYTES);
    if (looksBinary(buf)) throw new Error('binary content, not HTML');
    yield { article: htmlArticle(decodeMarkup(buf), file) };
    return;
  }
  if (kind === 'feed' || kind === 'opml') {
    const { buf, truncated } = await readPrefix(file, MAX_FEED_BYTES);
    const text = decodeMarkup(buf);
    const sniffed = sniffFeed(text);
    if (truncated && sniffed !== 'rss' && sniffed !== 'atom') throw new Error(`file is over the ${MAX_FEED_BYTES}-byte limit`);
    if (sniffed === 'opml') {
      for (const f of parseOpml(text)) yield* guarded(f.url, () => fromUrl(f.url, opts, limiter));
      return;
    }
    yield* feedArticles(parseFeed(text, { maxItems: opts.maxFeedItems, partial: truncated }), file, opts, limiter);
    return;
  }
  const buf = await readBytes(file, MAX_TEXT_FILE_BYTES);
  if (looksBinary(buf)) throw new Error('binary content, not text');
  const text = decodeUtf8Strict(buf);
  if (!text.trim()) throw new Error('empty file');
  if (kind === 'jsonl') {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i]!.trim()) continue;
      const src = `${file}:${i + 1}`;
      try {
        let o: unknown;
        try {
          o = JSON.parse(lines[i]!);
        } catch {
          throw new Error('invalid JSON');
        }
        yield { article: jsonArticle(o, src) };
      } catch (e) {
        yield { error: message(e), source: src };
      }
    }
    return;
  }
  if (kind === 'json') {
    if (sniffFeed(text) === 'json') {
      yield* feedArticles(parseFeed(text, { maxItems: opts.maxFeedItems }), file, opts, limiter);
      return;
    }
    let o: unknown;
    try {
      o = JSON.parse(text);
    } catch (e) {
      throw new Error(`invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    const list = Array.isArray(o) ? o : [o];
    for (let i = 0; i < list.length; i++) {
      const src = Array.isArray(o) ? `${file}[${i}]` : file;
      try {
        yield { article: jsonArticle(list[i], src) };
      } catch (e) {
        yield { error: message(e), source: src };
      }
    }
    return;
  }
  // .txt / .md: the file content is the analysed text, unchanged; the first line is the headline.
  yield { article: makeArticle({ title: firstLine(text), body: text, source: file, textIsFinal: true }) };
}

async function* walkFolder(dir: string): AsyncGenerator<string> {
  const stack = [dir];
  let n = 0;
  while (stack.length) {
    const d = stack.pop()!;
    const entries = (await readdir(d, { withFileTypes: true })).filter((e) => !e.name.startsWith('.')).sort((a, b) => (a.name < b.name ? -1 : 1));
    const subdirs: string[] = [];
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) subdirs.push(p);
      else if (e.isFile() && EXT_KIND[path.extname(e.name).toLowerCase()]) {
        if (++n > MAX_FOLDER_FILES) return;
        yield p;
      }
    }
    stack.push(...subdirs.reverse());
  }
}

/** Run a source generator, turning a thrown error into one `{error, source}` result. */
async function* guarded(source: string, gen: () => AsyncGenerator<SourceResult>): AsyncGenerator<SourceResult> {
  try {
    yield* gen();
  } catch (e) {
    yield { error: message(e), source };
  }
}

/**
 * Read articles from inputs: files (.txt .md .html .json .jsonl, feeds .xml .rss .atom, .opml),
 * folders (recursively, in name order), and http(s) URLs of pages, feeds or OPML lists.
 * Yields `{article}` or `{error, source}` per item; one bad item never stops the batch.
 */
export async function* readSources(inputs: string[], opts: ReadSourcesOptions = {}): AsyncGenerator<SourceResult> {
  const limiter = opts.fetch?.rateLimiter ?? new HostRateLimiter();
  for (const input of inputs) {
    if (/^https?:\/\//i.test(input)) {
      yield* guarded(input, () => fromUrl(input, opts, limiter));
      continue;
    }
    let isDir = false;
    try {
      isDir = (await stat(input)).isDirectory();
    } catch {
      yield { error: 'no such file or directory', source: input };
      continue;
    }
    if (isDir) {
      for await (const f of walkFolder(input)) yield* guarded(f, () => fromFile(f, opts, limiter));
    } else yield* guarded(input, () => fromFile(input, opts, limiter));
  }
}
