// Cross-article views: mergeActors (spelling variants, roles with dates), positionMatrix (latest
// stance and change tracking over dated articles), timeline and interaction network.
import { describe, expect, it } from 'vitest';
import { dataDir } from '../src/analyze/lexicons.js';
import { loadIssueLexicon } from '../src/analyze/positions/lexicon.js';
import { findActor, mergeActors, surnameSkeleton } from '../src/stories/actors-merge.js';
import { positionMatrix } from '../src/stories/positions.js';
import { dateStart, interactionNetwork, timeline } from '../src/stories/timeline.js';
import type { EventRecord } from '../src/analyze/types.js';
import { actor, at, makeItem, quote } from './positions-helpers.js';
import { positionTable } from '../src/cli/commands/positions.js';

const lex = loadIssueLexicon(dataDir(), undefined);

function zelItem(id: string, date: string, spelling: string, title: string, body: string, cue: string, content: string) {
  const text = `${body}`;
  const z = { ...actor(text, 'z', spelling, 'person', 'UKR', [spelling]), title };
  const u = actor(text, 'u', 'Ukraine', 'country', 'UKR', ['Ukraine']);
  return makeItem(id, date, text, [z, u], [quote(text, 'indirect', 'z', spelling, cue, content)], [], lex, `https://example.org/${id}`);
}

describe('mergeActors', () => {
  it('merges transliteration variants and lone surnames into one actor, keeping roles with dates', () => {
    const a = zelItem('a1', '2025-11-20', 'Volodymyr Zelenskyy', 'President', 'Volodymyr Zelenskyy said Ukraine is ready to discuss a ceasefire.', 'said', 'Ukraine is ready to discuss a ceasefire');
    const b = zelItem('a2', '2025-11-25', 'Volodymyr Zelensky', 'President', 'Volodymyr Zelensky said Ukraine rejects territorial concessions.', 'said', 'Ukraine rejects territorial concessions');
    const c = zelItem('a3', '2025-11-26', 'Zelenskiy', 'Ukrainian leader', 'Zelenskiy said Ukraine rejects territorial concessions.', 'said', 'Ukraine rejects territorial concessions');
    const merged = mergeActors([c, b, a]);
    const zs = merged.filter((m) => m.kind === 'person');
    expect(zs).toHaveLength(1);
    const z = zs[0]!;
    expect(z.name).toMatch(/^Volodymyr Zelensky/);
    expect(z.variants).toEqual(['Volodymyr Zelensky', 'Volodymyr Zelenskyy', 'Zelenskiy']);
    expect(z.appearances.map((x) => x.articleId)).toEqual(['a1', 'a2', 'a3']);
    expect(z.roles).toEqual([
      { title: 'President', first: '2025-11-20', last: '2025-11-25', articles: ['a1', 'a2'] },
      { title: 'Ukrainian leader', first: '2025-11-26', last: '2025-11-26', articles: ['a3'] },
    ]);
    expect(merged.filter((m) => m.kind === 'country')).toHaveLength(1);
    // Same input in another order → same ids.
    expect(mergeActors([a, b, c]).map((m) => m.id).sort()).toEqual(merged.map((m) => m.id).sort());
    expect(findActor(merged, 'zelenskyy').map((m) => m.id)).toEqual([z.id]);
    expect(findActor(merged, 'Zelensky').map((m) => m.id)).toEqual([z.id]);
  });

  it('keeps different people and unnamed descriptions apart', () => {
    const t1 = 'Dan Driscoll met officials. A Ukrainian diplomat said little.';
    const t2 = 'Tom Driscoll spoke. A Ukrainian diplomat said more.';
    const i1 = makeItem('b1', '2025-01-01', t1, [actor(t1, 'd', 'Dan Driscoll', 'person', 'USA', ['Dan Driscoll']), actor(t1, 'x', 'A Ukrainian diplomat', 'person', 'UKR', ['A Ukrainian diplomat'])], [], [], lex);
    const i2 = makeItem('b2', '2025-01-02', t2, [actor(t2, 'd', 'Tom Driscoll', 'person', 'USA', ['Tom Driscoll']), actor(t2, 'x', 'A Ukrainian diplomat', 'person', 'UKR', ['A Ukrainian diplomat'])], [], [], lex);
    expect(mergeActors([i1, i2]).filter((m) => m.kind === 'person')).toHaveLength(4);
  });

  it('a lone surname that fits two full names stays apart', () => {
    const t = 'Ann Smith and Bob Smith met. Smith spoke.';
    const it1 = makeItem('c1', undefined, t, [actor(t, 'a', 'Ann Smith', 'person', undefined, ['Ann Smith']), actor(t, 'b', 'Bob Smith', 'person', undefined, ['Bob Smith']), actor(t, 's', 'Smith', 'person', undefined, ['Smith spoke'])], [], [], lex);
    expect(mergeActors([it1])).toHaveLength(3);
  });

  it('surname skeletons unify common transliterations', () => {
    expect(new Set(['zelenskyy', 'zelensky', 'zelenskiy', 'zelenskyi'].map(surnameSkeleton)).size).toBe(1);
    expect(surnameSkeleton('putin')).not.toBe(surnameSkeleton('pution'));
  });
});

describe('positionMatrix', () => {
  const a = zelItem('a1', '2025-11-20', 'Volodymyr Zelenskyy', 'President', 'Volodymyr Zelenskyy said Ukraine is ready to accept territorial concessions.', 'said', 'Ukraine is ready to accept territorial concessions');
  const b = zelItem('a2', '2025-11-25', 'Volodymyr Zelensky', 'President', 'Volodymyr Zelensky said Ukraine rejects territorial concessions and sanctions relief.', 'said', 'Ukraine rejects territorial concessions and sanctions relief');

  it('tracks the latest stance and each change with date and source article', () => {
    const m = positionMatrix([b, a]);
    const merged = mergeActors([a, b]);
    const ukr = merged.find((x) => x.kind === 'country')!;
    const cell = m.cells.find((c) => c.party === ukr.id && c.issue === 'territory')!;
    expect(cell.latest.stance).toBe('oppose');
    expect(cell.latest.articleId).toBe('a2');
    expect(cell.latest.url).toBe('https://example.org/a2');
    expect(cell.changes.map((c) => [c.previous, c.stance, c.date, c.articleId])).toEqual([
      [null, 'support', '2025-11-20', 'a1'],
      ['support', 'oppose', '2025-11-25', 'a2'],
    ]);
    expect(b.analysis.text.slice(cell.latest.evidence.start, cell.latest.evidence.end)).toContain('territorial concessions');
    expect(cell.observations).toBe(2);
  });

  it('renders a plain-text grid, marking changed cells', () => {
    const table = positionTable(positionMatrix([a, b], { kinds: ['country'] }));
    const lines = table.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^party\s+sanctions\s+territory$/);
    expect(lines[1]).toMatch(/^Ukraine\s+OPPOSE\s+OPPOSE\*$/);
    expect(positionTable({ parties: [], issues: [], cells: [] })).toBe('no positions\n');
  });

  it('no change is recorded when the stance holds', () => {
    const c = zelItem('a3', '2025-11-27', 'Zelensky', 'President', 'Zelensky said Ukraine rejects territorial concessions.', 'said', 'Ukraine rejects territorial concessions');
    const m = positionMatrix([a, b, c]);
    const cell = m.cells.find((x) => x.issue === 'territory' && m.parties.find((p) => p.id === x.party)?.kind === 'country')!;
    expect(cell.changes).toHaveLength(2);
    expect(cell.latest.articleId).toBe('a3');
  });

  it('--topic as an issue keeps only that column; as a word filters articles; kinds filter rows', () => {
    const issues = lex.issues.map((i) => ({ id: i.id, label: i.label }));
    expect(new Set(positionMatrix([a, b], { topic: 'sanctions', issues }).cells.map((c) => c.issue))).toEqual(new Set(['sanctions']));
    expect(positionMatrix([a, b], { topic: 'territory', issues }).issues.map((i) => i.id)).toEqual(['territory']);
    const byWord = positionMatrix([a, b], { topic: 'relief', issues });
    expect(new Set(byWord.cells.map((c) => c.latest.articleId))).toEqual(new Set(['a2']));
    const parties = positionMatrix([a, b], { kinds: ['country'] });
    expect(parties.parties.every((p) => p.kind === 'country')).toBe(true);
    expect(parties.cells.length).toBeGreaterThan(0);
  });
});

describe('timeline and network', () => {
  const t1 = 'Russia and Ukraine met in Geneva. Ukraine accused Russia of shelling. Officials said a prisoner exchange is ready to happen.';
  const acts1 = [actor(t1, 'r', 'Russia', 'country', 'RUS', ['Russia']), actor(t1, 'u', 'Ukraine', 'country', 'UKR', ['Ukraine']), actor(t1, 'o', 'Officials', 'group', undefined, ['Officials'])];
  const ev = (id: string, type: EventRecord['type'], s: string[], t: string[], span: string, extra: Partial<EventRecord> = {}): EventRecord =>
    ({ id, type, context: [], source: s, target: t, evidence: at(t1, span), rule: 'test', ...extra });
  const events1 = [
    ev('e1', 'CONSULT', ['r'], ['u'], 'Russia and Ukraine met in Geneva', { date: '2025-W47', location: { name: 'Geneva', country: 'CHE', lat: 46.2, lon: 6.15 } }),
    ev('e2', 'ACCUSE', ['u'], ['r'], 'Ukraine accused Russia of shelling'),
    ev('e3', 'THREATEN', ['r'], ['u'], 'Russia and Ukraine', { negated: true }),
  ];
  const i1 = makeItem('n1', '2025-11-25', t1, acts1, [quote(t1, 'indirect', 'o', 'Officials', 'said', 'a prisoner exchange is ready to happen')], events1, lex);
  const t2 = 'Ukraine accused Russia again.';
  const i2 = makeItem('n2', '2025-11-22', t2, [actor(t2, 'rr', 'Russia', 'country', 'RUS', ['Russia']), actor(t2, 'uu', 'Ukraine', 'country', 'UKR', ['Ukraine'])], [], [{ id: 'e9', type: 'ACCUSE', context: [], source: ['uu'], target: ['rr'], evidence: { start: 0, end: t2.length - 1 }, rule: 'test' }], lex);

  it('orders events and statements by date (event dates resolved from weeks), then text', () => {
    const tl = timeline([i1, i2]);
    expect(tl.map((e) => `${e.date} ${e.kind} ${e.id}`)).toEqual([
      '2025-11-17 event e1',
      '2025-11-22 event e9',
      '2025-11-25 event e3',
      '2025-11-25 event e2',
      `2025-11-25 statement ${i1.analysis.quotes[0]!.id}`,
    ]);
    expect(tl[0]!.dateFrom).toBe('event');
    expect(tl.find((e) => e.kind === 'statement')!.issues).toEqual(['prisoners']);
    expect(tl.find((e) => e.id === 'e3')!.summary).toMatch(/NOT THREATEN/);
    expect(dateStart('2025-W01')).toBe('2024-12-30');
    expect(dateStart('2025-11')).toBe('2025-11-01');
  });

  it('dates a statement by a day named in its sentence', () => {
    const t = 'The minister said on Monday that sanctions remain a major obstacle.';
    const it1 = makeItem('d1', '2025-11-26', t, [actor(t, 'm', 'The minister', 'person', undefined, ['The minister'])], [quote(t, 'indirect', 'm', 'The minister', 'said', 'that sanctions remain a major obstacle')], [], lex);
    it1.analysis.dates = [{ ...at(t, 'on Monday'), value: '2025-11-24', grain: 'day', rule: 'test' }];
    const [entry] = timeline([it1]);
    expect(entry).toMatchObject({ kind: 'statement', date: '2025-11-24', dateFrom: 'text' });
  });

  it('a mutual event with two sources and no target links the sources', () => {
    const t = 'Putin and Trump met in Anchorage.';
    const it1 = makeItem('m1', '2025-08-15', t, [actor(t, 'p', 'Vladimir Putin', 'person', 'RUS', ['Putin']), actor(t, 't', 'Donald Trump', 'person', 'USA', ['Trump'])], [],
      [{ id: 'e1', type: 'CONSULT', mode: 'visit', context: [], source: ['p', 't'], target: [], evidence: { start: 0, end: t.length - 1 }, rule: 'test' }], lex);
    const net = interactionNetwork([it1]);
    expect(net.edges.map((e) => [net.nodes.find((n) => n.id === e.source)!.name, e.type, net.nodes.find((n) => n.id === e.target)!.name, e.modes])).toEqual([['Vladimir Putin', 'CONSULT', 'Donald Trump', ['visit']]]);
  });

  it('builds one edge per source, target and type across articles, leaving negated events out', () => {
    const net = interactionNetwork([i1, i2]);
    const accuse = net.edges.find((e) => e.type === 'ACCUSE')!;
    expect(accuse.count).toBe(2);
    expect(accuse.quad).toBe(3);
    expect(accuse.first).toBe('2025-11-22');
    expect(accuse.last).toBe('2025-11-25');
    expect(accuse.evidence.map((x) => x.articleId)).toEqual(['n2', 'n1']);
    expect(net.edges.some((e) => e.type === 'THREATEN')).toBe(false);
    expect(net.nodes.map((n) => n.name).sort()).toEqual(['Russia', 'Ukraine']);
  });
});
