// Story clusterer: determinism, no look-ahead, state round-trip, time window, the CLI contract
// (CONTRACT §5) through ./bin/parley, bad lines, and a quality floor on a fixed ECB+ slice.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { StoryClusterer, type ClusterInput } from '../src/stories/cluster.js';
import { articleFeatures, loadStoryLexicon } from '../src/stories/features.js';
import type { Analysis } from '../src/analyze/types.js';
import { detokenize, score } from '../eval/stories.js';
import { BIN, REPO, SHARED, sharedAvailable } from './helpers.js';

const lex = loadStoryLexicon(path.join(REPO, 'data'));

/** Two fictional stories with near misses: two quakes in different towns, and a trade summit. */
const STREAM: ClusterInput[] = [
  { id: 'q1', title: 'Quake of magnitude 6.2 strikes Orvath province', text: 'A magnitude 6.2 earthquake struck Orvath province on Monday, killing 14 people in the town of Kessel, officials said. Rescue teams from Kessel searched collapsed buildings.' },
  { id: 't1', title: 'Trade ministers of Veldra and Tasmir meet in Lune', text: 'Trade Minister Ana Rook of Veldra met her Tasmir counterpart Joss Perrin in Lune on Tuesday to discuss tariffs on grain and steel.' },
  { id: 'q2', title: 'Kessel death toll rises after 6.2 quake', text: 'The death toll from the magnitude 6.2 earthquake in Kessel, Orvath province, rose to 21, rescue officials in Kessel said on Tuesday.' },
  { id: 'x1', title: 'Storm floods coastal Marrow', text: 'Heavy rain flooded the coastal city of Marrow on Wednesday, and the Marrow harbour closed for two days.' },
  { id: 't2', title: 'Veldra and Tasmir agree to cut grain tariffs', text: 'Ana Rook said Veldra and Tasmir agreed in Lune to cut tariffs on grain, while Joss Perrin said steel talks would go on.' },
  { id: 'q3', title: 'Second quake, magnitude 5.1, hits Daun in Pell', text: 'A separate magnitude 5.1 earthquake hit Daun in Pell district on Thursday; Pell officials reported 3 injured in Daun.' },
  { id: 't3', title: 'Rook and Perrin to resume steel talks in Lune', text: 'Veldra Trade Minister Ana Rook and Tasmir negotiator Joss Perrin will resume steel tariff talks in Lune next week.' },
];

function runAll(inputs: ClusterInput[]): string[] {
  const c = new StoryClusterer(lex);
  return inputs.map((i) => c.add(i));
}

describe('StoryClusterer', () => {
  it('is deterministic, ids included', () => {
    expect(runAll(STREAM)).toEqual(runAll(STREAM));
  });

  it('groups the trade talks and keeps the unrelated flood apart', () => {
    const s = runAll(STREAM);
    expect(s[1]).toBe(s[4]);
    expect(s[4]).toBe(s[6]);
    expect(s[3]).not.toBe(s[0]);
    expect(s[3]).not.toBe(s[1]);
    expect(s[0]).toBe(s[2]);
    expect(new Set(s).size).toBeGreaterThanOrEqual(3);
  });

  it('names a story after its first article', () => {
    const s = runAll(STREAM);
    const again = new StoryClusterer(lex).add(STREAM[0]!);
    expect(s[0]).toBe(again);
  });

  it('never looks ahead: the assignments of a prefix do not change when more articles follow', () => {
    const full = runAll(STREAM);
    for (let k = 1; k < STREAM.length; k++) expect(runAll(STREAM.slice(0, k))).toEqual(full.slice(0, k));
  });

  it('resumes from toJSON/fromJSON exactly where it stopped', () => {
    const full = runAll(STREAM);
    const a = new StoryClusterer(lex);
    const first = STREAM.slice(0, 4).map((i) => a.add(i));
    const state = JSON.parse(JSON.stringify(a.toJSON()));
    const b = StoryClusterer.fromJSON(state, lex);
    const rest = STREAM.slice(4).map((i) => b.add(i));
    expect([...first, ...rest]).toEqual(full);
  });

  it('rejects a state of another version', () => {
    const state = { ...new StoryClusterer(lex).toJSON(), version: 99 };
    expect(() => StoryClusterer.fromJSON(state, lex)).toThrow(/version/);
  });

  it('retires stories that fell out of the time window', () => {
    const c = new StoryClusterer(lex, { windowDays: 7 });
    const a = c.add({ ...STREAM[1]!, published: '2026-01-01' });
    const b = c.add({ ...STREAM[4]!, published: '2026-01-03' });
    expect(b).toBe(a);
    // A month later the same words start a new story: the old one is closed.
    const d = c.add({ ...STREAM[6]!, published: '2026-02-10' });
    expect(d).not.toBe(a);
    expect(c.activeStories).toBe(1);
  });

  it('closes at once a story started by a late article dated outside the window', () => {
    const c = new StoryClusterer(lex, { windowDays: 7 });
    c.add({ ...STREAM[1]!, published: '2026-02-10' });
    c.add({ ...STREAM[3]!, published: '2026-01-01' });
    expect(c.activeStories).toBe(1);
  });

  it('finds its own story among many open ones sharing the common words', () => {
    // 45 council stories, each in its own (fictional) town, share "granary": it nominates
    // them all, more than MAX_CANDIDATES, so the pre-selection has to rank the right one in.
    const towns = Array.from({ length: 45 }, (_, i) => `Tor${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}ville`);
    const c = new StoryClusterer(lex);
    const ids = towns.map((t, i) =>
      c.add({ id: `c${i}`, title: `${t} council votes on budget`, text: `The ${t} council met on Monday to vote on the budget for roads, schools and the granary, the mayor of ${t} said.` }),
    );
    expect(new Set(ids).size).toBe(towns.length);
    const again = c.add({ id: 'c40b', title: `${towns[40]} budget passes`, text: `The ${towns[40]} council passed the budget for roads, schools and the granary, the ${towns[40]} mayor said.` });
    expect(again).toBe(ids[40]);
  });

  it('keeps at most maxActiveStories open', () => {
    const c = new StoryClusterer(lex, { maxActiveStories: 2 });
    for (const i of STREAM) c.add(i);
    expect(c.activeStories).toBeLessThanOrEqual(2);
  });
});

describe('articleFeatures', () => {
  it('guesses named things from capitalised phrases, skipping ordinary sentence-initial words', () => {
    const f = articleFeatures({ text: 'Firefighters battled a fire near Tarn. Fire chief Rosa Linde said Tarn was safe.' }, lex);
    expect(f.entities.has('rosa linde')).toBe(true);
    expect(f.entities.has('tarn')).toBe(true);
    expect(f.entities.has('firefighters')).toBe(false);
  });

  it('takes named things from the analysis when one is given', () => {
    const text = 'The minister met her counterpart.';
    const analysis = {
      actors: [{ id: 'a1', name: 'Ilse Marrant', kind: 'person', mentions: [{ start: 4, end: 12, type: 'title', rule: 't' }] }],
      events: [],
    } as unknown as Analysis;
    const f = articleFeatures({ text, analysis }, lex);
    expect([...f.entities.keys()].sort()).toEqual(['ilse', 'ilse marrant', 'marrant']);
  });

  it('reads numbers and month-day dates, not small counts', () => {
    const f = articleFeatures({ text: 'A magnitude 6.1 quake on Dec. 15 killed 3 people and 1,200 were moved in 2008.' }, lex);
    expect([...f.numbers.keys()].sort()).toEqual(['11-15', '1200', '15', '2008', '6.1']);
  });
});

describe('demo corpus (data/demo/articles.jsonl)', () => {
  const rows = readFileSync(path.join(REPO, 'data/demo/articles.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { id: string; outlet: string; title: string; published: string; text: string });

  it('has at least 40 articles of 150–400 words from several outlets, in publication order', () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
    for (const r of rows) {
      const words = r.text.split(/\s+/).filter(Boolean).length;
      expect(words, r.title).toBeGreaterThanOrEqual(150);
      expect(words, r.title).toBeLessThanOrEqual(400);
      expect(r.text.startsWith(r.title)).toBe(false);
    }
    expect(new Set(rows.map((r) => r.outlet)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    const dates = rows.map((r) => r.published);
    expect([...dates].sort()).toEqual(dates);
  });

  const c = new StoryClusterer(lex);
  const stories = rows.map((r) => c.add({ id: r.id, title: r.title, text: r.text, published: r.published }));

  it("puts every syndicated copy in its original's story", () => {
    const firstByText = new Map<string, number>();
    let copies = 0;
    rows.forEach((r, i) => {
      const first = firstByText.get(r.text);
      if (first === undefined) firstByText.set(r.text, i);
      else {
        copies += 1;
        expect(stories[i], r.title).toBe(stories[first]);
      }
    });
    expect(copies).toBeGreaterThanOrEqual(5);
  });

  it('keeps the unrelated stories (football, port strike, wildfire) apart from the talks', () => {
    const unrelated = /Rovers|dock|Wildfire/i;
    const talkStories = new Set(stories.filter((_, i) => !unrelated.test(rows[i]!.title)));
    rows.forEach((r, i) => {
      if (unrelated.test(r.title)) expect(talkStories.has(stories[i]!), r.title).toBe(false);
    });
  });
});

describe('parley cluster --jsonl (CONTRACT §5)', () => {
  const run = (input: string): { stdout: string; status: number } => {
    try {
      const stdout = execFileSync(BIN, ['cluster', '--jsonl'], { input, encoding: 'utf8', cwd: REPO });
      return { stdout, status: 0 };
    } catch (e) {
      const err = e as { stdout: string; status: number };
      return { stdout: err.stdout, status: err.status };
    }
  };

  it('writes one {"id","story"} line per input line, in order, matching the library', () => {
    const input = STREAM.map((s) => JSON.stringify(s)).join('\n') + '\n';
    const { stdout, status } = run(input);
    expect(status).toBe(0);
    const out = stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; story: string });
    expect(out.map((o) => o.id)).toEqual(STREAM.map((s) => s.id));
    expect(out.map((o) => o.story)).toEqual(runAll(STREAM));
  });

  it('answers a bad line with {"id","error"} and goes on', () => {
    const lines = [
      JSON.stringify(STREAM[0]),
      '{not json',
      JSON.stringify({ id: 'no-text' }),
      JSON.stringify({ id: 'bad-date', text: 'x', published: 'someday' }),
      '[1,2]',
      '',
      JSON.stringify(STREAM[2]),
    ];
    const { stdout, status } = run(lines.join('\n') + '\n');
    expect(status).toBe(0);
    const out = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out).toHaveLength(7);
    expect(out[0]!.story).toBeTypeOf('string');
    expect(out[1]).toMatchObject({ id: null, error: expect.any(String) });
    expect(out[2]).toMatchObject({ id: 'no-text', error: expect.stringMatching(/text/) });
    expect(out[3]).toMatchObject({ id: 'bad-date', error: expect.stringMatching(/published/) });
    expect(out[4]!.error).toBeTypeOf('string');
    expect(out[5]).toMatchObject({ id: null, error: 'line 6: empty line' });
    expect(out[6]!.story).toBe(out[0]!.story);
  });

  it('without --jsonl exits non-zero with one line on stderr', () => {
    let status = 0;
    let stderr = '';
    try {
      execFileSync(BIN, ['cluster'], { input: '', encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      status = (e as { status: number }).status;
      stderr = (e as { stderr: string }).stderr;
    }
    expect(status).not.toBe(0);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('quality floor on ECB+ (Cybulska & Vossen 2014, CC BY 3.0)', () => {
  const rel = 'data/stories/ecbplus.jsonl';
  const has = sharedAvailable(rel);
  /** Topics 1–10 in file order: a fixed slice, measured at B3 F1 0.911 with the round-2 defaults
   * (2026-11-26; 0.884 before); the floor leaves a small margin for changes elsewhere in the features. */
  const SLICE_TOPICS = new Set(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
  const B3_FLOOR = 0.88;
  it.skipIf(!has)('clusters topics 1–10 with B-cubed F1 above the floor', () => {
    const rows = readFileSync(path.join(SHARED, rel), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as { id: string; topic: string; story: string; title: string | null; text: string })
      .filter((r) => SLICE_TOPICS.has(r.topic));
    const c = new StoryClusterer(lex);
    const pred = rows.map((r) => c.add({ id: r.id, title: r.title ? detokenize(r.title) : undefined, text: detokenize(r.text) }));
    const s = score(rows.map((r) => r.story), pred);
    expect(s.bcubed.f1).toBeGreaterThanOrEqual(B3_FLOOR);
  });
});
