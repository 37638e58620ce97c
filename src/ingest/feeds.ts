// Feed parsing: RSS 2.0 / RSS 1.0 (RDF), Atom, JSON Feed and OPML lists, with fast-xml-parser.
// A feed is cut to `maxItems` items *before* it is parsed, so a 100,000-item feed costs no more
// than a `maxItems` one; the items past the cap are counted and reported, not read.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { MAX_FEED_ITEMS, MAX_OPML_FEEDS } from './limits.js';
import { normaliseDate } from './meta.js';

export interface FeedItem {
  /** The item's guid / id, when it has one. */
  guid?: string;
  title?: string;
  /** The item's link (absolute). */
  url?: string;
  published?: string;
  author?: string;
  /** Full content (HTML) when the feed carries it: content:encoded, Atom content, JSON content_html. */
  contentHtml?: string;
  /** Plain-text content (JSON Feed content_text). */
  contentText?: string;
  /** Summary / description (HTML or text). */
  summary?: string;
}

export interface Feed {
  kind: 'rss' | 'atom' | 'json';
  title?: string;
  /** The site the feed belongs to. */
  link?: string;
  language?: string;
  items: FeedItem[];
  /** Items present past the cap and not read. */
  skipped: number;
  /** True when the document was cut short by the size cap (more items may have followed). */
  truncated?: boolean;
}

export class FeedError extends Error {}

export type FeedKind = 'rss' | 'atom' | 'json' | 'opml';

/** What kind of feed document this is, or undefined when it is not one. */
export function sniffFeed(text: string): FeedKind | undefined {
  const head = text.slice(0, 4096).replace(/^\uFEFF/, '').trimStart();
  // JSON Feed names itself in "version" (usually first); an article list with "items" is not one.
  if (head.startsWith('{')) return /"version"\s*:\s*"https?:\/\/jsonfeed\.org\/version\//.test(text.slice(0, 65_536)) ? 'json' : undefined;
  const body = head.replace(/<\?xml[^>]*\?>/, '').replace(/<!--[\s\S]*?-->/g, '').replace(/<!DOCTYPE[^>]*>/i, '').trimStart();
  if (/^<rss[\s>]/i.test(body) || /^<(rdf:)?RDF[\s>]/.test(body)) return 'rss';
  if (/^<feed[\s>]/.test(body)) return 'atom';
  if (/^<opml[\s>]/i.test(body)) return 'opml';
  return undefined;
}

// Skips CDATA and comments so an "</item>" inside them is not taken for a tag.
const ITEM_TAG = /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<(\/?)(item|entry)(?=[\s>/])[^>]*>/g;

/**
 * Cut an XML feed after its `max`-th item and close the elements left open, so only that much is
 * parsed. Returns the cut document and the number of items dropped.
 */
export function truncateXmlFeed(xml: string, max: number, partial = false): { xml: string; skipped: number } {
  ITEM_TAG.lastIndex = 0;
  let depth = 0;
  let items = 0;
  let cutAt = -1;
  let lastEnd = -1;
  let firstItem = -1;
  let skipped = 0;
  for (let m = ITEM_TAG.exec(xml); m; m = ITEM_TAG.exec(xml)) {
    if (!m[2]) continue; // CDATA or comment
    const selfClosing = m[0].endsWith('/>');
    if (m[1]) {
      depth--;
      if (depth === 0) {
        items++;
        if (items <= max) lastEnd = ITEM_TAG.lastIndex;
        if (items === max) cutAt = ITEM_TAG.lastIndex;
      }
    } else if (!selfClosing) {
      if (depth === 0) {
        if (firstItem < 0) firstItem = m.index;
        if (items >= max) skipped++;
      }
      depth++;
    }
  }
  // A document cut by the size cap ends mid-item: keep the items that are complete.
  if (partial && cutAt < 0 && lastEnd >= 0) cutAt = lastEnd;
  if (cutAt < 0 || (skipped === 0 && !partial)) return { xml, skipped: 0 };
  // Close whatever the header (before the first item) left open: <rss><channel>, <feed>, <rdf:RDF>.
  const stack: string[] = [];
  const header = xml.slice(0, firstItem).replace(/<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->/g, '');
  const TAG = /<(\/?)([A-Za-z_][\w.:-]*)[^>]*?(\/?)>/g;
  for (let m = TAG.exec(header); m; m = TAG.exec(header)) {
    if (m[3]) continue;
    if (m[1]) {
      const i = stack.lastIndexOf(m[2]!);
      if (i >= 0) stack.length = i;
    } else stack.push(m[2]!);
  }
  return { xml: xml.slice(0, cutAt) + stack.reverse().map((t) => `</${t}>`).join(''), skipped };
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  cdataPropName: false,
  processEntities: true,
  htmlEntities: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => ['item', 'entry', 'link', 'outline', 'category', 'author'].includes(name),
});

type X = Record<string, unknown>;

function txt(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return txt(v[0]);
  if (typeof v === 'object') return txt((v as X)['#text']);
  return undefined;
}

function abs(u: string | undefined, base: string | undefined): string | undefined {
  if (!u) return undefined;
  try {
    return new URL(u.trim(), base).href;
  } catch {
    return undefined;
  }
}

function validate(xml: string): void {
  const v = XMLValidator.validate(xml, { allowBooleanAttributes: true });
  if (v !== true) throw new FeedError(`broken feed XML: ${v.err.msg} (line ${v.err.line})`);
}

function parseXml(xml: string): X {
  validate(xml);
  try {
    return parser.parse(xml) as X;
  } catch (e) {
    throw new FeedError(`broken feed XML: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function atomLink(links: unknown, base?: string): string | undefined {
  const ls = (Array.isArray(links) ? links : [links]).filter(Boolean) as X[];
  const alt = ls.find((l) => typeof l === 'object' && (!l['@rel'] || l['@rel'] === 'alternate')) ?? ls[0];
  if (!alt) return undefined;
  return abs(typeof alt === 'string' ? alt : (alt['@href'] as string | undefined), base);
}

function parseRss(doc: X, base: string | undefined, skipped: number): Feed {
  const rss = (doc.rss ?? doc['rdf:RDF'] ?? doc.RDF) as X;
  const channel = (rss.channel ?? {}) as X;
  // RSS 1.0 keeps items beside the channel, RSS 2.0 inside it.
  const items = ((channel.item ?? rss.item ?? []) as X[]).filter((i) => i && typeof i === 'object');
  const link = abs(txt(channel.link), base);
  return {
    kind: 'rss',
    title: txt(channel.title),
    link,
    language: txt(channel.language),
    skipped,
    items: items.map((i) => ({
      guid: txt(i.guid) ?? (i['@rdf:about'] as string | undefined),
      title: txt(i.title),
      url: abs(txt(i.link) ?? (txt(i.guid) && /^https?:/.test(txt(i.guid)!) ? txt(i.guid) : undefined), link ?? base),
      published: normaliseDate(txt(i.pubDate) ?? txt(i['dc:date']) ?? txt(i.published)),
      author: txt(i['dc:creator']) ?? txt(i.author),
      contentHtml: txt(i['content:encoded']),
      summary: txt(i.description),
    })),
  };
}

function parseAtom(doc: X, base: string | undefined, skipped: number): Feed {
  const feed = doc.feed as X;
  const link = atomLink(feed.link, base);
  const entries = ((feed.entry ?? []) as X[]).filter((e) => e && typeof e === 'object');
  return {
    kind: 'atom',
    title: txt(feed.title),
    link,
    language: (feed['@xml:lang'] as string | undefined) ?? undefined,
    skipped,
    items: entries.map((e) => ({
      guid: txt(e.id),
      title: txt(e.title),
      url: atomLink(e.link, link ?? base),
      published: normaliseDate(txt(e.published) ?? txt(e.updated)),
      author: txt(((e.author as X[] | undefined)?.[0] as X | undefined)?.name),
      contentHtml: txt(e.content),
      summary: txt(e.summary),
    })),
  };
}

function parseJsonFeed(text: string, base: string | undefined, maxItems: number): Feed {
  let doc: X;
  try {
    doc = JSON.parse(text) as X;
  } catch (e) {
    throw new FeedError(`broken JSON feed: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.items)) throw new FeedError('JSON feed without an "items" array');
  const all = doc.items as X[];
  const link = abs(doc.home_page_url as string | undefined, base);
  return {
    kind: 'json',
    title: typeof doc.title === 'string' ? doc.title : undefined,
    link,
    language: typeof doc.language === 'string' ? doc.language : undefined,
    skipped: Math.max(0, all.length - maxItems),
    items: all
      .slice(0, maxItems)
      .filter((i) => i && typeof i === 'object')
      .map((i) => ({
        guid: i.id !== undefined ? String(i.id) : undefined,
        title: typeof i.title === 'string' ? i.title : undefined,
        url: abs((i.url ?? i.external_url) as string | undefined, link ?? base),
        published: normaliseDate(i.date_published as string | undefined),
        author: (((i.authors as X[] | undefined)?.[0] ?? i.author) as X | undefined)?.name as string | undefined,
        contentHtml: typeof i.content_html === 'string' ? i.content_html : undefined,
        contentText: typeof i.content_text === 'string' ? i.content_text : undefined,
        summary: typeof i.summary === 'string' ? i.summary : undefined,
      })),
  };
}

/** Parse an RSS, Atom or JSON feed. `base` resolves relative links. Throws FeedError on broken input. */
export function parseFeed(text: string, opts: { base?: string; maxItems?: number; partial?: boolean } = {}): Feed {
  const maxItems = opts.maxItems ?? MAX_FEED_ITEMS;
  const kind = sniffFeed(text);
  if (kind === 'json') {
    if (opts.partial) throw new FeedError('JSON feed is over the size limit');
    return parseJsonFeed(text, opts.base, maxItems);
  }
  if (kind !== 'rss' && kind !== 'atom') throw new FeedError(kind === 'opml' ? 'an OPML list, not a feed' : 'not an RSS, Atom or JSON feed');
  const cut = truncateXmlFeed(text, maxItems, opts.partial);
  const doc = parseXml(cut.xml);
  const feed = kind === 'rss' ? parseRss(doc, opts.base, cut.skipped) : parseAtom(doc, opts.base, cut.skipped);
  if (opts.partial) feed.truncated = true;
  return feed;
}

/** The feed URLs of an OPML list (outlines with xmlUrl, nested or not), in document order. */
export function parseOpml(text: string, opts: { base?: string; maxFeeds?: number } = {}): { title?: string; url: string }[] {
  const doc = parseXml(text);
  const opml = doc.opml as X | undefined;
  if (!opml) throw new FeedError('not an OPML document');
  const out: { title?: string; url: string }[] = [];
  const walk = (outlines: unknown): void => {
    for (const o of (Array.isArray(outlines) ? outlines : [outlines]) as X[]) {
      if (!o || typeof o !== 'object') continue;
      const u = abs(o['@xmlUrl'] as string | undefined, opts.base);
      if (u && out.length < (opts.maxFeeds ?? MAX_OPML_FEEDS)) out.push({ title: (o['@title'] ?? o['@text']) as string | undefined, url: u });
      if (o.outline) walk(o.outline);
    }
  };
  walk(((opml.body ?? {}) as X).outline);
  return out;
}
