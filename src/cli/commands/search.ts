// `parley search QUERY [--db FILE] [--limit N] [--json]`: full-text search over articles and quotes.
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { addDbOption } from '../../pipeline/cli-options.js';
import { DEFAULT_SEARCH_LIMIT } from '../../store/common.js';

export function register(program: Command): void {
  const cmd = program
    .command('search')
    .description('full-text search over the articles and quotes in the library (all words must match; "quoted phrases" too)')
    .argument('<query...>', 'words and "phrases"')
    .option('--limit <n>', 'at most this many hits', String(DEFAULT_SEARCH_LIMIT))
    .option('--json', 'one JSON hit per line');
  addDbOption(cmd);
  cmd.action(async (words: string[], o: { db?: string; limit: string; json?: boolean }) => {
    // Loaded here, not at start-up: `parley` registers every command on each run.
    const { openLibrary, writeOut } = await import('../../pipeline/cli.js');
    const limit = Number(o.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new UserError(`--limit must be a positive whole number, got "${o.limit}"`);
    const store = await openLibrary(o.db, { mustExist: true });
    try {
      const hits = await store.search(words.join(' '), limit);
      for (const h of hits) {
        if (o.json) {
          await writeOut(`${JSON.stringify(h)}\n`);
          continue;
        }
        const s = await store.getArticle(h.articleId);
        const title = s?.article.title ?? h.articleId;
        const snippet = h.snippet.replace(/\s+/g, ' ').trim();
        await writeOut(h.kind === 'quote' ? `[quote]   ${h.articleId} ${h.quoteId}  ${snippet}  — in "${title}"\n` : `[article] ${h.articleId}  ${title}\n          ${snippet}\n`);
      }
      if (!hits.length) process.stderr.write('parley: no matches\n');
    } finally {
      await store.close();
    }
  });
}
