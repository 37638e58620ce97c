// Stage: positions — each actor's stance on each issue, with evidence.
import type { Doc } from '../segment.js';
import type { Actor, EventRecord, Position, Quote } from '../types.js';
import type { IssueLexicon } from './lexicon.js';
export function findPositions(_doc: Doc, _actors: Actor[], _quotes: Quote[], _events: EventRecord[], _lex: IssueLexicon): Position[] {
  return [];
}
