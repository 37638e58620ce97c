// The analysis pipeline: Article text → Analysis. Pure and deterministic: the same text, date and
// lexicons always give the same Analysis, ids included. Stages are plain functions over the Doc.
import { createHash } from 'node:crypto';
import type { Analysis } from './types.js';
import { segment } from './segment.js';
import { findDates } from './dates.js';
import { detectLanguage } from './language.js';
import { findActors } from './actors/index.js';
import { findQuotes } from './quotes/index.js';
import { findEvents } from './events/index.js';
import { findPositions } from './positions/index.js';
import { loadLexicons, type Lexicons } from './lexicons.js';

export type { Analysis } from './types.js';
export { loadLexicons, type Lexicons } from './lexicons.js';

export interface AnalyzeOptions {
  /** Publication date (YYYY-MM-DD) against which "on Tuesday" or "this week" are resolved. */
  published?: string;
  /** Word lists and models; defaults to the ones in `data/`. */
  lexicons?: Lexicons;
  /** Include the token list in the Analysis (large; off by default). */
  tokens?: boolean;
}

/** Stable id of a piece of text. */
export function textId(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

export function analyze(text: string, opts: AnalyzeOptions = {}): Analysis {
  const lex = opts.lexicons ?? loadLexicons();
  const doc = segment(text);
  const warnings: string[] = [];
  const language = detectLanguage(text);
  const base: Analysis = {
    id: textId(text),
    text,
    language,
    ...(opts.published ? { published: opts.published } : {}),
    headlines: doc.structure.headlines.map((h) => text.slice(h.start, h.end)),
    structure: doc.structure,
    actors: [],
    quotes: [],
    events: [],
    positions: [],
    dates: [],
    ...(opts.tokens ? { tokens: doc.tokens } : {}),
    warnings,
  };
  if (doc.structure.sentences.length === 0) {
    warnings.push('no sentences found');
    return base;
  }
  if (language !== 'en') {
    warnings.push(`language looks like "${language}", not English: Parley analyses English only`);
    return base;
  }
  base.dates = findDates(doc, opts.published);
  base.actors = findActors(doc, lex.actors);
  base.quotes = findQuotes(doc, base.actors, lex.quotes);
  base.events = findEvents(doc, base.actors, base.quotes, base.dates, lex.events);
  base.positions = findPositions(doc, base.actors, base.quotes, base.events, lex.issues);
  return base;
}
