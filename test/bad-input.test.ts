// Bad input through the real command: a clear one-line error and a non-zero exit, or a valid
// empty analysis — never a stack trace or a hang.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, openSync, ftruncateSync, closeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from './helpers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'parley-bad-'));
function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}
function run(args: string[], input?: string): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function expectOneLineError(r: { code: number | null; out: string; err: string }, re: RegExp): void {
  expect(r.code).not.toBe(0);
  expect(r.code).not.toBeNull(); // not killed by the timeout
  expect(r.out).toBe('');
  const lines = r.err.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^parley: /);
  expect(lines[0]).toMatch(re);
  expect(r.err).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
}

describe('analyze: bad input', () => {
  it('an empty file', () => expectOneLineError(run(['analyze', file('empty.txt', '')]), /empty/));
  it('a file of white space', () => expectOneLineError(run(['analyze', file('blank.txt', ' \n\n\t ')]), /empty/));
  it('a binary file', () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
    expectOneLineError(run(['analyze', file('bin.dat', bytes)]), /binary/);
  });
  it('invalid UTF-8', () => expectOneLineError(run(['analyze', file('latin1.txt', Buffer.from('Caf\xe9 talks resumed on Monday.', 'latin1'))]), /UTF-8/));
  it('a 50 MB file is refused without reading it', () => {
    const p = path.join(dir, 'big.txt');
    const fd = openSync(p, 'w');
    ftruncateSync(fd, 50 * 1024 * 1024);
    closeSync(fd);
    expectOneLineError(run(['analyze', p]), /too large/);
  });
  it('a file that does not exist', () => expectOneLineError(run(['analyze', path.join(dir, 'nope.txt')]), /no such file/));
  it('a directory', () => expectOneLineError(run(['analyze', dir]), /directory/));
  it('a bad --published date', () => expectOneLineError(run(['analyze', file('ok.txt', 'The talks resumed.'), '--published', '2025-13-45']), /published/));
  it('an unknown format', () => expectOneLineError(run(['analyze', file('ok2.txt', 'The talks resumed.'), '--format', 'xml']), /format/));
  it('non-English text says the analysis is English-only', () => {
    const fr = "Le président de la République a déclaré mardi que la France était prête à soutenir le plan de paix proposé par les États-Unis, selon un communiqué publié par l'Élysée dans la soirée.";
    expectOneLineError(run(['analyze', file('fr.txt', fr)]), /English only/);
  });
  it('text with no sentences gives a valid empty analysis', () => {
    const r = run(['analyze', file('punct.txt', '... !!! ???')]);
    expect(r.code).toBe(0);
    const a = JSON.parse(r.out);
    expect(a.quotes).toEqual([]);
    expect(a.text).toBe('... !!! ???');
  });
  it('unbalanced quote marks do not crash', () => {
    const r = run(['analyze', file('unbal.txt', 'He said "this never closes. And “neither does this.\n\n‘Nor this, she added.')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).text).toContain('never closes');
  });
  it('stdin with "-"', () => {
    const r = run(['analyze', '-'], 'The minister said the talks would resume on Monday.');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).text).toBe('The minister said the talks would resume on Monday.');
  });
});

describe('analyze --jsonl', () => {
  it('answers every line in order, with the input id, and an error line for each bad one', () => {
    const lines = [
      JSON.stringify({ id: 'a', text: 'The minister said on Monday that talks would resume.', published: '2025-11-25', title: 'Talks resume' }),
      'not json',
      JSON.stringify({ id: 7, text: 5 }),
      '',
      JSON.stringify({ id: 'c', text: '' }),
      JSON.stringify({ id: 'd', text: 'Officials met in Geneva.', published: 'yesterday' }),
      JSON.stringify({ id: 'e', text: "Le président a déclaré mardi que la France était prête à soutenir le plan de paix proposé par l'Élysée." }),
      JSON.stringify({ id: 'f', text: 'Officials met in Geneva on Friday.' }),
    ];
    const r = run(['analyze', '--jsonl'], lines.join('\n') + '\n');
    expect(r.code).toBe(0);
    const out = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(out).toHaveLength(lines.length);
    expect(out.map((o) => o.id)).toEqual(['a', null, 7, null, 'c', 'd', 'e', 'f']);
    expect(out[0].text).toBe('The minister said on Monday that talks would resume.');
    expect(out[0].headlines[0]).toBe('Talks resume');
    expect(out[0].dates[0].value).toBe('2025-11-24');
    for (const i of [1, 2, 3, 4, 5, 6]) expect(typeof out[i].error).toBe('string');
    expect(out[6].error).toMatch(/English only/);
    expect(out[7].error).toBeUndefined();
  });
  it('numbers error lines across the pieces the input is cut into, and keeps order', () => {
    // ~40 KB of input: more than one piece (PIECE_BYTES), so lines go to several workers.
    const body = 'Officials met in Geneva on Friday. '.repeat(90);
    const lines = Array.from({ length: 12 }, (_, i) => JSON.stringify({ id: `n${i}`, text: `${body}Item ${i}.` }));
    lines.splice(9, 0, '{"id": broken');
    lines.push('\r');
    const r = run(['analyze', '--jsonl'], lines.join('\r\n'));
    expect(r.code).toBe(0);
    const out = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(out).toHaveLength(14);
    expect(out[9]).toEqual({ id: null, error: 'line 10: invalid JSON' });
    expect(out[13]).toEqual({ id: null, error: 'line 14: empty line' });
    expect(out.filter((o) => o.error === undefined).map((o) => o.id)).toEqual(Array.from({ length: 12 }, (_, i) => `n${i}`));
  });
  it('gives the same output twice (ids included)', () => {
    const input = JSON.stringify({ id: 1, text: '"We are ready," the president said on Tuesday.', published: '2025-11-25' }) + '\n';
    expect(run(['analyze', '--jsonl'], input).out).toBe(run(['analyze', '--jsonl'], input).out);
  });
});
