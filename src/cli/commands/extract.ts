// `parley extract FILE.html [--url URL] --format json` and `--jsonl` (CONTRACT §3): the article
// body and metadata of an HTML page, one object per page.
import type { Command } from 'commander';
import { readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { UserError, oneLine } from '../errors.js';
import { decodeMarkup, looksBinary } from '../../ingest/decode.js';
import { extractArticle, type Extracted } from '../../ingest/extract.js';
import { MAX_PAGE_BYTES } from '../../ingest/limits.js';

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

function extractOne(html: string, url?: string): Extracted {
  if (!html.trim()) throw new UserError('empty page');
  if (html.length > MAX_PAGE_BYTES) throw new UserError(`page of ${html.length} characters is over the ${MAX_PAGE_BYTES} limit`);
  if (looksBinary(Buffer.from(html.slice(0, 8192), 'latin1'))) throw new UserError('binary content, not HTML');
  try {
    return extractArticle(html, { url });
  } catch (e) {
    throw new UserError(oneLine(e));
  }
}

async function runJsonl(): Promise<void> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    let id: unknown = null;
    let out: Record<string, unknown>;
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
      out = { id, ...publicFields(extractOne(o.html, o.url as string | undefined)) };
    } catch (e) {
      out = { id, error: oneLine(e) };
    }
    if (!process.stdout.write(`${JSON.stringify(out)}\n`)) await new Promise((r) => process.stdout.once('drain', r));
  }
}

export function register(program: Command): void {
  program
    .command('extract')
    .description('Extract the article (title, byline, date, body text) from an HTML page')
    .argument('[file]', 'HTML file ("-" for stdin)')
    .option('--url <url>', 'the page address (for relative links, canonical URL and outlet)')
    .option('--format <fmt>', 'json or text', 'json')
    .option('--jsonl', 'read {"id","html","url"?} lines on stdin, write one result line each')
    .action(async (file: string | undefined, opts: { url?: string; format: string; jsonl?: boolean }) => {
      if (opts.jsonl) return runJsonl();
      if (!file) throw new UserError('extract needs an HTML file (or --jsonl)');
      if (opts.format !== 'json' && opts.format !== 'text') throw new UserError(`unknown format "${opts.format}" (json or text)`);
      const html = file === '-' ? decodeMarkup(readFileSync(0)) : readPage(file);
      const res = extractOne(html, opts.url);
      process.stdout.write(opts.format === 'text' ? `${res.title}\n\n${res.text}\n` : `${JSON.stringify(publicFields(res))}\n`);
    });
}
