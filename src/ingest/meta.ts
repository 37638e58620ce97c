// Page metadata from the head of an HTML document: title, byline, publication date, canonical URL,
// site name, language and JSON-LD articleBody, read before Readability mutates the document.

export interface PageMeta {
  title?: string;
  byline?: string;
  published?: string;
  canonicalUrl?: string;
  siteName?: string;
  language?: string;
  /** The `articleBody` of a JSON-LD NewsArticle/Article, when the page carries one. */
  jsonLdBody?: string;
  description?: string;
}

/** JSON-LD @types that describe an article. */
const ARTICLE_TYPES = /^(Article|NewsArticle|ReportageNewsArticle|AnalysisNewsArticle|OpinionNewsArticle|BlogPosting|LiveBlogPosting|Report|ScholarlyArticle|TechArticle|WebPage|SocialMediaPosting)$/;

/** Meta tags for the publication date, best first. */
const DATE_META = [
  'article:published_time',
  'og:published_time',
  'article:published',
  'datepublished',
  'date',
  'pubdate',
  'publishdate',
  'publish-date',
  'dc.date.issued',
  'dc.date',
  'dcterms.created',
  'parsely-pub-date',
  'sailthru.date',
  'cxenseparse:recs:publishtime',
];
const AUTHOR_META = ['author', 'article:author', 'parsely-author', 'sailthru.author', 'dc.creator', 'byl'];

type El = { getAttribute(n: string): string | null; textContent: string | null };
type Doc = {
  querySelectorAll(s: string): ArrayLike<El>;
  querySelector(s: string): El | null;
  documentElement: El | null;
  title?: string;
};

function clean(s: string | null | undefined): string | undefined {
  const t = s?.replace(/\s+/g, ' ').trim();
  return t ? t : undefined;
}

/** A date string normalised to ISO 8601 when it parses; undefined when it does not look like a date. */
export function normaliseDate(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const t = s.trim();
  // Already ISO-like: keep the writer's precision (a bare date stays a date).
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return t;
  const ms = Date.parse(t);
  if (!Number.isFinite(ms)) return undefined;
  const year = new Date(ms).getUTCFullYear();
  if (year < 1900 || year > 2200) return undefined;
  return new Date(ms).toISOString();
}

function flattenLd(v: unknown, out: Record<string, unknown>[]): void {
  if (Array.isArray(v)) for (const x of v) flattenLd(x, out);
  else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    out.push(o);
    if (o['@graph']) flattenLd(o['@graph'], out);
    if (o.mainEntity) flattenLd(o.mainEntity, out);
  }
}

function ldName(v: unknown): string | undefined {
  if (typeof v === 'string') return clean(v);
  if (Array.isArray(v)) {
    const names = v.map(ldName).filter((x): x is string => !!x);
    return names.length ? names.join(', ') : undefined;
  }
  if (v && typeof v === 'object') return clean((v as { name?: unknown }).name as string | undefined);
  return undefined;
}

function types(o: Record<string, unknown>): string[] {
  const t = o['@type'];
  return Array.isArray(t) ? t.map(String) : t ? [String(t)] : [];
}

/** Read metadata from a parsed document. `url` is the page's address, used for relative canonicals and the host. */
export function readMeta(doc: Doc, url?: string): PageMeta {
  const meta = new Map<string, string>();
  const metas = doc.querySelectorAll('meta');
  for (let i = 0; i < metas.length; i++) {
    const m = metas[i]!;
    const key = (m.getAttribute('property') ?? m.getAttribute('name') ?? m.getAttribute('itemprop') ?? '').toLowerCase().trim();
    const content = clean(m.getAttribute('content'));
    if (key && content && !meta.has(key)) meta.set(key, content);
  }
  const out: PageMeta = {};
  // JSON-LD
  const lds: Record<string, unknown>[] = [];
  const scripts = doc.querySelectorAll('script[type="application/ld+json"]');
  for (let i = 0; i < scripts.length; i++) {
    try {
      flattenLd(JSON.parse(scripts[i]!.textContent ?? ''), lds);
    } catch {
      // Broken JSON-LD is common; the meta tags still serve.
    }
  }
  const article = lds.find((o) => types(o).some((t) => ARTICLE_TYPES.test(t) && t !== 'WebPage')) ?? lds.find((o) => types(o).includes('WebPage'));
  if (article) {
    out.title = clean(article.headline as string) ?? clean(article.name as string);
    out.byline = ldName(article.author);
    out.published = normaliseDate(clean(article.datePublished as string) ?? clean(article.dateCreated as string));
    out.siteName = ldName(article.publisher);
    const body = article.articleBody;
    if (typeof body === 'string' && body.trim()) out.jsonLdBody = body;
    if (typeof article.inLanguage === 'string') out.language = clean(article.inLanguage);
  }
  out.title ??= meta.get('og:title') ?? meta.get('twitter:title') ?? clean(doc.querySelector('title')?.textContent);
  out.byline ??= AUTHOR_META.map((k) => meta.get(k)).find((v) => v && !/^https?:/.test(v));
  if (!out.published) {
    for (const k of DATE_META) {
      const d = normaliseDate(meta.get(k));
      if (d) {
        out.published = d;
        break;
      }
    }
  }
  if (!out.published) {
    const t = doc.querySelector('article time[datetime], time[pubdate], time[datetime]');
    out.published = normaliseDate(t?.getAttribute('datetime') ?? undefined);
  }
  out.siteName = meta.get('og:site_name') ?? meta.get('application-name') ?? out.siteName;
  const canon = clean(doc.querySelector('link[rel="canonical"]')?.getAttribute('href')) ?? meta.get('og:url');
  if (canon) {
    try {
      out.canonicalUrl = new URL(canon, url).href;
    } catch {
      // A canonical that is not a URL is ignored.
    }
  }
  const lang = clean(doc.documentElement?.getAttribute('lang')) ?? meta.get('og:locale') ?? meta.get('content-language') ?? out.language;
  if (lang) out.language = lang.toLowerCase().replace('_', '-').split('-')[0];
  out.description = meta.get('og:description') ?? meta.get('description');
  return out;
}

/** Site name for an article: the declared one, else the host without "www.". */
export function outletOf(meta: PageMeta, url?: string): string | undefined {
  if (meta.siteName) return meta.siteName;
  const u = meta.canonicalUrl ?? url;
  if (!u) return undefined;
  try {
    return new URL(u).hostname.replace(/^www\./, '') || undefined;
  } catch {
    return undefined;
  }
}
