// Stage: quotes — attributions (direct, indirect, mixed) with content, cue, source and speaker.
import type { Doc } from '../segment.js';
import type { Actor, Quote } from '../types.js';
import type { QuoteLexicon } from './lexicon.js';
export function findQuotes(_doc: Doc, _actors: Actor[], _lex: QuoteLexicon): Quote[] {
  return [];
}
