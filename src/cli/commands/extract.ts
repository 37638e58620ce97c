// `parley extract FILE.html [--url URL] --format json` and `--jsonl` (CONTRACT §3): the article
// body and metadata of an HTML page, one object per page.
import type { Command } from 'commander';
import { readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { UserError, oneLine } from '../errors.js';
import { decodeMarkup, looksBinary, looksBinaryText } from '../../ingest/decode.js';
import type { Extracted } from '../../ingest/extract.js';
import { MAX_PAGE_BYTES } from '../../ingest/limits.js';
import { fetchUrl } from '../../ingest/fetch.js';
import { ExtractPool } from '../../ingest/extract-pool.js';

function publicFields(e: Extracted): Record<string, unknown> {
  const o: Record<string, unknown> = { title: e.title };
  if (e.byline) o.byline = e.byline;
  if (e.published) o.published = e.published;
  o.text = e.text;
  if (e.canonicalUrl) o.canonicalUrl = e.canonicalUrl;
  if (e.outlet) o.outlet = e.outlet;
  if (e.language) o.language = e.language;
  return o;
}

function readPage(file: string): string {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new UserError(`${file}: is a directory`);
    size = st.size;
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${file}: no such file`);
  }
  if (size === 0) throw new UserError(`${file}: empty file`);
  if (size > MAX_PAGE_BYTES) throw new UserError(`${file}: page of ${size} bytes is over the ${MAX_PAGE_BYTES}-byte limit`);
  const buf = readFileSync(file);
  if (looksBinary(buf)) throw new UserError(`${file}: binary content, not HTML`);
  return decodeMarkup(buf);
}

/** Checks done before extraction, in the main thread: each failure is a one-line error. */
function checkPage(html: string): void {
  if (!html.trim()) throw new UserError('empty page');
  if (html.length > MAX_PAGE_BYTES) throw new UserError(`page of ${html.length} characters is over the ${MAX_PAGE_BYTES} limit`);
  if (looksBinaryText(html)) throw new UserError('binary content, not HTML');
}

async function extractOne(html: string, url?: string): Promise<Extracted> {
  checkPage(html);
  // Loaded here, not at start-up: `parley` registers every command on each run, and linkedom +
  // Readability are the heavy part.
  const { extractArticle } = await import('../../ingest/extract.js');
  try {
    return extractArticle(html, { url });
  } catch (e) {
    throw new UserError(oneLine(e));
  }
}

/** Lines being extracted at once: enough to keep every worker busy, few enough to bound memory. */
export const JSONL_IN_FLIGHT = 32;

/** One output line for one input line (never throws: a bad line becomes {"id","error"}). */
async function answer(line: string, pool: ExtractPool): Promise<string> {
  let id: unknown = null;
  try {
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      throw new UserError('invalid JSON');
    }
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new UserError('line is not a JSON object');
    const o = obj as Record<string, unknown>;
    id = o.id ?? null;
    if (typeof o.html !== 'string') throw new UserError('missing "html" string');
    if (o.url !== undefined && typeof o.url !== 'string') throw new UserError('"url" must be a string');
    checkPage(o.html);
    return JSON.stringify({ id, ...publicFields(await pool.run(o.html, o.url as string | undefined)) });
  } catch (e) {
    return JSON.stringify({ id, error: oneLine(e) });
  }
}

async function runJsonl(): Promise<void> {
  const pool = new ExtractPool();
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  // Answers are written in input order: a queue of promises, oldest first.
  const queue: Promise<string>[] = [];
  const flush = async (keep: number): Promise<void> => {
    while (queue.length > keep) {
      const out = await queue.shift()!;
      if (!process.stdout.write(`${out}\n`)) await new Promise((r) => process.stdout.once('drain', r));
    }
  };
  try {
    for await (const line of rl) {
      if (!line.trim()) continue;
      queue.push(answer(line, pool));
      await flush(JSONL_IN_FLIGHT);
    }
    await flush(0);
  } finally {
    await pool.close();
  }
}

export function register(program: Command): void {
  program
    .command('extract')
    .description('Extract the article (title, byline, date, body text) from an HTML page')
    .argument('[file]', 'HTML file ("-" for stdin), or an http(s) URL to fetch')
    .option('--url <url>', 'the page address (for relative links, canonical URL and outlet)')
    .option('--format <fmt>', 'json or text', 'json')
    .option('--jsonl', 'read {"id","html","url"?} lines on stdin, write one result line each')
    .option('--allow-private', 'allow fetching from private, loopback and link-local addresses')
    .action(async (file: string | undefined, opts: { url?: string; format: string; jsonl?: boolean; allowPrivate?: boolean }) => {
      if (opts.jsonl) return runJsonl();
      if (!file) throw new UserError('extract needs an HTML file (or --jsonl)');
      if (opts.format !== 'json' && opts.format !== 'text') throw new UserError(`unknown format "${opts.format}" (json or text)`);
      let html: string;
      let url = opts.url;
      if (/^https?:\/\//i.test(file)) {
        const r = await fetchUrl(file, { accept: 'html', allowPrivate: !!opts.allowPrivate }).catch((e: unknown) => {
          throw new UserError(oneLine(e));
        });
        html = decodeMarkup(r.body, r.contentType);
        url ??= r.url;
      } else html = file === '-' ? decodeMarkup(readFileSync(0)) : readPage(file);
      const res = await extractOne(html, url);
      process.stdout.write(opts.format === 'text' ? `${res.title}\n\n${res.text}\n` : `${JSON.stringify(publicFields(res))}\n`);
    });
}
