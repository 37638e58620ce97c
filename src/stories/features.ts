// Cheap per-article features for story clustering: content words, named things (who/where) and
// numbers/dates (when/how many). Plain regexes rather than the wink pipeline so `cluster` stays fast.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Analysis } from '../analyze/types.js';

/** Word lists the clusterer needs, loaded from `data/stories/` and passed in. */
export interface StoryLexicon {
  stopwords: Set<string>;
  /** Nouns that never head a brief section (roles, time words): data/stories/brief-words.json. */
  notThemes: Set<string>;
}

export function loadStoryLexicon(dataDir: string): StoryLexicon {
  const read = <T>(name: string): T => JSON.parse(readFileSync(path.join(dataDir, 'stories', name), 'utf8')) as T;
  return {
    stopwords: new Set(read<{ stopwords: string[] }>('stopwords.json').stopwords),
    notThemes: new Set(read<{ notThemes: string[] }>('brief-words.json').notThemes),
  };
}

/** Sparse bag of features: feature → weight. */
export type Bag = Map<string, number>;

export interface ArticleFeatures {
  /** Content words of title and body (lower-cased, crude plural folding); title words counted extra. */
  terms: Bag;
  /** Named things: capitalised phrases and their words, plus resolved actors and places (lower-cased). */
  entities: Bag;
  /** Numbers, years and month-day dates as written ("6.1", "2008", "dec-15"). */
  numbers: Bag;
}

/** Times a title word counts relative to a body word: the headline says what the story is. */
export const TITLE_TERM_WEIGHT = 2;
/** Shortest content word kept (shorter ones are mostly noise after tokenisation). */
const MIN_TERM_LENGTH = 3;
/** Numbers below this are too common (counts of days, people) unless written with a decimal point. */
const MIN_PLAIN_NUMBER = 10;
/** A line with more capitalised words than this share is a Title Case headline, not a run of names. */
const TITLE_CASE_SHARE = 0.6;

const WORD_RE = /[\p{L}][\p{L}\p{M}'’-]*[\p{L}]|[\p{L}]/gu;
const NUMBER_RE = /\b\d+(?:[.,]\d+)*\b/g;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_DAY_RE =
  /\b(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.? (\d{1,2})(?:st|nd|rd|th)?\b/g;
/** A capitalised word (allowing inner capitals and hyphens: "McDonald", "Al-Qaeda"). */
const CAP_WORD_RE = /^\p{Lu}[\p{L}\p{M}'’.-]*$/u;

function fold(word: string): string {
  let w = word.toLowerCase().replace(/[’']s$/, '').replace(/[’']/g, '');
  // Crude plural folding: enough to meet "earthquakes" with "earthquake" without a stemmer's cost.
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  return w;
}

function add(bag: Bag, key: string, w = 1): void {
  bag.set(key, (bag.get(key) ?? 0) + w);
}

function addTerms(bag: Bag, text: string, lex: StoryLexicon, weight: number): void {
  for (const m of text.matchAll(WORD_RE)) {
    const raw = m[0];
    const w = fold(raw);
    if (raw.length < MIN_TERM_LENGTH || w.length < MIN_TERM_LENGTH || lex.stopwords.has(w) || lex.stopwords.has(raw.toLowerCase())) {
      continue;
    }
    add(bag, w, weight);
  }
}

/**
 * Capitalised phrases: each phrase and each of its words become entity features, so "Lindsay Lohan"
 * meets "Lohan". A sentence's first word counts only when the text also capitalises it mid-sentence
 * ("Reid checked in" yes, "Firefighters battled" no).
 */
function addCapitalisedPhrases(bag: Bag, text: string, lex: StoryLexicon): void {
  const phrases: Array<{ words: string[]; atStart: boolean }> = [];
  const midCaps = new Set<string>();
  for (const line of text.split(/\n/)) {
    // A line in Title Case (a headline) would make every word a name: take its words as terms only.
    const words = line.match(/\S+/g) ?? [];
    const caps = words.filter((w) => CAP_WORD_RE.test(w.replace(/^[^\p{L}]+/u, ''))).length;
    if (words.length >= 4 && caps / words.length > TITLE_CASE_SHARE) continue;
    let phrase: string[] = [];
    let phraseAtStart = false;
    let sentenceStart = true;
    const flush = (): void => {
      if (phrase.length > 0) phrases.push({ words: phrase, atStart: phraseAtStart });
      phrase = [];
    };
    for (const tok of words) {
      const clean = tok.replace(/^[^\p{L}\d]+|[^\p{L}\d]+$/gu, '');
      const isCap = clean.length > 1 && CAP_WORD_RE.test(clean);
      const lower = clean.toLowerCase().replace(/[’']s$/, '');
      if (isCap && !lex.stopwords.has(lower)) {
        if (phrase.length === 0) phraseAtStart = sentenceStart;
        if (!sentenceStart) midCaps.add(lower);
        phrase.push(lower);
      } else flush();
      if (/[^\p{L}\d]$/u.test(tok) && tok !== clean) flush();
      sentenceStart = /[.!?:"”]$/.test(tok);
    }
    flush();
  }
  for (const p of phrases) {
    const words = p.atStart && !midCaps.has(p.words[0]!) ? p.words.slice(1) : p.words;
    for (const w of words) add(bag, w);
    if (words.length > 1) add(bag, words.join(' '));
  }
}

function addNumbers(bag: Bag, text: string): void {
  for (const m of text.matchAll(NUMBER_RE)) {
    const n = m[0].replace(/,(?=\d{3}\b)/g, '');
    const value = Number(n.replace(/,/g, '.'));
    if (!n.includes('.') && value < MIN_PLAIN_NUMBER) continue;
    add(bag, n);
  }
  for (const m of text.matchAll(MONTH_DAY_RE)) {
    add(bag, `${MONTHS.indexOf(m[1]!.slice(0, 3).toLowerCase())}-${Number(m[2])}`);
  }
}

/** Features of one article; `analysis`, when given, adds resolved actor mentions and event places. */
export function articleFeatures(
  input: { title?: string; text: string; analysis?: Analysis },
  lex: StoryLexicon,
): ArticleFeatures {
  const terms: Bag = new Map();
  const entities: Bag = new Map();
  const numbers: Bag = new Map();
  if (input.title) addTerms(terms, input.title, lex, TITLE_TERM_WEIGHT);
  addTerms(terms, input.text, lex, 1);
  if (input.title) addCapitalisedPhrases(entities, input.title, lex);
  addCapitalisedPhrases(entities, input.text, lex);
  // The analysis adds what capitalisation cannot see: "he", "the minister", "Kyiv" resolved to
  // their actor. Name mentions are already counted above.
  for (const a of input.analysis?.actors ?? []) {
    const n = a.mentions.filter((m) => m.type !== 'name').length;
    if (n === 0) continue;
    const name = a.name.toLowerCase();
    add(entities, name, n);
    for (const part of name.split(/\s+/)) if (part.length > 1 && !lex.stopwords.has(part)) add(entities, part, n);
  }
  for (const e of input.analysis?.events ?? []) if (e.location) add(entities, e.location.name.toLowerCase());
  addNumbers(numbers, input.title ? `${input.title}\n${input.text}` : input.text);
  return { terms, entities, numbers };
}
