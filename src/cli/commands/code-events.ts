// `parley code-events --jsonl`: code what `source` does to `target` in each sentence (CONTRACT §4).
// One output line per non-blank input line, in input order; a bad line gets {"id","error"}.
import type { Command } from 'commander';
import { createInterface } from 'node:readline';
import { UserError } from '../errors.js';
import { dataDir } from '../../analyze/lexicons.js';
import { codeEvent } from '../../analyze/events/coder.js';
import { loadEventLexicon, type EventLexicon } from '../../analyze/events/lexicon.js';

/** Output lines are flushed in batches of this many, so a large batch is not one write per line. */
const FLUSH_EVERY = 256;

/** Code one input line; never throws. */
export function codeLine(line: string, lex: EventLexicon): Record<string, unknown> {
  let obj: unknown;
  try {
    obj = JSON.parse(line.charCodeAt(0) === 0xfeff ? line.slice(1) : line);
  } catch {
    return { id: null, error: 'invalid JSON' };
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return { id: null, error: 'line is not a JSON object' };
  const o = obj as Record<string, unknown>;
  const id = o.id ?? null;
  if (id === null || (typeof id !== 'string' && typeof id !== 'number')) return { id, error: 'missing or invalid "id"' };
  for (const k of ['sentence', 'source', 'target'] as const) {
    if (typeof o[k] !== 'string' || !(o[k] as string).trim()) return { id, error: `missing or empty "${k}"` };
  }
  try {
    const r = codeEvent(o.sentence as string, o.source as string, o.target as string, lex);
    return { id, event: r.event, ...(r.mode ? { mode: r.mode } : {}), quad: r.quad };
  } catch (e) {
    return { id, error: (e as Error).message };
  }
}

export function register(program: Command): void {
  program
    .command('code-events')
    .description('Code the PLOVER event a source does to a target, one JSON line per input line: {"id","sentence","source","target"} → {"id","event","mode"?,"quad"}')
    .option('--jsonl', 'read JSON lines on stdin, write JSON lines on stdout (the only mode)')
    .action(async (opts: { jsonl?: boolean }) => {
      if (!opts.jsonl) throw new UserError('code-events reads JSON lines on stdin: use --jsonl');
      // Only the events lexicon is needed: loading the other stages' word lists would only cost time.
      const lex = loadEventLexicon(dataDir());
      const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
      let buf: string[] = [];
      for await (const line of rl) {
        if (!line.trim()) continue;
        buf.push(JSON.stringify(codeLine(line, lex)));
        if (buf.length >= FLUSH_EVERY) {
          process.stdout.write(buf.join('\n') + '\n');
          buf = [];
        }
      }
      if (buf.length) process.stdout.write(buf.join('\n') + '\n');
    });
}
