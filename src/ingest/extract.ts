// Article extraction from an HTML page: metadata, then the article body as plain text, using
// @mozilla/readability over linkedom with cleanup (src/ingest/clean.ts) and fallbacks around it.
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { domToText } from './html-text.js';
import { readMeta, outletOf, normaliseDate, type PageMeta } from './meta.js';
import { preClean, postClean, loadBoilerplateRules, type BoilerplateRules } from './clean.js';
import { detectLanguage } from '../analyze/language.js';

export interface Extracted {
  title: string;
  byline?: string;
  published?: string;
  /** Article body: paragraphs separated by a blank line. */
  text: string;
  canonicalUrl?: string;
  outlet?: string;
  language?: string;
  /** Which candidate produced the text: readability, readability-raw, json-ld or paragraphs. */
  rule: string;
}

export class ExtractError extends Error {}

/** Readability's own charThreshold: an article shorter than this makes it retry with looser rules. */
export const READABILITY_CHAR_THRESHOLD = 500;
/** Below this many characters the cleaned Readability text counts as "too little" and fallbacks are tried. */
export const MIN_BODY_CHARS = 250;
/** A page whose best candidate is shorter than this (characters) holds no article. */
export const MIN_ARTICLE_CHARS = 80;
/** The all-paragraphs fallback replaces a short extraction only when it is this many times longer. */
export const FALLBACK_LONGER_RATIO = 1.5;
/** JSON-LD articleBody replaces a short extraction only when it is this many times longer… */
export const JSONLD_LONGER_RATIO = 1.5;
/** …and shares at least this share of the extraction's words (so it is the same article). */
export const JSONLD_MIN_OVERLAP = 0.6;

/**
 * Deepest element nesting accepted. The 181 benchmark pages nest at most 49 levels (by markupDepth);
 * adversarial nesting makes parsing and Readability quadratic (50,000 levels took minutes), so it
 * is refused before parsing.
 */
export const MAX_HTML_NESTING = 400;

type AnyDoc = ReturnType<typeof parseHTML>['document'];

// Scripts, styles and comments are skipped; void elements and those whose end tag is optional in
// practice (p, li, td…) do not count, so sloppy markup does not look deep.
const TAG_SCAN = /<script\b[\s\S]*?<\/script\s*>|<style\b[\s\S]*?<\/style\s*>|<!--[\s\S]*?-->|<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g;
const NOT_NESTING = new Set(
  'area base br col embed hr img input link meta param source track wbr p li td th tr dt dd option tbody thead tfoot colgroup html head body'.split(' '),
);

/** Deepest nesting of elements in the markup (a linear scan, before any parsing). */
export function markupDepth(html: string): number {
  let depth = 0;
  let max = 0;
  TAG_SCAN.lastIndex = 0;
  for (let m = TAG_SCAN.exec(html); m; m = TAG_SCAN.exec(html)) {
    if (!m[2] || m[3] || NOT_NESTING.has(m[2].toLowerCase())) continue;
    if (m[1]) depth = Math.max(0, depth - 1);
    else if (++depth > max) max = depth;
  }
  return max;
}

export function parseDocument(html: string): AnyDoc {
  // linkedom needs a full document to give us a <body>.
  const src = /<html[\s>]/i.test(html.slice(0, 2000)) ? html : `<!doctype html><html><head></head><body>${html}</body></html>`;
  return parseHTML(src).document;
}

function norm(s: string): string {
  return s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** Drop a first paragraph that only repeats the headline (Readability misses it when markup differs). */
function dropLeadingTitle(text: string, title: string | undefined): string {
  if (!title) return text;
  const paras = text.split('\n\n');
  const t = norm(title);
  const first = norm(paras[0] ?? '');
  if (paras.length > 1 && first && (t === first || t.startsWith(`${first} `) || (first.startsWith(t) && first.length < t.length + 40))) {
    return paras.slice(1).join('\n\n');
  }
  return text;
}

function wordSet(s: string): Set<string> {
  return new Set(s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}

function overlap(small: string, big: string): number {
  const a = wordSet(small);
  const b = wordSet(big);
  if (!a.size) return 1;
  let n = 0;
  for (const w of a) if (b.has(w)) n++;
  return n / a.size;
}

/** Text of all <p> elements in the (pre-cleaned) body: the last resort when Readability finds nothing. */
function paragraphsFallback(body: { querySelectorAll(s: string): ArrayLike<unknown> } | null): string {
  if (!body) return '';
  const ps = Array.from(body.querySelectorAll('p'));
  return ps
    .map((p) => domToText(p))
    .filter((t) => t.length > 0)
    .join('\n\n');
}

/** Plain text of an HTML fragment (a feed item's content or summary), with the same nesting guard. */
export function htmlToText(html: string): string {
  if (markupDepth(html) > MAX_HTML_NESTING) throw new ExtractError(`HTML nesting is deeper than ${MAX_HTML_NESTING} levels`);
  return domToText(parseDocument(html).body);
}

/** Steps of our own around Readability that can be switched off to measure what each adds. */
export type ExtractStep = 'preClean' | 'postClean' | 'fallbacks';

export interface ExtractOptions {
  /** The page's address: resolves the canonical URL and names the outlet. */
  url?: string;
  /** Boilerplate rules (default: data/ingest/boilerplate.json). */
  rules?: BoilerplateRules;
  /** Steps to skip (for ablation in eval:extract). */
  skip?: ExtractStep[];
}

/** Extract the article from an HTML page. Throws ExtractError when the page holds no article text. */
export function extractArticle(html: string, opts: ExtractOptions = {}): Extracted {
  const on = (s: ExtractStep): boolean => !opts.skip?.includes(s);
  const rules = opts.rules ?? loadBoilerplateRules();
  if (markupDepth(html) > MAX_HTML_NESTING) throw new ExtractError(`page nesting is deeper than ${MAX_HTML_NESTING} levels`);
  const doc = parseDocument(html);
  const meta: PageMeta = readMeta(doc as never, opts.url);
  if (doc.body && on('preClean')) preClean(doc.body as never, rules);
  const reader = new Readability(doc as unknown as Document, {
    charThreshold: READABILITY_CHAR_THRESHOLD,
    serializer: (n: Node) => n,
    keepClasses: true,
  });
  const res = reader.parse();
  let rule = 'readability';
  let text = '';
  if (res?.content) {
    if (on('postClean')) postClean(res.content as never, rules);
    text = domToText(res.content);
  }
  const title = meta.title ?? res?.title ?? '';
  if (on('fallbacks')) text = dropLeadingTitle(text, title);
  if (text.length < MIN_BODY_CHARS && on('fallbacks')) {
    const ld = meta.jsonLdBody?.trim();
    if (ld && ld.length >= JSONLD_LONGER_RATIO * Math.max(text.length, 1) && (text.length === 0 || overlap(text, ld) >= JSONLD_MIN_OVERLAP)) {
      text = ld.replace(/\r\n?/g, '\n').replace(/\n\s*\n?/g, '\n\n');
      rule = 'json-ld';
    } else {
      // Readability has mutated the document: parse the page again for this rare path.
      const again = parseDocument(html);
      if (again.body && on('preClean')) preClean(again.body as never, rules);
      const ps = paragraphsFallback(again.body);
      if (ps.length >= FALLBACK_LONGER_RATIO * Math.max(text.length, 1)) {
        text = ps;
        rule = 'paragraphs';
      }
    }
  }
  if (text.trim().length < MIN_ARTICLE_CHARS) throw new ExtractError('no article text found in the page');
  return {
    title,
    byline: meta.byline ?? res?.byline ?? undefined,
    published: meta.published ?? normaliseDate(res?.publishedTime ?? undefined),
    text,
    canonicalUrl: meta.canonicalUrl,
    outlet: outletOf(meta, opts.url),
    language: meta.language ?? detectLanguage(text),
    rule,
  };
}
