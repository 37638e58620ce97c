// `parley analyze FILE|- [--published D] [--format json|md]` and `parley analyze --jsonl`
// (CONTRACT §1–2). The batch mode spreads work over worker threads and keeps input order.
import type { Command } from 'commander';
import { readFileSync, statSync } from 'node:fs';
import readline from 'node:readline';
import { analyze } from '../../analyze/index.js';
import { decodeText, InputError, MAX_TEXT_BYTES } from '../../analyze/input.js';
import { formatMarkdown } from '../../analyze/format-md.js';
import { AnalyzePool, defaultPoolSize } from '../../analyze/pool.js';
import { UserError } from '../errors.js';

/** Jobs in flight per worker in batch mode: enough to keep cores busy, few enough to keep memory flat. */
export const JOBS_PER_WORKER = 16;

/** Accepts YYYY-MM-DD or an ISO date-time; returns the date part. */
export function checkPublished(v: unknown, what = '--published'): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new InputError(`${what} must be a date string YYYY-MM-DD`);
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(v);
  if (!m) throw new InputError(`${what} must be a date YYYY-MM-DD, got "${v.slice(0, 40)}"`);
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
  if (d.getUTCMonth() !== +m[2]! - 1 || d.getUTCDate() !== +m[3]!) throw new InputError(`${what} is not a real date: "${v.slice(0, 40)}"`);
  return `${m[1]}-${m[2]}-${m[3]}`;
}

function readInput(file: string): string {
  if (file === '-') {
    let buf: Buffer;
    try {
      buf = readFileSync(0);
    } catch (e) {
      throw new UserError(`cannot read standard input: ${(e as Error).message}`);
    }
    return decodeText(buf, 'standard input');
  }
  let st;
  try {
    st = statSync(file);
  } catch {
    throw new UserError(`${file}: no such file`);
  }
  if (st.isDirectory()) throw new UserError(`${file} is a directory, not a file`);
  // Refuse before reading, so a huge file costs nothing.
  if (st.size > MAX_TEXT_BYTES) throw new UserError(`${file} is too large (${(st.size / 1048576).toFixed(1)} MB; the limit is ${MAX_TEXT_BYTES / 1048576} MB)`);
  return decodeText(readFileSync(file), file);
}

async function runJsonl(): Promise<void> {
  const pool = new AnalyzePool(defaultPoolSize());
  const window = JOBS_PER_WORKER * defaultPoolSize();
  const queue: Array<Promise<string>> = [];
  const out = process.stdout;
  const flushOne = async (): Promise<void> => {
    const line = await queue.shift()!;
    if (!out.write(`${line}\n`)) await new Promise((r) => out.once('drain', r));
  };
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  let n = 0;
  for await (const raw of rl) {
    n++;
    queue.push(raw.trim() === '' ? Promise.resolve(JSON.stringify({ id: null, error: `line ${n}: empty line` })) : submit(pool, raw, n));
    while (queue.length >= window) await flushOne();
  }
  while (queue.length) await flushOne();
  await pool.close();
}

function submit(pool: AnalyzePool, raw: string, lineNo: number): Promise<string> {
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(raw);
  } catch {
    return Promise.resolve(JSON.stringify({ id: null, error: `line ${lineNo}: invalid JSON` }));
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return Promise.resolve(JSON.stringify({ id: null, error: `line ${lineNo}: expected a JSON object` }));
  const id = obj.id ?? null;
  const err = (m: string): Promise<string> => Promise.resolve(JSON.stringify({ id, error: m }));
  if (typeof obj.text !== 'string') return err('"text" must be a string');
  let published: string | undefined;
  try {
    published = checkPublished(obj.published, '"published"');
  } catch (e) {
    return err((e as Error).message);
  }
  const title = typeof obj.title === 'string' ? obj.title.trim() : '';
  return pool.run({ text: obj.text, published, id, json: true, what: '"text"' }).then((r) => {
    if (r.error) return JSON.stringify({ id, error: r.error });
    // The title, when given and not already a headline line, leads the headlines (offsets are untouched).
    if (title && !r.json!.includes(`"headlines":[${JSON.stringify(title)}`)) {
      const a = JSON.parse(r.json!) as { headlines: string[] };
      if (!a.headlines.includes(title)) a.headlines.unshift(title);
      return JSON.stringify(a);
    }
    return r.json!;
  }, (e: Error) => JSON.stringify({ id, error: e.message }));
}

export function register(program: Command): void {
  program
    .command('analyze')
    .description('analyse an article: actors, quotes, events, positions (FILE, "-" for stdin, or --jsonl)')
    .argument('[file]', 'a UTF-8 text file, or - for standard input')
    .option('--published <date>', 'publication date YYYY-MM-DD, to resolve "on Tuesday", "this week"')
    .option('--format <format>', 'json or md', 'json')
    .option('--tokens', 'include the wink-nlp tokens (offsets and POS) in the JSON')
    .option('--jsonl', 'batch mode: JSON lines {"id","text","published"?,"title"?} on stdin, one analysis line out per line in')
    .action(async (file: string | undefined, opts: { published?: string; format: string; jsonl?: boolean; tokens?: boolean }) => {
      try {
        if (opts.jsonl) {
          if (file) throw new UserError('--jsonl reads standard input; give no FILE');
          await runJsonl();
          return;
        }
        if (!file) throw new UserError('analyze needs a FILE (or - for standard input, or --jsonl)');
        if (opts.format !== 'json' && opts.format !== 'md') throw new UserError(`--format must be json or md, not "${opts.format}"`);
        const published = checkPublished(opts.published);
        const text = readInput(file);
        const a = analyze(text, { ...(published ? { published } : {}), tokens: !!opts.tokens });
        if (a.language !== 'en') throw new UserError(`${file === '-' ? 'standard input' : file}: the language looks like "${a.language}"; Parley analyses English only`);
        process.stdout.write(opts.format === 'md' ? formatMarkdown(a) + '\n' : JSON.stringify(a) + '\n');
      } catch (e) {
        if (e instanceof InputError) throw new UserError(e.message);
        throw e;
      }
    });
}
