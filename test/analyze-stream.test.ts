// `analyze --jsonl` as a live pipe: a line that arrives while workers are idle is answered before
// the next line is written (no waiting for a full piece of input), and order is kept.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { BIN } from './helpers.js';

describe('analyze --jsonl on a slow pipe', () => {
  it('answers each line before the next one is written', async () => {
    const child = spawn(process.execPath, [BIN, 'analyze', '--jsonl'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const texts = ['The minister said on Monday that talks would resume.', 'Officials met in Geneva on Friday, a spokesman said.', 'No agreement was reached.'];
    const got: Array<{ id: string; quotes: unknown[] }> = [];
    for (const [i, text] of texts.entries()) {
      child.stdin.write(JSON.stringify({ id: `live${i}`, text }) + '\n');
      // stdin stays open: the answer must come while more input could still follow
      const next = await answers.next();
      expect(next.done).toBe(false);
      got.push(JSON.parse(next.value as string));
    }
    child.stdin.end();
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(0);
    expect(got.map((a) => a.id)).toEqual(['live0', 'live1', 'live2']);
    expect(got[0]!.quotes.length).toBeGreaterThan(0);
  }, 60_000);
});
