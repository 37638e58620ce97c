// Hand-built actors and quotes for positions tests: spans found by searching the text, so each
// test reads like the sentence it is about.
import type { Actor, ActorKind, Quote, QuoteKind, Span } from '../src/analyze/types.js';

export function at(text: string, needle: string, from = 0): Span {
  const start = text.indexOf(needle, from);
  if (start < 0) throw new Error(`not in text: ${needle}`);
  return { start, end: start + needle.length };
}

export function actor(text: string, id: string, name: string, kind: ActorKind, country: string | undefined, forms: string[]): Actor {
  const mentions = forms.flatMap((f) => {
    const out = [];
    let i = -1;
    while ((i = text.indexOf(f, i + 1)) >= 0) out.push({ start: i, end: i + f.length, type: 'name' as const, rule: 'test' });
    return out;
  });
  mentions.sort((a, b) => a.start - b.start);
  return { id, name, kind, ...(country ? { country } : {}), mentions };
}

export function quote(text: string, kind: QuoteKind, speaker: string, source: string, cue: string, content: string, extra: string[] = []): Quote {
  const c = at(text, content);
  return {
    id: `q${c.start}`,
    kind,
    content: c,
    ...(extra.length ? { contentParts: extra.map((e) => at(text, e)) } : {}),
    cue: at(text, cue),
    source: at(text, source),
    speaker,
    rule: 'test',
  };
}

import { segment } from '../src/analyze/segment.js';
import { findPositions } from '../src/analyze/positions/index.js';
import type { IssueLexicon } from '../src/analyze/positions/lexicon.js';
import type { Analysis, Article, EventRecord } from '../src/analyze/types.js';

/** An {article, analysis} item from hand-built actors, quotes and events; positions computed by the real stage. */
export function makeItem(
  id: string,
  published: string | undefined,
  text: string,
  actors: Actor[],
  quotes: Quote[],
  events: EventRecord[],
  lex: IssueLexicon,
  url?: string,
): { article: Article; analysis: Analysis } {
  const doc = segment(text);
  const positions = findPositions(doc, actors, quotes, events, lex);
  const analysis: Analysis = {
    id,
    text,
    language: 'en',
    ...(published ? { published } : {}),
    headlines: [],
    structure: doc.structure,
    actors,
    quotes,
    events,
    positions,
    dates: [],
    warnings: [],
  };
  return { article: { id, text, ...(published ? { published } : {}), ...(url ? { url } : {}) }, analysis };
}
