// Where the cross-article commands (actors, positions, timeline, export-events) read their
// {article, analysis} items: the library (openStore, --db) or a JSON-lines file (--input).
import fs from 'node:fs';
import { openStore, resolveDbLocation, isPostgresUrl, StoreError } from '../store/index.js';
import type { Analysis, Article } from '../analyze/types.js';
import type { Item } from '../stories/actors-merge.js';

export interface LoadOptions {
  /** Library location (file path or postgres:// URL); default as the store resolves it (--db, $PARLEY_DB, ./parley.db). */
  db?: string;
  /** A JSON-lines file ('-' for stdin): `{article, analysis}` per line, or an Analysis per line (as `parley analyze --jsonl` writes). */
  input?: string;
}

/** Error a user can act on (the CLI turns it into one line on stderr). */
export class LoadError extends Error {}

function isAnalysis(o: Record<string, unknown>): boolean {
  return typeof o.text === 'string' && Array.isArray(o.actors);
}

/** Items from a JSON-lines text; a bad line stops with its line number. */
export function itemsFromJsonl(text: string, where = 'input'): Item[] {
  const items: Item[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      throw new LoadError(`${where}: line ${i + 1} is not valid JSON`);
    }
    if (!o || typeof o !== 'object' || Array.isArray(o)) throw new LoadError(`${where}: line ${i + 1} is not a JSON object`);
    const r = o as Record<string, unknown>;
    if (r.analysis && typeof r.analysis === 'object' && isAnalysis(r.analysis as Record<string, unknown>)) {
      const analysis = r.analysis as Analysis;
      const article = (r.article as Article | undefined) ?? { id: analysis.id, text: analysis.text, ...(analysis.published ? { published: analysis.published } : {}) };
      items.push({ article, analysis });
    } else if (isAnalysis(r)) {
      const analysis = r as unknown as Analysis;
      const id = typeof r.id === 'string' || typeof r.id === 'number' ? String(r.id) : analysis.id;
      const published = (r.published as string | undefined) ?? analysis.published;
      items.push({ article: { id, text: analysis.text, ...(published ? { published } : {}), ...(typeof r.url === 'string' ? { url: r.url } : {}), ...(typeof r.title === 'string' ? { title: r.title } : {}) }, analysis });
    } else {
      throw new LoadError(`${where}: line ${i + 1} is neither {article, analysis} nor an Analysis (needs "text" and "actors")`);
    }
  });
  return items;
}

/** All non-duplicate articles with their analyses. */
export async function loadItems(opts: LoadOptions): Promise<Item[]> {
  if (opts.input) {
    const file = opts.input;
    if (file !== '-' && !fs.existsSync(file)) throw new LoadError(`no such file: ${file}`);
    const text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
    return itemsFromJsonl(text, file === '-' ? 'stdin' : file);
  }
  const loc = resolveDbLocation(opts.db);
  // Reading must not create an empty library where none was.
  if (!isPostgresUrl(loc) && !fs.existsSync(loc.replace(/^sqlite:/, ''))) throw new LoadError(`no library at ${loc} (ingest articles first, or give --db FILE or --input FILE.jsonl)`);
  let store;
  try {
    store = await openStore(loc);
  } catch (e) {
    if (e instanceof StoreError) throw new LoadError(e.message);
    throw e;
  }
  try {
    const items: Item[] = [];
    for await (const it of store.iterAnalyses()) items.push(it);
    return items;
  } finally {
    await store.close();
  }
}
