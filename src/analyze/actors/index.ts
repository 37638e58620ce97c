// Stage: actors — people, organisations, countries, places, groups, with every mention.
import type { Doc } from '../segment.js';
import type { Actor } from '../types.js';
import type { ActorLexicon } from './lexicon.js';
export function findActors(_doc: Doc, _lex: ActorLexicon): Actor[] {
  return [];
}
