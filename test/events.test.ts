// Events stage: the PLOVER sentence coder, `parley code-events --jsonl` through the real binary,
// findEvents on small texts with hand-built actors, and an accuracy floor on held-back PLV rows.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, readSeed, sharedAvailable } from './helpers.js';
import { findActors } from '../src/analyze/actors/index.js';
import { loadActorLexicon } from '../src/analyze/actors/lexicon.js';
import { dataDir } from '../src/analyze/lexicons.js';
import { loadEventLexicon } from '../src/analyze/events/lexicon.js';
import { codeEvent } from '../src/analyze/events/coder.js';
import { findEvents } from '../src/analyze/events/index.js';
import { segment } from '../src/analyze/segment.js';
import { findDates } from '../src/analyze/dates.js';
import type { Actor, ActorKind } from '../src/analyze/types.js';
import { isHeldBack, readPlv } from '../eval/events-data.js';

const lex = loadEventLexicon(dataDir());

describe('codeEvent', () => {
  const cases: Array<[string, string, string, string, number]> = [
    ['Israeli jets bombed a refugee camp in Gaza on Sunday, killing 12 people.', 'Israeli jets', 'a refugee camp', 'ASSAULT', 4],
    ['Police in Minsk arrested dozens of opposition activists on Saturday.', 'Police in Minsk', 'opposition activists', 'COERCE', 4],
    ['Germany accused Iran of plotting attacks on Jewish targets in Europe.', 'Germany', 'Iran', 'ACCUSE', 3],
    ['The rebels released two Red Cross workers they had held for a month.', 'The rebels', 'two Red Cross workers', 'RETREAT', 2],
    ['The prime minister flatly rejected the opposition demand for early elections.', 'The prime minister', 'the opposition', 'REJECT', 3],
    ['Thousands of teachers protested outside the education ministry in Nairobi.', 'Thousands of teachers', 'the education ministry', 'PROTEST', 4],
  ];
  for (const [sentence, source, target, event, quad] of cases) {
    it(`${event}: ${sentence.slice(0, 50)}…`, () => {
      const r = codeEvent(sentence, source, target, lex);
      expect(r.event).toBe(event);
      expect(r.quad).toBe(quad);
      expect(r.rule).toMatch(/plover/);
      expect(r.score).toBeGreaterThan(0);
    });
  }
  it('throws on an actor that is not in the sentence', () => {
    expect(() => codeEvent('France praised Germany.', 'France', 'Spain', lex)).toThrow(/target/);
  });
  it('accepts a placeholder recipient ("a recipient")', () => {
    const r = codeEvent('The army declared a unilateral ceasefire on Friday.', 'The army', 'a recipient', lex);
    expect(r.event).not.toBe('NONE');
  });
  it('is deterministic', () => {
    const s = 'Moscow expelled two British diplomats on Tuesday.';
    expect(codeEvent(s, 'Moscow', 'two British diplomats', lex)).toEqual(codeEvent(s, 'Moscow', 'two British diplomats', lex));
  });
});

describe('parley code-events --jsonl', () => {
  function run(args: string[], input?: string): { code: number | null; out: string; err: string } {
    const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  }
  it('codes each line in order, with per-line errors for bad lines', () => {
    const lines = [
      JSON.stringify({ id: 'a', sentence: 'North Korea threatened to strike US bases in Guam.', source: 'North Korea', target: 'US bases' }),
      '{not json',
      JSON.stringify({ id: 'c', sentence: 'Japan praised India.', source: 'Japan', target: 'Brazil' }),
      JSON.stringify({ id: 'd', sentence: 'Japan praised India.' }),
      JSON.stringify({ id: 7, sentence: 'Chinese coast guard ships blocked a Philippine supply boat near the shoal.', source: 'Chinese coast guard ships', target: 'a Philippine supply boat' }),
    ];
    const r = run(['code-events', '--jsonl'], lines.join('\n') + '\n');
    expect(r.code).toBe(0);
    const out = r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out).toHaveLength(5);
    expect(out[0]!.id).toBe('a');
    expect(out[0]!.event).toBe('THREATEN');
    expect(out[0]!.quad).toBe(3);
    expect(out[1]).toEqual({ id: null, error: 'invalid JSON' });
    expect(out[2]).toMatchObject({ id: 'c', error: expect.stringMatching(/target/) });
    expect(out[3]).toMatchObject({ id: 'd', error: expect.stringMatching(/source/) });
    expect(out[4]!.id).toBe(7);
    expect([1, 2, 3, 4]).toContain(out[4]!.quad);
  });
  it('refuses to run without --jsonl, with one line on stderr', () => {
    const r = run(['code-events'], '');
    expect(r.code).not.toBe(0);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^parley: .*--jsonl/);
  });
});

/** An actor whose mentions are every whole-word occurrence of the given forms. */
function actor(text: string, id: string, kind: ActorKind, country: string | undefined, forms: string[]): Actor {
  const mentions: Actor['mentions'] = [];
  for (const f of forms) {
    for (let i = text.indexOf(f); i >= 0; i = text.indexOf(f, i + 1)) {
      if (/\w/.test(text[i - 1] ?? ' ') || /\w/.test(text[i + f.length] ?? ' ')) continue;
      mentions.push({ start: i, end: i + f.length, type: 'name', rule: 'test' });
    }
  }
  mentions.sort((a, b) => a.start - b.start);
  return { id, name: forms[0]!, kind, ...(country ? { country } : {}), mentions };
}

function eventsOf(text: string, actors: (t: string) => Actor[], published = '2024-03-06') {
  const doc = segment(text);
  return findEvents(doc, actors(text), [], findDates(doc, published), lex);
}

describe('findEvents', () => {
  it('a meeting: sources, target, place geocoded to its country, date from the sentence', () => {
    const text = 'Egyptian President Abdel Fattah el-Sisi met Jordan\'s King Abdullah in Cairo on Monday to discuss the war.';
    const evs = eventsOf(text, (t) => [
      actor(t, 'sisi', 'person', 'EGY', ['Egyptian President Abdel Fattah el-Sisi']),
      actor(t, 'abdullah', 'person', 'JOR', ['King Abdullah']),
    ]);
    const meet = evs.find((e) => e.type === 'CONSULT');
    expect(meet).toBeDefined();
    expect(meet!.source).toEqual(['sisi']);
    expect(meet!.target).toEqual(['abdullah']);
    expect(meet!.location).toMatchObject({ name: 'Cairo', country: 'EGY' });
    expect(typeof meet!.location!.lat).toBe('number');
    expect(meet!.date).toBe('2024-03-04');
    expect(text.slice(meet!.trigger!.start, meet!.trigger!.end)).toBe('met');
    expect(meet!.evidence.start).toBe(0);
  });
  it('a third country hosting a meeting makes it third-party', () => {
    const text = 'Armenian envoys held talks with Azerbaijani officials in Geneva on Friday.';
    const evs = eventsOf(text, (t) => [actor(t, 'arm', 'group', 'ARM', ['Armenian envoys']), actor(t, 'aze', 'group', 'AZE', ['Azerbaijani officials'])]);
    const e = evs.find((x) => x.type === 'CONSULT');
    expect(e).toMatchObject({ source: ['arm'], target: ['aze'], mode: 'third-party' });
    expect(e!.location).toMatchObject({ name: 'Geneva', country: 'CHE' });
  });
  it('a refusal to meet is not a meeting', () => {
    const text = 'Iran refused to meet the European negotiators in Vienna.';
    const evs = eventsOf(text, (t) => [actor(t, 'iran', 'country', 'IRN', ['Iran']), actor(t, 'eu', 'group', undefined, ['the European negotiators'])]);
    expect(evs.some((e) => e.type === 'CONSULT' && !e.negated)).toBe(false);
    expect(evs.some((e) => e.type === 'REJECT' && e.source[0] === 'iran')).toBe(true);
  });
  it('negation before the trigger is marked', () => {
    const text = 'Ethiopia did not meet the Egyptian negotiators in Cairo on Friday.';
    const evs = eventsOf(text, (t) => [actor(t, 'eth', 'country', 'ETH', ['Ethiopia']), actor(t, 'egy', 'group', 'EGY', ['the Egyptian negotiators'])]);
    const e = evs.find((x) => x.type === 'CONSULT');
    expect(e).toBeDefined();
    expect(e!.negated).toBe(true);
    expect(e!.target).toEqual(['egy']);
  });
  it('modality ("will") is marked, and a future show of force is a threat (PLOVER)', () => {
    const text = 'Turkey will deploy more troops to northern Syria next month.';
    const evs = eventsOf(text, (t) => [actor(t, 'tur', 'country', 'TUR', ['Turkey']), actor(t, 'syr', 'country', 'SYR', ['Syria'])]);
    const e = evs.find((x) => x.source[0] === 'tur');
    expect(e).toBeDefined();
    expect(e!.type).toBe('THREATEN');
    expect(e!.modality).toBe('will');
    expect(e!.target).toEqual(['syr']);
  });
  it('future cooperation is AGREE; a refusal in the future is REJECT', () => {
    const coop = 'Japan will send medical teams to Nepal.';
    const a = eventsOf(coop, (t) => [actor(t, 'jpn', 'country', 'JPN', ['Japan']), actor(t, 'npl', 'country', 'NPL', ['Nepal'])]);
    expect(a.find((x) => x.source[0] === 'jpn')?.type).toBe('AGREE');
    const refusal = 'Peru said it would not meet the demands of the miners.';
    const r = eventsOf(refusal, (t) => [actor(t, 'per', 'country', 'PER', ['Peru']), actor(t, 'min', 'group', 'PER', ['the miners'])]);
    expect(r.some((x) => x.type === 'REJECT' && x.source[0] === 'per')).toBe(true);
  });
  it('passive voice: the subject is the recipient, the "by" phrase the actor', () => {
    const text = 'Two journalists were arrested by Egyptian police in Alexandria on Sunday.';
    const evs = eventsOf(text, (t) => [actor(t, 'jour', 'group', undefined, ['Two journalists']), actor(t, 'pol', 'organization', 'EGY', ['Egyptian police'])]);
    expect(evs.find((x) => x.type === 'COERCE')).toMatchObject({ source: ['pol'], target: ['jour'], location: { name: 'Alexandria', country: 'EGY' } });
  });
  it('"X said Y must …" is a request from the speaker to the subject', () => {
    const text = 'The European Union said Belarus must release all political prisoners.';
    const evs = eventsOf(text, (t) => [actor(t, 'eu', 'organization', undefined, ['The European Union']), actor(t, 'blr', 'country', 'BLR', ['Belarus'])]);
    expect(evs.find((x) => x.type === 'REQUEST')).toMatchObject({ source: ['eu'], target: ['blr'] });
  });
  it('merges repeated mentions of one action', () => {
    const text = 'Chad accused Sudan of arming rebels. Chad accused Sudan again in a letter on Friday.';
    const evs = eventsOf(text, (t) => [actor(t, 'tcd', 'country', 'TCD', ['Chad']), actor(t, 'sdn', 'country', 'SDN', ['Sudan'])]);
    expect(evs.filter((e) => e.type === 'ACCUSE')).toHaveLength(1);
    // The undated first mention takes the date said at the second ("on Friday").
    const friday = findDates(segment(text), '2024-03-06').find((d) => text.slice(d.start, d.end).includes('Friday'));
    expect(evs.find((e) => e.type === 'ACCUSE')!.date).toBe(friday!.value);
  });
  it('an undated sentence takes the date said in the sentence before it', () => {
    const text = 'The summit opened in Geneva on Monday. Armenia accused Azerbaijan of shelling border villages.';
    const evs = eventsOf(text, (t) => [actor(t, 'arm', 'country', 'ARM', ['Armenia']), actor(t, 'aze', 'country', 'AZE', ['Azerbaijan'])]);
    const monday = findDates(segment(text), '2024-03-06').find((d) => text.slice(d.start, d.end).includes('Monday'));
    expect(evs.find((e) => e.type === 'ACCUSE')?.date).toBe(monday!.value);
  });
  it('ids are stable and every span lies in the text', () => {
    const text = 'Kenyan police arrested 40 protesters in Nairobi on Tuesday.';
    const make = (t: string) => [actor(t, 'pol', 'organization', 'KEN', ['Kenyan police']), actor(t, 'pro', 'group', 'KEN', ['40 protesters'])];
    const a = eventsOf(text, make);
    const b = eventsOf(text, make);
    expect(a).toEqual(b);
    expect(a.length).toBeGreaterThan(0);
    for (const e of a) {
      expect(e.evidence.end).toBeLessThanOrEqual(text.length);
      expect(e.rule).toMatch(/plover/);
    }
  });
});

describe('accuracy floor on held-back PLV rows', () => {
  /** Measured 0.767 root / 0.892 quad on these rows (2025-11-26); the floors sit a little under. */
  const ROOT_FLOOR = 0.74;
  const QUAD_FLOOR = 0.86;
  const SLICE = 120;
  it(`root and quad accuracy on the first ${SLICE} held-back rows`, () => {
    if (!sharedAvailable('data/plover/PLV_train.tsv')) return;
    const rows = readPlv().filter((r) => isHeldBack(r.sentenceId)).slice(0, SLICE);
    let root = 0;
    let quad = 0;
    for (const r of rows) {
      const res = codeEvent(r.sentence, r.source, r.target, lex);
      const label = res.event === 'CONCEDE' || res.event === 'RETREAT' ? 'YIELD' : res.event;
      if (label === r.gold) root++;
      if (res.quad === r.quad) quad++;
    }
    expect(root / rows.length).toBeGreaterThanOrEqual(ROOT_FLOOR);
    expect(quad / rows.length).toBeGreaterThanOrEqual(QUAD_FLOOR);
  });
});

describe('the reference article (EXPECTED.md events table)', () => {
  it('finds the six events with their sources, targets, places and dates', () => {
    if (!sharedAvailable('seeds/000_a309f49bf0c5d612.txt')) return;
    const text = readSeed();
    const doc = segment(text);
    const actors = findActors(doc, loadActorLexicon(dataDir()));
    const evs = findEvents(doc, actors, [], findDates(doc, '2025-11-25'), lex);
    const name = (id: string): string => actors.find((a) => a.id === id)?.name ?? id;
    const has = (type: string, src: RegExp, tgt: RegExp | null) =>
      evs.find((e) => e.type === type && e.source.some((s) => src.test(name(s))) && (tgt ? e.target.some((t) => tgt.test(name(t))) : true));
    const agree = has('AGREE', /Zelenskyy/, /United States|Trump/);
    expect(agree?.date).toBe('2025-11-25');
    const request = has('REQUEST', /Zelenskyy/, /Europe/);
    expect(request?.mode).toBe('assist');
    expect(request?.context).toContain('peacekeeping');
    expect(has('CONSULT', /Zelenskyy/, null)?.mode).toBe('multilateral');
    expect(has('REQUEST', /Lavrov/, /United States|Trump/)).toBeDefined();
    const summit = has('CONSULT', /Putin/, null);
    expect(summit?.source.map(name).join(' ')).toMatch(/Trump/);
    expect(summit?.location).toMatchObject({ name: expect.stringMatching(/Anchorage|Alaska/), country: 'USA' });
    expect(summit?.context).toContain('historical');
    const meeting = has('CONSULT', /Driscoll/, /Russia/);
    expect(meeting).toMatchObject({ mode: 'third-party', date: '2025-11-24', location: { name: 'Abu Dhabi', country: 'ARE' } });
  });
});
