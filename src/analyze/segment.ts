// Stage 1 — segment: text → tokens (wink-nlp), headlines, section headings, paragraphs, sentences.
// wink-nlp gives tokens, sentences and POS but keeps only each token's preceding spaces; we restore
// character offsets so every later stage works on spans of the one original text.
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import type { Paragraph, Section, Sentence, Span, Structure, Token } from './types.js';

/** A heading or headline line has at most this many words. */
export const MAX_HEADING_WORDS = 16;
/** A line longer than this many characters is body text, never a heading. */
export const MAX_HEADING_CHARS = 140;

// Loading the model is the costly part (~150 ms); do it once per process.
let nlpInstance: ReturnType<typeof winkNLP> | null = null;
/** wink-nlp with its default pipe (all annotations): the reference `npm run bench` compares against. */
export function nlp(): ReturnType<typeof winkNLP> {
  if (!nlpInstance) nlpInstance = winkNLP(model);
  return nlpInstance;
}

/**
 * The annotations segment() reads: sentence boundaries and POS (with lemmas). wink's negation,
 * sentiment and entity passes are never read, and leaving them out makes readDoc ~40% cheaper
 * with the same tokens, POS, lemmas and sentences (checked over all 924 PolNeAR articles).
 */
export const SEGMENT_PIPE = ['sbd', 'pos'];
let segmentInstance: ReturnType<typeof winkNLP> | null = null;
/** One of the model tables wink builds and grows as it reads (lexemes, affixes, shapes…). */
interface FeatureTable {
  hash: Record<string, number>;
  list: string[];
  index: number;
}
interface CoreModel {
  features: Record<string, FeatureTable>;
}
/** The parsed model, kept so that a fresh instance costs ~3 ms instead of ~70 ms. */
let core: CoreModel | null = null;
/** Size of each feature table as loaded: entries past it were learned from texts read since. */
const loadedSizes = new Map<string, number>();
/** Where the lexeme table stood before the current text. */
let lexemeMark = 0;
/** Texts the current instance has read. */
let textsRead = 0;
/**
 * A fresh instance every this many texts: learned word forms take memory (their slots stay, see
 * forgetLearned), so the instance is rebuilt from the loaded tables to keep memory flat.
 */
export const SEGMENTER_RECYCLE_TEXTS = 1000;

function tables(c: CoreModel): Array<[string, FeatureTable]> {
  return Object.entries(c.features).filter(([, f]) => f && typeof f.hash === 'object' && Array.isArray(f.list)) as Array<[string, FeatureTable]>;
}

/**
 * The model with each loader called once: the model package's loaders are not meant to run twice
 * (its CER loader re-stringifies its own result on every call), and the parsed core is reused.
 */
let wrapped: Record<string, unknown> | null = null;
function memoModel(m: { core: () => CoreModel }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(model as unknown as Record<string, unknown>)) {
    if (k === 'core') out[k] = (): CoreModel => (core ??= m.core());
    else if (typeof v === 'function' && v.length === 0) {
      let memo: unknown;
      let done = false;
      out[k] = (): unknown => (done ? memo : ((done = true), (memo = (v as () => unknown)())));
    } else out[k] = v;
  }
  return out;
}

/** The wink-nlp instance segment() uses (pipe SEGMENT_PIPE). */
export function segmenter(): ReturnType<typeof winkNLP> {
  if (!segmentInstance) resetSegmenter();
  return segmentInstance!;
}

/** Build a fresh segmenter instance over the loaded model tables (what was learned is dropped). */
export function resetSegmenter(): void {
  const m = model as unknown as { core: () => CoreModel };
  if (core) {
    for (const [k, f] of tables(core)) {
      const size = loadedSizes.get(k) ?? f.list.length;
      for (let i = size; i < f.list.length; i++) if (f.hash[f.list[i]!] === i) delete f.hash[f.list[i]!];
      f.list.length = size;
      f.index = size;
    }
  }
  wrapped ??= memoModel(m);
  if (!core) core = m.core();
  segmentInstance = winkNLP(wrapped as unknown as typeof model, SEGMENT_PIPE);
  if (loadedSizes.size === 0) for (const [k, f] of tables(core!)) loadedSizes.set(k, f.list.length);
  lexemeMark = core!.features.lexeme?.list.length ?? 0;
  textsRead = 0;
}

/**
 * wink-nlp remembers every new word form it reads, and its tokenizer looks a whole token up in that
 * memory before splitting it: "Rubio’s" is split into "Rubio" + "’s" by a fresh instance but kept
 * whole once an earlier text taught it "Rubio’s". So that a text always segments the same whatever
 * was read before (worker threads see texts in varying order), the forms a text taught are unlisted
 * after it. Their slots stay (wink's private tables are indexed by them), so a form read again is
 * learned afresh under a new index, as a fresh instance would learn it.
 */
function forgetLearned(): void {
  const f = core?.features.lexeme;
  if (f) {
    for (let i = lexemeMark; i < f.list.length; i++) if (f.hash[f.list[i]!] === i) delete f.hash[f.list[i]!];
    lexemeMark = f.list.length;
  }
  if (++textsRead >= SEGMENTER_RECYCLE_TEXTS) resetSegmenter();
}

/** The segmented document: what every later stage reads. */
export interface Doc {
  text: string;
  tokens: Token[];
  structure: Structure;
}

interface Block extends Span {
  lines: Span[];
}

/** Split on blank lines into blocks of non-empty lines, keeping offsets. */
function blocks(text: string): Block[] {
  const out: Block[] = [];
  let cur: Block | null = null;
  const re = /[^\n]*(\n|$)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0] === '' && m.index >= text.length) break;
    const raw = m[0].replace(/\r?\n$/, '');
    let s = m.index;
    let e = m.index + raw.length;
    while (s < e && /\s/.test(text[s]!)) s++;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    if (e <= s) {
      cur = null;
    } else {
      if (!cur) {
        cur = { start: s, end: e, lines: [] };
        out.push(cur);
      }
      cur.lines.push({ start: s, end: e });
      cur.end = e;
    }
    if (m[0] === '') re.lastIndex++;
  }
  return out;
}

/** A line that reads like a headline or section heading: short, no sentence-final punctuation. */
export function isHeadingLine(line: string): boolean {
  if (line.length > MAX_HEADING_CHARS) return false;
  const words = line.split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.length > MAX_HEADING_WORDS) return false;
  if (/[.!;,:]["'”’)]?$/.test(line) && !/\b(?:U\.S|U\.N|U\.K|Jr|Inc|Ltd)\.$/.test(line)) return false;
  if (/^["“‘']/.test(line) && /["”’']$/.test(line)) return false; // a quoted line is speech
  // Headlines capitalise their first word.
  return /^[\p{Lu}\p{N}'"“‘]/u.test(line);
}

/** A first line that is title-cased ("Stealth Over Health: Hillary Clinton Was Headed…") is a headline even with a final period. */
function isTitleCased(line: string): boolean {
  const words = line.split(/\s+/).filter((w) => /^[\p{L}]/u.test(w));
  if (words.length < 3 || words.length > MAX_HEADING_WORDS) return false;
  const caps = words.filter((w) => /^\p{Lu}/u.test(w)).length;
  return caps / words.length >= 0.6;
}

function toTokens(text: string): { tokens: Token[]; sentences: Array<[number, number]> } {
  const w = segmenter();
  const doc = w.readDoc(text);
  const its = w.its;
  const col = doc.tokens();
  const values = col.out() as string[];
  const spaces = col.out(its.precedingSpaces) as string[];
  const pos = col.out(its.pos) as string[];
  const norms = col.out(its.normal) as string[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const lemmas = col.out(its.lemma as any) as string[];
  const tokens: Token[] = [];
  let at = 0;
  for (let i = 0; i < values.length; i++) {
    at += spaces[i]!.length;
    const v = values[i]!;
    let start = at;
    if (text.startsWith(v, at) === false) {
      // wink occasionally normalises a token's value; fall back to searching forward.
      const found = text.indexOf(v, at);
      start = found >= 0 && found - at < 8 ? found : at;
    }
    const end = Math.min(text.length, start + v.length);
    tokens.push({ start, end, pos: pos[i]!, norm: norms[i] ?? v.toLowerCase(), lemma: lemmas[i] ?? norms[i] ?? v });
    at = end;
  }
  const sentences = doc.sentences().out(its.span) as unknown as Array<[number, number]>;
  forgetLearned();
  return { tokens, sentences };
}

/**
 * Segment a text. Lines before the first body paragraph that look like headlines are headlines;
 * later short lines that stand alone between paragraphs are section headings.
 */
export function segment(text: string): Doc {
  const bl = blocks(text);
  const headlines: Span[] = [];
  const sections: Section[] = [];
  const paragraphs: Paragraph[] = [];
  let bodyStarted = false;
  for (const b of bl) {
    const allHeadings = b.lines.every((l) => isHeadingLine(text.slice(l.start, l.end)));
    if (!bodyStarted && (allHeadings || (headlines.length === 0 && b.lines.length === 1 && isTitleCased(text.slice(b.start, b.end))))) {
      headlines.push(...b.lines);
      continue;
    }
    if (bodyStarted && allHeadings && b.lines.length === 1) {
      const h = b.lines[0]!;
      if (sections.length) sections[sections.length - 1]!.body.end = b.start;
      sections.push({ heading: h, body: { start: h.end, end: text.length } });
      continue;
    }
    bodyStarted = true;
    // A block with several lines: each line is its own paragraph when lines end a sentence.
    const endsSentences = b.lines.length > 1 && b.lines.slice(0, -1).every((l) => /[.!?"”’)]$/.test(text.slice(l.start, l.end)));
    const parts = endsSentences ? b.lines : [{ start: b.start, end: b.end }];
    for (const p of parts) paragraphs.push({ start: p.start, end: p.end, section: sections.length - 1 });
  }
  // A text of headings only (or one line) is still body: analyse it rather than drop it.
  if (paragraphs.length === 0 && headlines.length > 1) {
    const last = headlines.pop()!;
    paragraphs.push({ ...last, section: -1 });
  } else if (paragraphs.length === 0 && headlines.length === 1 && sections.length === 0) {
    const only = headlines.pop()!;
    paragraphs.push({ ...only, section: -1 });
  }

  const { tokens, sentences: raw } = toTokens(text);
  const sentences: Sentence[] = [];
  // Sentences come from wink; we clip them to paragraphs so none crosses a heading or a break.
  let p = 0;
  for (const [ts, te] of raw) {
    let i = ts;
    while (i <= te) {
      // skip whitespace tokens
      while (i <= te && tokens[i]!.pos === 'SPACE') i++;
      if (i > te) break;
      const t0 = tokens[i]!;
      while (p < paragraphs.length && paragraphs[p]!.end <= t0.start) p++;
      const para = paragraphs[p];
      if (!para || t0.start < para.start) {
        // Token in a headline/heading: skip to the next line.
        i++;
        continue;
      }
      let j = i;
      while (j + 1 <= te && tokens[j + 1]!.start < para.end) j++;
      let k = j;
      while (k > i && tokens[k]!.pos === 'SPACE') k--;
      sentences.push({ start: t0.start, end: tokens[k]!.end, tokenStart: i, tokenEnd: k + 1, paragraph: p });
      i = j + 1;
    }
  }
  return { text, tokens, structure: { headlines, sections, paragraphs, sentences } };
}
