// Stage: events — who did what to whom, coded in PLOVER.
import type { Doc } from '../segment.js';
import type { Actor, DateMention, EventRecord, Quote } from '../types.js';
import type { EventLexicon } from './lexicon.js';
export function findEvents(_doc: Doc, _actors: Actor[], _quotes: Quote[], _dates: DateMention[], _lex: EventLexicon): EventRecord[] {
  return [];
}
