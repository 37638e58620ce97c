// Exports: PLOVER JSON, GDELT-style TSV (column count, codes), attributions JSONL, brat round-trip
// (offsets slice back to the text), position matrix CSV quoting; and the CLI commands end to end.
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dataDir } from '../src/analyze/lexicons.js';
import { loadIssueLexicon } from '../src/analyze/positions/lexicon.js';
import { eventsToGdeltRows, eventsToGdeltTsv, eventsToPlover, GDELT_COLUMNS, PARLEY_COLUMNS } from '../src/export/events.js';
import { attributionRows, bratFragments, parseBrat, toBrat } from '../src/export/attributions.js';
import { csvField, positionMatrixToCsv } from '../src/export/csv.js';
import { itemsFromJsonl } from '../src/export/load.js';
import { positionMatrix } from '../src/stories/positions.js';
import type { EventRecord } from '../src/analyze/types.js';
import { actor, at, makeItem, quote } from './positions-helpers.js';

const lex = loadIssueLexicon(dataDir(), undefined);
const ROOT = path.resolve(__dirname, '..');

const text = 'Talks in Geneva\n\nRussian officials met Ukraine\'s negotiators in Geneva on Monday. "We are ready to discuss a ceasefire,\nbut not territorial concessions," the Ukrainian envoy said, adding that sanctions remain a major obstacle.';
const acts = [
  actor(text, 'r', 'Russia', 'country', 'RUS', ['Russian officials']),
  actor(text, 'u', 'Ukraine', 'country', 'UKR', ["Ukraine's"]),
  actor(text, 'env', 'the Ukrainian envoy', 'person', 'UKR', ['the Ukrainian envoy']),
];
const events: EventRecord[] = [
  { id: 'e1', type: 'CONSULT', mode: 'third-party', context: ['diplomatic'], source: ['r'], target: ['u'], location: { name: 'Geneva', country: 'CHE', lat: 46.2022, lon: 6.1457 }, date: '2025-11-24', evidence: at(text, "Russian officials met Ukraine's negotiators in Geneva on Monday"), trigger: at(text, 'met'), rule: 'test' },
  { id: 'e2', type: 'REJECT', context: [], source: ['u', 'env'], target: ['r'], evidence: at(text, 'not territorial concessions'), rule: 'test' },
];
const q = quote(text, 'direct', 'env', 'the Ukrainian envoy', 'said', '"We are ready to discuss a ceasefire,\nbut not territorial concessions,"');
const q2 = quote(text, 'indirect', 'env', 'the Ukrainian envoy', 'adding', 'sanctions remain a major obstacle');
const item = makeItem('art-1', '2025-11-25', text, acts, [q, q2], events, lex, 'https://example.org/geneva');

describe('events export', () => {
  it('PLOVER JSON records carry type, actors, location, article and offsets', () => {
    const recs = eventsToPlover([item]);
    expect(recs).toHaveLength(2);
    const r = recs[0]!;
    expect(r.event).toBe('CONSULT');
    expect(r.mode).toBe('third-party');
    expect(r.source[0]).toMatchObject({ actorText: 'Russia', code: 'RUS', kind: 'country' });
    expect(r.location).toEqual({ name: 'Geneva', country: 'CHE', lat: 46.2022, lon: 6.1457 });
    expect(r.articleId).toBe('art-1');
    expect(r.url).toBe('https://example.org/geneva');
    expect(text.slice(r.evidence.start, r.evidence.end)).toBe(r.text);
    expect(r.eventText).toBe('met');
  });

  it('GDELT rows have the 61 GDELT columns plus Parley\'s, with codes, quad and weight', () => {
    expect(GDELT_COLUMNS).toHaveLength(61);
    const rows = eventsToGdeltRows([item]);
    // e2 has two sources → two rows.
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(r).toHaveLength(61 + PARLEY_COLUMNS.length);
    const col = (r: string[], name: string): string => r[[...GDELT_COLUMNS, ...PARLEY_COLUMNS].indexOf(name as never)]!;
    const c = rows[0]!;
    expect(col(c, 'SQLDATE')).toBe('20251124');
    expect(col(c, 'Actor1Code')).toBe('RUS');
    expect(col(c, 'Actor2CountryCode')).toBe('UKR');
    expect(col(c, 'EventCode')).toBe('044');
    expect(col(c, 'EventRootCode')).toBe('04');
    expect(col(c, 'QuadClass')).toBe('1');
    expect(col(c, 'GoldsteinScale')).toBe('1.0');
    expect(col(c, 'ActionGeo_FullName')).toBe('Geneva');
    expect(col(c, 'ActionGeo_Lat')).toBe('46.2022');
    expect(col(c, 'ActionGeo_Type')).toBe('4');
    expect(col(c, 'SOURCEURL')).toBe('https://example.org/geneva');
    expect(col(c, 'IsRootEvent')).toBe('1');
    const start = Number(col(c, 'ParleyEvidenceStart'));
    const end = Number(col(c, 'ParleyEvidenceEnd'));
    expect(text.slice(start, end)).toMatch(/^Russian officials met/);
    const rej = rows[1]!;
    expect(col(rej, 'QuadClass')).toBe('3');
    expect(col(rej, 'SQLDATE')).toBe('20251125'); // no event date → publication date
    const tsv = eventsToGdeltTsv([item]);
    const lines = tsv.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    for (const l of lines) expect(l.split('\t')).toHaveLength(61 + PARLEY_COLUMNS.length);
    expect(eventsToGdeltTsv([item], { header: false }).trimEnd().split('\n')).toHaveLength(3);
  });
});

describe('attributions export', () => {
  it('JSONL rows carry speaker, spans with text, issues', () => {
    const rows = attributionRows([item]);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.speaker).toMatchObject({ id: 'env', name: 'the Ukrainian envoy' });
    expect(rows[0]!.content.text).toBe(text.slice(q.content.start, q.content.end));
    expect(rows[0]!.issues).toEqual(['ceasefire', 'territory']);
    expect(rows[1]!.cue!.text).toBe('adding');
  });

  it('brat standoff round-trips: every fragment slices back to its text; spans never cross a line break', () => {
    const ann = toBrat(item.analysis);
    const { entities, events: evs } = parseBrat(ann);
    expect(evs).toHaveLength(2);
    expect(entities.filter((e) => e.type === 'Content')).toHaveLength(2);
    for (const e of entities) {
      expect(e.spans.map((s) => text.slice(s.start, s.end)).join(' ')).toBe(e.text);
      for (const s of e.spans) expect(text.slice(s.start, s.end)).not.toMatch(/\n/);
    }
    // The multi-line direct quote becomes a discontinuous span of two fragments.
    const content = entities.find((e) => e.type === 'Content' && e.spans.length === 2);
    expect(content).toBeDefined();
    for (const ev of evs) {
      expect(ev.type).toBe('Attribution');
      expect(Object.keys(ev.args).sort()).toEqual(['Content', 'Cue', 'Source']);
      const trig = entities.find((e) => e.id === ev.trigger)!;
      expect(trig.type).toBe('Attribution');
      expect(entities.find((e) => e.id === ev.args.Cue)!.text).toBe(trig.text);
    }
    expect(ann).toMatch(/^#1\tAnnotatorNotes T\d+\tspeaker=the Ukrainian envoy/m);
    expect(bratFragments('a\n\nb', { start: 0, end: 4 })).toEqual([{ start: 0, end: 1 }, { start: 3, end: 4 }]);
  });
});

describe('position matrix CSV', () => {
  it('quotes fields per RFC 4180 and keeps one row per party × issue', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "no"')).toBe('"say ""no"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(undefined)).toBe('');
    const m = positionMatrix([item]);
    const csv = positionMatrixToCsv(m);
    const lines = csv.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('party_id,party,kind,country,issue,issue_label,stance,date,article_id,url,evidence_start,evidence_end,evidence,rule,observations,history');
    expect(lines).toHaveLength(1 + m.cells.length);
    expect(m.cells.length).toBeGreaterThan(0);
    // The evidence holds a quote mark: quoted, inner quotes doubled.
    expect(csv).toMatch(/,"""We are ready to discuss a ceasefire",/);
  });
});

describe('CLI (built dist)', () => {
  const built = fs.existsSync(path.join(ROOT, 'dist/src/cli/commands/export-events.js'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-export-'));
  const input = path.join(dir, 'items.jsonl');
  fs.writeFileSync(input, `${JSON.stringify(item)}\n`);
  const run = (...args: string[]) => spawnSync(path.join(ROOT, 'bin/parley'), args, { encoding: 'utf8', cwd: dir });
  /** Run a command that must succeed; its stdout. */
  const ok = (...args: string[]): string => {
    const r = run(...args);
    expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    return r.stdout;
  };

  it.skipIf(!built)('export-events, export-attributions, positions, timeline, actors, network read --input', () => {
    const g = run('export-events', '--format', 'gdelt', '--input', input);
    expect(g.status).toBe(0);
    expect(g.stdout.trimEnd().split('\n')).toHaveLength(4);
    const p = JSON.parse(ok('export-events', '--format', 'plover', '--input', input)) as unknown[];
    expect(p).toHaveLength(2);
    const csv = run('positions', '--format', 'csv', '--input', input);
    expect(csv.status).toBe(0);
    expect(csv.stdout.startsWith('party_id,')).toBe(true);
    const tl = JSON.parse(ok('timeline', '--input', input)) as unknown[];
    expect(tl.length).toBe(4);
    const actors = JSON.parse(ok('actors', '--input', input)) as Array<{ name: string }>;
    expect(actors.map((a) => a.name)).toContain('Ukraine');
    const one = JSON.parse(ok('actor', 'ukraine', '--input', input)) as { name: string; positions: unknown[] };
    expect(one.name).toBe('Ukraine');
    expect(one.positions.length).toBeGreaterThan(0);
    expect(JSON.parse(ok('network', '--input', input)).edges.length).toBe(3); // e2 has two sources
    const out = path.join(dir, 'brat');
    expect(run('export-attributions', '--format', 'brat', '--out', out, '--input', input).status).toBe(0);
    expect(fs.readFileSync(path.join(out, 'art-1.txt'), 'utf8')).toBe(text);
    expect(parseBrat(fs.readFileSync(path.join(out, 'art-1.ann'), 'utf8')).events).toHaveLength(2);
    const jl = ok('export-attributions', '--format', 'jsonl', '--input', input).trimEnd().split('\n');
    expect(jl).toHaveLength(2);
  });

  it.skipIf(!built)('bad input: one line on stderr, non-zero exit, no stack', () => {
    for (const args of [
      ['export-events', '--format', 'xml', '--input', input],
      ['export-events', '--format', 'gdelt', '--input', path.join(dir, 'missing.jsonl')],
      ['positions', '--db', path.join(dir, 'nothing.db')],
      ['timeline', '--from', 'yesterday', '--input', input],
      ['actor', 'Nobody Atall', '--input', input],
      ['export-attributions', '--format', 'brat', '--input', input],
    ]) {
      const r = run(...args);
      expect(r.status, args.join(' ')).not.toBe(0);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^parley: /);
      expect(r.stdout).toBe('');
    }
    expect(fs.existsSync(path.join(dir, 'nothing.db'))).toBe(false);
    fs.writeFileSync(path.join(dir, 'bad.jsonl'), '{"x":1}\n');
    const r = run('timeline', '--input', path.join(dir, 'bad.jsonl'));
    expect(r.stderr).toMatch(/line 1/);
  });

  it.skipIf(!built)('reads a real SQLite library (--db): positions change over two dated articles', async () => {
    const { SqliteStore } = await import('../src/store/sqlite.js');
    const db = path.join(dir, 'lib.db');
    const mk = (id: string, date: string, body: string, content: string) => {
      const t = body;
      const env = { ...actor(t, 'env', 'Ukrainian envoy', 'person', 'UKR', ['The Ukrainian envoy']), title: 'envoy' };
      const ukr = actor(t, 'u', 'Ukraine', 'country', 'UKR', ['Ukraine']);
      return makeItem(id, date, t, [env, ukr], [quote(t, 'indirect', 'env', 'The Ukrainian envoy', 'said', content)], [], lex);
    };
    const a1 = mk('s1', '2025-11-20', 'The Ukrainian envoy said Ukraine is ready to discuss elections.', 'Ukraine is ready to discuss elections');
    const a2 = mk('s2', '2025-11-24', 'The Ukrainian envoy said elections remain a red line for Ukraine.', 'elections remain a red line for Ukraine');
    const store = new SqliteStore(db);
    await store.putArticle(a2.article, a2.analysis);
    await store.putArticle(a1.article, a1.analysis);
    await store.close();
    const r = run('positions', '--db', db, '--parties', '--topic', 'elections');
    expect(r.stderr).toBe('');
    const m = JSON.parse(r.stdout) as { cells: Array<{ issue: string; latest: { stance: string; articleId: string }; changes: Array<{ stance: string; date: string }> }> };
    expect(m.cells).toHaveLength(1);
    expect(m.cells[0]!.latest).toMatchObject({ stance: 'oppose', articleId: 's2' });
    expect(m.cells[0]!.changes.map((c) => `${c.date} ${c.stance}`)).toEqual(['2025-11-20 support', '2025-11-24 oppose']);
  });

  it('itemsFromJsonl accepts analyze --jsonl output lines (an Analysis with the input id)', () => {
    const line = JSON.stringify({ ...item.analysis, id: 'x7', published: '2025-11-25' });
    const [it1] = itemsFromJsonl(line);
    expect(it1!.article.id).toBe('x7');
    expect(it1!.article.published).toBe('2025-11-25');
    expect(() => itemsFromJsonl('nope')).toThrow(/line 1/);
  });
});
