// Boilerplate removal around Readability: page chrome, captions, share/related/newsletter widgets
// before it scores the page, and leftover non-article blocks in what it returns. Readability's own
// heuristics keep much of this (P 0.914 on the extraction benchmark); these rules are ours, and
// their word lists live in data/ingest/boilerplate.json (passed in, see loadBoilerplateRules).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dataDir } from '../analyze/lexicons.js';

/** An element holding at least this share of the page's paragraph (or visible) text is never removed as noise. */
export const PROTECT_SHARE = 0.3;
/** A block whose text is at least this share link text is navigation, not prose. */
export const MAX_LINK_DENSITY = 0.6;
/** A list whose text is at least this share link text is a list of links (related stories)… */
export const MAX_LIST_LINK_DENSITY = 0.5;
/** …when its items average fewer characters than this (headlines, not sentences). */
export const MAX_LINK_LIST_ITEM_CHARS = 120;
/** Lines matching a boilerplate phrase are dropped only below this length (characters). */
export const BOILERPLATE_MAX_CHARS = 200;
/** Byline / dateline / credit lines are dropped only below this length. */
export const META_LINE_MAX_CHARS = 100;
/** A photo / media block (by class) is dropped only below this much text: more is content that merely has a picture. */
export const MEDIA_MAX_CHARS = 300;
/** Author sign-offs ("Follow him on Twitter…") are dropped only below this length. */
export const SIGN_OFF_MAX_CHARS = 300;

/** The word lists of data/ingest/boilerplate.json, as loaded. */
export interface BoilerplateData {
  noiseTags: string[];
  noiseRoles: string[];
  noiseClassWords: string[];
  noiseClassParts: string[];
  mediaClassWords: string[];
  boilerplateLineStarts: string[];
  boilerplateLinePatterns: string[];
  metaLinePatterns: string[];
  signOffPatterns: string[];
  shareWords: string[];
}

/** Compiled rules. */
export interface BoilerplateRules {
  noiseSelector: string;
  roleSelector: string;
  noiseClass: RegExp;
  noiseClassPart: RegExp;
  mediaClass: RegExp;
  boilerplateLine: RegExp[];
  metaLine: RegExp[];
  signOff: RegExp[];
  shareBar: RegExp;
}

export function compileBoilerplate(d: BoilerplateData): BoilerplateRules {
  const alt = (xs: string[]): string => xs.join('|');
  return {
    noiseSelector: d.noiseTags.join(','),
    roleSelector: d.noiseRoles.map((r) => `[role="${r}"]`).join(','),
    noiseClass: new RegExp(`(?:^|[\\s_-])(?:${alt(d.noiseClassWords)})(?:[\\s_-]|$)`, 'i'),
    noiseClassPart: new RegExp(alt(d.noiseClassParts), 'i'),
    mediaClass: new RegExp(`(?:^|[\\s_-])(?:${alt(d.mediaClassWords)})(?:[\\s_-]|$)`, 'i'),
    boilerplateLine: [new RegExp(`^(?:${alt(d.boilerplateLineStarts)})\\b`, 'iu'), ...d.boilerplateLinePatterns.map((p) => new RegExp(p, 'iu'))],
    metaLine: d.metaLinePatterns.map((p) => new RegExp(p, 'iu')),
    signOff: d.signOffPatterns.map((p) => new RegExp(p, 'iu')),
    shareBar: new RegExp(`^(?:(?:${alt(d.shareWords)})\\b\\W*){2,}$`, 'iu'),
  };
}

let cached: BoilerplateRules | undefined;
/** Load and compile data/ingest/boilerplate.json (cached for the default folder). */
export function loadBoilerplateRules(dir: string = dataDir()): BoilerplateRules {
  if (cached && dir === dataDir()) return cached;
  const d = JSON.parse(readFileSync(path.join(dir, 'ingest/boilerplate.json'), 'utf8')) as BoilerplateData;
  const r = compileBoilerplate(d);
  if (dir === dataDir()) cached = r;
  return r;
}

type El = {
  tagName: string;
  textContent: string | null;
  getAttribute(n: string): string | null;
  remove(): void;
  querySelectorAll(s: string): ArrayLike<El>;
  parentElement: El | null;
  nextElementSibling: El | null;
};

function paraTextLen(el: El): number {
  const ps = el.querySelectorAll('p');
  let n = 0;
  for (let i = 0; i < ps.length; i++) n += (ps[i]!.textContent ?? '').length;
  return n;
}

function classOf(el: El): string {
  return `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;
}

/** Embedded posts (tweets, Instagram) quoted in a story are part of it, whatever their wrapper is called. */
function holdsEmbed(el: El): boolean {
  return el.tagName === 'DIV' && el.querySelectorAll('blockquote').length > 0;
}

/** Remove page chrome and widgets from the document body before Readability scores it. */
export function preClean(body: El, rules: BoilerplateRules): void {
  for (const el of Array.from(body.querySelectorAll('script,style,template,noscript'))) el.remove();
  const total = paraTextLen(body) || 1;
  const totalText = (body.textContent ?? '').length || 1;
  const kill = (el: El): void => {
    // Never remove what holds a large part of the page's text: a "widget" class can wrap the article.
    if (paraTextLen(el) / total >= PROTECT_SHARE || (el.textContent ?? '').length / totalText >= PROTECT_SHARE) return;
    if (holdsEmbed(el)) return;
    el.remove();
  };
  for (const el of Array.from(body.querySelectorAll(rules.noiseSelector))) kill(el);
  for (const el of Array.from(body.querySelectorAll(rules.roleSelector))) kill(el);
  // Hidden by markup: not what a reader sees (Readability's own visibility check needs computed styles).
  for (const el of Array.from(body.querySelectorAll('[hidden],[style*="display:none"],[style*="display: none"],[style*="visibility:hidden"],[style*="visibility: hidden"]'))) kill(el);
  for (const el of Array.from(body.querySelectorAll('[class],[id]'))) {
    const cls = classOf(el);
    if (rules.noiseClass.test(cls) || rules.noiseClassPart.test(cls)) kill(el);
    else if (rules.mediaClass.test(cls) && (el.textContent ?? '').trim().length < MEDIA_MAX_CHARS) kill(el);
  }
}

function linkDensity(el: El): number {
  const len = (el.textContent ?? '').replace(/\s+/g, ' ').trim().length;
  if (!len) return 0;
  let links = 0;
  const as = el.querySelectorAll('a');
  for (let i = 0; i < as.length; i++) links += (as[i]!.textContent ?? '').replace(/\s+/g, ' ').trim().length;
  return links / len;
}

const any = (res: RegExp[], s: string): boolean => res.some((r) => r.test(s));

/** True when a short block of text is boilerplate rather than article prose. */
export function isBoilerplateLine(text: string, rules: BoilerplateRules): boolean {
  return (
    (text.length < BOILERPLATE_MAX_CHARS && (any(rules.boilerplateLine, text) || rules.shareBar.test(text))) ||
    (text.length < META_LINE_MAX_CHARS && any(rules.metaLine, text)) ||
    (text.length < SIGN_OFF_MAX_CHARS && any(rules.signOff, text))
  );
}

/** Drop leftover non-article blocks from Readability's output: widgets, link lists, link-only lines, share bars, pitches. */
export function postClean(root: El, rules: BoilerplateRules): void {
  const rootLen = (root.textContent ?? '').length;
  for (const el of Array.from(root.querySelectorAll('[class],[id]'))) {
    if (holdsEmbed(el)) continue;
    if (rules.noiseClass.test(classOf(el)) && (el.textContent ?? '').length < rootLen * PROTECT_SHARE) el.remove();
  }
  for (const el of Array.from(root.querySelectorAll('ul,ol'))) {
    const items = el.querySelectorAll('li').length || 1;
    const avg = (el.textContent ?? '').replace(/\s+/g, ' ').trim().length / items;
    if (linkDensity(el) >= MAX_LIST_LINK_DENSITY && avg < MAX_LINK_LIST_ITEM_CHARS) el.remove();
  }
  for (const el of Array.from(root.querySelectorAll('p,h1,h2,h3,h4,h5,h6,div'))) {
    if (!el.parentElement) continue;
    const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (!text || el.querySelectorAll('p,div,li,ul,ol,table').length > 0) continue; // leaf blocks only
    if (text.length < BOILERPLATE_MAX_CHARS && any(rules.boilerplateLine, text)) {
      // A "More stories" / "Related" heading takes the list under it along.
      const next = el.nextElementSibling;
      if (next && (next.tagName === 'UL' || next.tagName === 'OL')) next.remove();
    }
    if (linkDensity(el) >= MAX_LINK_DENSITY || isBoilerplateLine(text, rules)) el.remove();
  }
}
