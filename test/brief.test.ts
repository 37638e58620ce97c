// Briefs: every sentence is a verbatim slice of the article it links to, 3–5 themed sections,
// headlines folded, copies not repeated, quotes carry speakers from the analysis, deterministic.
// Analyses are hand-made fixtures on real segment() structure, so these tests do not move when the
// actor and quote stages change.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { segment } from '../src/analyze/segment.js';
import type { Actor, Analysis, Article, Quote } from '../src/analyze/types.js';
import { buildBrief, renderBrief, MAX_SECTIONS, MIN_SECTIONS, type BriefSentence } from '../src/stories/brief.js';
import { REPO } from './helpers.js';

interface DemoRow {
  id: string;
  url: string;
  outlet: string;
  title: string;
  published: string;
  text: string;
}

const demo: DemoRow[] = readFileSync(path.join(REPO, 'data/demo/articles.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as DemoRow);

/** Hand-made speakers: name → title, found in the text by plain search. */
const PEOPLE: Record<string, string> = {
  'Tomas Ardel': 'President',
  'Sena Valko': 'Prime Minister',
  'Ilse Marrant': 'Foreign Minister',
  'Kaveh Dorran': 'Foreign Minister',
  'Hana Ivers': 'researcher',
};

/** A fixture Analysis: segment() structure, actors by name search, direct quotes attributed to the
 * nearest preceding named person (a hand rule for the fixture, not the product's quote finder). */
function fixture(row: DemoRow): { article: Article; analysis: Analysis } {
  const text = `${row.title}\n\n${row.text}`;
  const doc = segment(text);
  const actors: Actor[] = [];
  for (const [name, title] of Object.entries(PEOPLE)) {
    const mentions = [];
    for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) {
      mentions.push({ start: i, end: i + name.length, type: 'name' as const, rule: 'fixture' });
    }
    if (mentions.length) actors.push({ id: `p_${name.split(' ')[1]!.toLowerCase()}`, name, kind: 'person', title, mentions });
  }
  const quotes: Quote[] = [];
  for (const m of text.matchAll(/"[^"\n]{10,}?[,.]?"/g)) {
    const start = m.index!;
    const before = actors
      .flatMap((a) => a.mentions.map((x) => ({ a, x })))
      .filter(({ x }) => Math.abs(x.start - start) < 200)
      .sort((p, q) => Math.abs(p.x.start - start) - Math.abs(q.x.start - start))[0];
    quotes.push({
      id: `q${start}`,
      kind: 'direct',
      content: { start, end: start + m[0].length },
      cue: null,
      source: null,
      speaker: before ? before.a.id : null,
      rule: 'fixture',
    });
  }
  const analysis: Analysis = {
    id: row.id,
    text,
    language: 'en',
    published: row.published.slice(0, 10),
    headlines: doc.structure.headlines.map((h) => text.slice(h.start, h.end)),
    structure: doc.structure,
    actors,
    quotes,
    events: [],
    positions: [],
    dates: [],
    warnings: [],
  };
  const article: Article = { id: row.id, url: row.url, outlet: row.outlet, title: row.title, published: row.published, text: row.text };
  return { article, analysis };
}

/** The framework-accord story of the demo corpus: two reports, a wire copy, a re-edit and a reaction. */
const STORY = demo.filter((r) => /framework accord|border is left for May|Brava greets accord/.test(r.title));
const items = STORY.map(fixture);

function allSentences(b: ReturnType<typeof buildBrief>): BriefSentence[] {
  return [...(b.lead ? [b.lead] : []), ...b.sections.flatMap((s) => s.sentences), ...b.quotes];
}

describe('buildBrief', () => {
  it('has a story with copies to fold', () => {
    expect(STORY.length).toBeGreaterThanOrEqual(5);
  });

  const brief = buildBrief(items);

  it('copies every sentence verbatim from the article it links to', () => {
    const byId = new Map(items.map((i) => [i.article.id, i.analysis]));
    const sentences = allSentences(brief);
    expect(sentences.length).toBeGreaterThan(6);
    for (const s of sentences) {
      const a = byId.get(s.articleId);
      expect(a, s.articleId).toBeDefined();
      expect(a!.text.slice(s.span.start, s.span.end)).toBe(s.text);
      expect(s.rule).toMatch(/^brief\./);
    }
  });

  it('has 3 to 5 themed sections with distinct headings', () => {
    expect(brief.sections.length).toBeGreaterThanOrEqual(MIN_SECTIONS);
    expect(brief.sections.length).toBeLessThanOrEqual(MAX_SECTIONS);
    const headings = brief.sections.map((s) => s.heading.toLowerCase());
    expect(new Set(headings).size).toBe(headings.length);
    for (const s of brief.sections) {
      expect(s.heading.trim().length).toBeGreaterThan(2);
      expect(s.sentences.length).toBeGreaterThan(0);
    }
  });

  it('leads with one headline and lists every other one once', () => {
    const titles = new Set(STORY.map((r) => r.title));
    expect(titles.has(brief.headline)).toBe(true);
    expect(new Set([brief.headline, ...brief.alternatives])).toEqual(titles);
  });

  it('never repeats a sentence that a wire copy repeats', () => {
    const texts = allSentences(brief).filter((s) => !('speaker' in s)).map((s) => s.text);
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('quotes carry a speaker that exists in the linked analysis', () => {
    expect(brief.quotes.length).toBeGreaterThan(0);
    for (const q of brief.quotes) {
      const a = items.find((i) => i.article.id === q.articleId)!.analysis;
      const actor = a.actors.find((x) => x.id === q.speaker);
      expect(actor?.name).toBe(q.speakerName);
    }
  });

  it('is deterministic and independent of the order items come in', () => {
    expect(buildBrief(items)).toEqual(brief);
    expect(buildBrief([...items].reverse())).toEqual(brief);
  });

  it('renders Markdown with every sentence and a numbered source for each citation', () => {
    const md = renderBrief(brief);
    expect(md.startsWith(`# ${brief.headline}\n`)).toBe(true);
    for (const s of allSentences(brief)) expect(md).toContain(s.text);
    for (const s of brief.sections) expect(md).toContain(`## ${s.heading}`);
    for (const src of brief.sources) expect(md).toContain(src.articleId);
  });

  it('takes issue themes from positions when the analysis has them', () => {
    const withIssues = items.map(({ article, analysis }) => {
      const positions = analysis.structure.sentences
        .filter((s) => /prisoner/i.test(analysis.text.slice(s.start, s.end)))
        .map((s) => ({ actor: 'x', issue: 'prisoner-exchange', stance: 'support' as const, evidence: { start: s.start, end: s.end }, rule: 'fixture' }));
      return { article, analysis: { ...analysis, positions } };
    });
    const b = buildBrief(withIssues, { issueLabels: { 'prisoner-exchange': 'Prisoner exchange' } });
    const sec = b.sections.find((s) => s.heading === 'Prisoner exchange');
    expect(sec).toBeDefined();
    for (const s of sec!.sentences) expect(s.text.toLowerCase()).toContain('prisoner');
  });
});
