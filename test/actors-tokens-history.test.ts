// The tokens every stage (actors first) reads must not depend on what the process read before:
// wink-nlp learns word forms as it reads, and its tokenizer used to keep "Rubio’s" whole once an
// earlier text had taught it that form (segment.ts forgets learned forms after each text).
import { describe, expect, it } from 'vitest';
import { resetSegmenter, segment } from '../src/analyze/segment.js';

const target = 'Senator Marco Rubio’s uneven debate performance has emboldened a trio of governors.';
// Texts that teach wink whole forms ("Rubio’s" after a name, odd tokens) before the target is read.
const teachers = [
  'He met Rubio’s aides. Rubio’s campaign said so. “Rubio’s plan,” she wrote.',
  'Rubio’s, Cruz’s and Kasich’s camps disagreed; ’s and Rubio’s again, 140,000 votes.',
];

describe('segment() is independent of reading history', () => {
  it('gives the same tokens and sentences for a text read first or after others', () => {
    resetSegmenter();
    const first = segment(target);
    for (const t of teachers) segment(t);
    const later = segment(target);
    expect(later).toEqual(first);
    // A fresh instance splits the possessive.
    const words = first.tokens.map((t) => target.slice(t.start, t.end));
    expect(words).toContain('Rubio');
    expect(words).toContain('’s');
  });

  it('a rebuilt instance reads texts exactly as the first one did', () => {
    resetSegmenter();
    const a = teachers.map((t) => segment(t));
    resetSegmenter();
    resetSegmenter();
    expect(teachers.map((t) => segment(t))).toEqual(a);
  });
});
