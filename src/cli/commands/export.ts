// `parley export --format jsonl|csv [--what articles|quotes|stories]`: the whole library on stdout,
// streamed page by page (no row caps, flat memory).
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { addDbOption } from '../../pipeline/cli-options.js';

const ARTICLE_COLUMNS = ['id', 'url', 'canonicalUrl', 'title', 'byline', 'published', 'outlet', 'language', 'source', 'duplicateOf', 'storyId', 'analysed', 'text'] as const;
const QUOTE_COLUMNS = ['articleId', 'quoteId', 'kind', 'speakerId', 'speakerName', 'source', 'cue', 'content', 'start', 'end', 'rule'] as const;
const STORY_COLUMNS = ['id', 'title', 'first', 'last', 'articleCount', 'outlets', 'headlines', 'articleIds'] as const;

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
export function csvField(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = Array.isArray(v) ? v.join(' | ') : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvRow(cols: readonly string[], rec: Record<string, unknown>): string {
  return `${cols.map((c) => csvField(rec[c])).join(',')}\r\n`;
}

export function register(program: Command): void {
  const cmd = program
    .command('export')
    .description('export the library (articles, quotes or stories) as JSON lines or CSV on stdout')
    .requiredOption('--format <format>', 'jsonl or csv')
    .option('--what <what>', 'articles, quotes or stories', 'articles')
    .option('--with-analysis', 'articles as JSON lines: include each full analysis');
  addDbOption(cmd);
  cmd.action(async (o: { db?: string; format: string; what: string; withAnalysis?: boolean }) => {
    // Loaded here, not at start-up: `parley` registers every command on each run.
    const { openLibrary, writeOut } = await import('../../pipeline/cli.js');
    if (o.format !== 'jsonl' && o.format !== 'csv') throw new UserError(`--format must be jsonl or csv, got "${o.format}"`);
    if (!['articles', 'quotes', 'stories'].includes(o.what)) throw new UserError(`--what must be articles, quotes or stories, got "${o.what}"`);
    const csv = o.format === 'csv';
    const store = await openLibrary(o.db, { mustExist: true });
    try {
      if (o.what === 'articles') {
        if (csv) await writeOut(csvRow(ARTICLE_COLUMNS, Object.fromEntries(ARTICLE_COLUMNS.map((c) => [c, c]))));
        for await (const s of store.iterArticles()) {
          const rec: Record<string, unknown> = { ...s.article, duplicateOf: s.duplicateOf, storyId: s.storyId, analysed: s.analysed };
          if (csv) await writeOut(csvRow(ARTICLE_COLUMNS, rec));
          else {
            if (o.withAnalysis && s.analysed) rec.analysis = await store.getAnalysis(s.article.id);
            await writeOut(`${JSON.stringify(rec)}\n`);
          }
        }
      } else if (o.what === 'quotes') {
        if (csv) await writeOut(csvRow(QUOTE_COLUMNS, Object.fromEntries(QUOTE_COLUMNS.map((c) => [c, c]))));
        for await (const q of store.iterQuotes()) await writeOut(csv ? csvRow(QUOTE_COLUMNS, { ...q }) : `${JSON.stringify(q)}\n`);
      } else {
        if (csv) await writeOut(csvRow(STORY_COLUMNS, Object.fromEntries(STORY_COLUMNS.map((c) => [c, c]))));
        for await (const s of store.iterStories()) {
          await writeOut(csv ? csvRow(STORY_COLUMNS, { ...s, articleCount: s.articleIds.length }) : `${JSON.stringify(s)}\n`);
        }
      }
    } finally {
      await store.close();
    }
  });
}
