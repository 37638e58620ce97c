// Word lists and models, loaded from `data/` once and passed into each stage (never imported by a
// stage directly), so tests can use small fixture lexicons and users can add their own.
import { loadActorLexicon, type ActorLexicon } from './actors/lexicon.js';
import { loadQuoteLexicon, type QuoteLexicon } from './quotes/lexicon.js';
import { loadEventLexicon, type EventLexicon } from './events/lexicon.js';
import { loadIssueLexicon, type IssueLexicon } from './positions/lexicon.js';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export interface Lexicons {
  actors: ActorLexicon;
  quotes: QuoteLexicon;
  events: EventLexicon;
  issues: IssueLexicon;
}

/** The repository's `data/` folder, found from this module's place in src/ or dist/src/. */
export function dataDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const up = here.includes(`${path.sep}dist${path.sep}`) ? '../../../data' : '../../data';
  return path.resolve(here, up);
}

let cached: Lexicons | null = null;
export function loadLexicons(dir: string = dataDir()): Lexicons {
  if (cached && dir === dataDir()) return cached;
  const lex: Lexicons = {
    actors: loadActorLexicon(dir),
    quotes: loadQuoteLexicon(dir),
    events: loadEventLexicon(dir),
    issues: loadIssueLexicon(dir),
  };
  if (dir === dataDir()) cached = lex;
  return lex;
}
