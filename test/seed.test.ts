// The reference case: ../shared/seeds/EXPECTED.md, row by row (structure, actors, attributions).
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze/index.js';
import type { Actor, Analysis, Quote } from '../src/analyze/types.js';
import { readSeed, sharedAvailable } from './helpers.js';

const have = sharedAvailable('seeds/000_a309f49bf0c5d612.txt');
const a: Analysis | null = have ? analyze(readSeed(), { published: '2025-11-25' }) : null;
const sl = (s: { start: number; end: number }): string => a!.text.slice(s.start, s.end);
// Compare contents the way PolNeAR annotates spans: a leading "that" (and a leading "about"/"to"/"for",
// which PolNeAR may put in the cue) is a boundary convention, not a different attribution.
const strip = (s: string): string =>
  s.replace(/^[\s"“”'‘’]+|[\s"“”'‘’.,]+$/g, '').replace(/^(?:that|about|to|for)\s+/i, '').replace(/^[\s"“”'‘’]+/, '');

function actorNamed(re: RegExp): Actor | undefined {
  return a!.actors.find((x) => re.test(x.name));
}

describe.skipIf(!have)('seed: structure', () => {
  it('has the three headlines', () => {
    expect(a!.headlines).toEqual([
      'Zelenskyy Backs US Peace Plan, Ready to Discuss with Trump',
      'Ukraine Ready for US-Backed Peace Talks with Russia',
      'Ukraine Open to US-Backed Peace Framework',
    ]);
  });
  it('has the three sections, and headings are not body sentences', () => {
    expect(a!.structure.sections.map((s) => sl(s.heading))).toEqual([
      'European Involvement Crucial for Security',
      'Territorial Concessions Remain Major Sticking Point',
      'International Diplomacy Intensifies',
    ]);
    const headingSpans = [...a!.structure.sections.map((s) => s.heading), ...a!.structure.headlines];
    for (const s of a!.structure.sentences) for (const h of headingSpans) expect(s.end <= h.start || s.start >= h.end).toBe(true);
    for (const q of a!.quotes) for (const h of headingSpans) expect(q.content.end <= h.start || q.content.start >= h.end).toBe(true);
  });
});

// name pattern, kind, title pattern, country, surface forms that must be mentions of it
const ACTORS: Array<[RegExp, Actor['kind'], RegExp | null, string | null, string[]]> = [
  [/Zelensk/, 'person', /^president$/i, 'UKR', ['Zelenskyy', 'The Ukrainian leader', 'he', 'He', 'his']],
  [/Trump/, 'person', /^president$/i, 'USA', ['Trump']],
  [/Lavrov/, 'person', /^foreign minister$/i, 'RUS', ['Lavrov']],
  [/Putin/, 'person', /^president$/i, 'RUS', ['Putin']],
  [/Driscoll/, 'person', /^army secretary$/i, 'USA', []],
  [/Leavitt/, 'person', /press secretary/i, 'USA', ['She']],
];

describe.skipIf(!have)('seed: actors', () => {
  for (const [name, kind, title, country, forms] of ACTORS) {
    it(`finds ${name.source} with kind, title, country and mentions`, () => {
      const x = actorNamed(name);
      expect(x, `actor ${name}`).toBeDefined();
      expect(x!.kind).toBe(kind);
      if (title) expect(x!.title ?? '').toMatch(title);
      if (country) expect(x!.country).toBe(country);
      const seen = new Set(x!.mentions.map(sl));
      for (const f of forms) expect([...seen], `mention "${f}" of ${x!.name}`).toContain(f);
    });
  }
  it('finds the unnamed Ukrainian diplomat, referred to again as "the diplomat"', () => {
    const x = a!.actors.find((y) => y.kind === 'person' && /diplomat/i.test(y.title ?? y.name));
    expect(x).toBeDefined();
    expect(x!.country).toBe('UKR');
    const seen = x!.mentions.map(sl);
    expect(seen.some((s) => /^A Ukrainian diplomat$/i.test(s) || /Ukrainian diplomat/.test(s))).toBe(true);
    expect(seen.some((s) => /^the diplomat$/i.test(s))).toBe(true);
  });
  it.each([
    ['UKR', ['Ukraine', 'Kyiv']],
    ['RUS', ['Russia', 'Moscow']],
    ['USA', ['United States', 'White House']],
  ])('finds the country %s under its names', (iso, forms) => {
    const x = a!.actors.find((y) => y.kind === 'country' && y.country === iso);
    expect(x).toBeDefined();
    const seen = x!.mentions.map(sl);
    for (const f of forms) expect(seen.some((s) => s.includes(f))).toBe(true);
  });
  it('finds Europe as a group', () => {
    const x = a!.actors.find((y) => y.kind === 'group' && /europe/i.test(y.name));
    expect(x).toBeDefined();
  });
  it.each([
    [/Alaska|Anchorage/, 'USA'],
    [/Abu Dhabi/, 'ARE'],
  ])('finds the place %s in %s', (re, iso) => {
    const x = a!.actors.find((y) => y.kind === 'place' && re.test(y.name));
    expect(x).toBeDefined();
    expect(x!.country).toBe(iso);
  });
});

// kind, speaker name pattern (null = check the source text), cue pattern, content begins with
const QUOTES: Array<[Quote['kind'], RegExp, RegExp, string]> = [
  ['indirect', /Zelensk/, /announced/, 'Kyiv is prepared to advance a United States-supported framework'],
  ['indirect', /Zelensk/, /expressed willingness|emphasizing/, 'to discuss disputed points directly with US President Donald Trump'],
  ['indirect', /Zelensk/, /advocated/, 'for European leaders to develop a comprehensive framework'],
  ['mixed', /Zelensk/, /termed/, 'reassurance force'],
  ['indirect', /Zelensk/, /stressed/, 'the importance of continued international support for Kyiv'],
  ['direct', /Zelensk/, /declared/, 'We firmly believe security decisions about Ukraine must include Ukraine'],
  ['indirect', /Zelensk/, /warned/, 'decisions made without involving the concerned nations'],
  ['indirect', /Ukrain/, /raised concerns/, 'about being pressured into accepting an agreement'],
  ['indirect', /diplomat/i, /confirmed/, 'territorial concessions remain a major obstacle'],
  ['direct', /diplomat/i, /acknowledged/, 'These are really tough questions for us'],
  ['indirect', /Trump/, /expressed optimism/, 'about reaching a settlement'],
  ['direct', /Trump/, /stating/, "We're going to get there"],
  ['mixed', /Lavrov/, /emphasized/, 'any amended peace plan must reflect both the'],
  ['indirect', /Lavrov/, /cautioned/, 'deviation from the Anchorage agreements would create'],
  ['mixed', /Leavitt/, /confirmed|noting/, 'significant progress toward a peace agreement'],
  ['mixed', /Leavitt/, /described/, 'remaining issues as'],
];

describe.skipIf(!have)('seed: who said what', () => {
  it.each(QUOTES.map((q, i) => [i + 1, ...q] as const))('#%i %s quote by %s (%s): "%s"', (_n, kind, speaker, cue, begins) => {
    const q = a!.quotes.find((x) => strip(sl(x.content)).startsWith(strip(begins)) || (strip(sl(x.content)).includes(strip(begins)) && strip(sl(x.content)).length < begins.length + 40));
    expect(q, `a quote whose content begins "${begins}"`).toBeDefined();
    expect(q!.kind).toBe(kind);
    expect(q!.cue, 'cue').not.toBeNull();
    expect(sl(q!.cue!)).toMatch(cue);
    expect(q!.speaker, 'speaker').not.toBeNull();
    const sp = a!.actors.find((x) => x.id === q!.speaker);
    expect(sp, 'speaker is an actor').toBeDefined();
    expect(`${sp!.name} ${sp!.title ?? ''}`).toMatch(speaker);
  });
  it('takes no quote from a headline', () => {
    const first = a!.structure.paragraphs[0]!.start;
    for (const q of a!.quotes) expect(q.content.start).toBeGreaterThanOrEqual(first);
  });
});

describe.skipIf(!have)('seed: dates', () => {
  it('resolves "on Tuesday" and "this week" against the publication date', () => {
    const tue = a!.dates.find((d) => /Tuesday/.test(sl(d)));
    expect(tue?.value).toBe('2025-11-25');
    const week = a!.dates.find((d) => /this week/.test(sl(d)));
    expect(week?.value).toBe('2025-11-24');
    expect(week?.grain).toBe('week');
  });
});
