// Invariants that hold for every analysis: spans slice back to the text, references resolve,
// ids are unique, and the same input gives the same output.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze/index.js';
import type { Analysis, Span } from '../src/analyze/types.js';
import { SHARED, readSeed, sharedAvailable } from './helpers.js';

const CRAFTED = [
  'Talks Stall\n\nThe minister said on Friday that "nothing is agreed until everything is agreed.\n\nHe left.',
  '“Unbalanced, she said. And ‘more',
  'A short line',
  '"We will not retreat," the general told reporters. "Not one step."\n\n"Never," he added.',
  'According to officials in Ruritania, the ceasefire will hold. Foreign Minister Anna Kell disagreed.',
];

function texts(): Array<[string, string, string | undefined]> {
  const out: Array<[string, string, string | undefined]> = CRAFTED.map((t, i) => [`crafted ${i}`, t, '2024-03-05']);
  if (sharedAvailable('seeds/000_a309f49bf0c5d612.txt')) out.push(['seed', readSeed(), '2025-11-25']);
  if (sharedAvailable('data/polnear/dev/text')) {
    const dir = path.join(SHARED, 'data/polnear/dev/text');
    for (const f of readdirSync(dir).sort().slice(0, 12)) out.push([f, readFileSync(path.join(dir, f), 'utf8'), undefined]);
  }
  return out;
}

function spans(a: Analysis): Array<[string, Span]> {
  const out: Array<[string, Span]> = [];
  a.structure.headlines.forEach((s) => out.push(['headline', s]));
  a.structure.paragraphs.forEach((s) => out.push(['paragraph', s]));
  a.structure.sentences.forEach((s) => out.push(['sentence', s]));
  a.structure.sections.forEach((s) => out.push(['heading', s.heading], ['section body', s.body]));
  a.actors.forEach((x) => x.mentions.forEach((m) => out.push([`mention of ${x.id}`, m])));
  a.quotes.forEach((q) => {
    out.push(['quote content', q.content]);
    if (q.cue) out.push(['quote cue', q.cue]);
    if (q.source) out.push(['quote source', q.source]);
    q.contentParts?.forEach((p) => out.push(['quote part', p]));
  });
  a.events.forEach((e) => out.push(['event evidence', e.evidence]));
  a.positions.forEach((p) => out.push(['position evidence', p.evidence]));
  a.dates.forEach((d) => out.push(['date', d]));
  return out;
}

describe('analysis invariants', () => {
  for (const [name, text, published] of texts()) {
    it(`holds for ${name}`, () => {
      const a = analyze(text, published ? { published } : {});
      expect(a.text).toBe(text);
      for (const [what, s] of spans(a)) {
        expect(Number.isInteger(s.start) && Number.isInteger(s.end), what).toBe(true);
        expect(s.start, what).toBeGreaterThanOrEqual(0);
        expect(s.end, what).toBeLessThanOrEqual(text.length);
        expect(s.end, what).toBeGreaterThanOrEqual(s.start);
      }
      for (const x of a.actors) for (const m of x.mentions) expect(text.slice(m.start, m.end).trim().length, `mention of ${x.id}`).toBeGreaterThan(0);
      const ids = new Set(a.actors.map((x) => x.id));
      expect(ids.size, 'actor ids are unique').toBe(a.actors.length);
      expect(new Set(a.quotes.map((q) => q.id)).size, 'quote ids are unique').toBe(a.quotes.length);
      for (const q of a.quotes) {
        if (q.speaker !== null) expect(ids.has(q.speaker), `speaker ${q.speaker} exists`).toBe(true);
        expect(text.slice(q.content.start, q.content.end).trim().length).toBeGreaterThan(0);
        expect(q.rule.length).toBeGreaterThan(0);
      }
      for (const e of a.events) for (const id of [...e.source, ...e.target]) expect(ids.has(id), `event actor ${id}`).toBe(true);
      for (const p of a.positions) expect(ids.has(p.actor), `position actor ${p.actor}`).toBe(true);
      // Sentences are in order and do not overlap.
      for (let i = 1; i < a.structure.sentences.length; i++) expect(a.structure.sentences[i]!.start).toBeGreaterThanOrEqual(a.structure.sentences[i - 1]!.end);
      // Deterministic, ids included.
      expect(JSON.stringify(analyze(text, published ? { published } : {}))).toBe(JSON.stringify(a));
    });
  }
});
