// `parley story ID [--db FILE] [--json]`: one story: its headlines, outlets, articles, and its
// source-linked brief (src/stories/brief.ts) built from the stored analyses.
import type { Command } from 'commander';
import type { Brief } from '../../stories/brief.js';
import { UserError } from '../errors.js';
import { addDbOption } from '../../pipeline/cli-options.js';
import type { Analysis, Article } from '../../analyze/types.js';

export function register(program: Command): void {
  const cmd = program.command('story').description('show one story: headlines, outlets, articles and its brief').argument('<id>', 'story id (see `parley stories`)').option('--json', 'print JSON');
  addDbOption(cmd);
  cmd.action(async (id: string, o: { db?: string; json?: boolean }) => {
    // Loaded here, not at start-up: `parley` registers every command on each run.
    const { openLibrary, writeOut } = await import('../../pipeline/cli.js');
    const store = await openLibrary(o.db, { mustExist: true });
    try {
      const story = await store.getStory(id);
      if (!story) throw new UserError(`no story "${id}" in ${store.description} (see \`parley stories\`)`);
      const articles = [];
      const analysed: Array<{ article: Article; analysis: Analysis }> = [];
      for (const aid of story.articleIds) {
        const s = await store.getArticle(aid);
        if (!s) continue;
        articles.push({ id: aid, title: s.article.title, outlet: s.article.outlet, published: s.article.published, url: s.article.url, duplicateOf: s.duplicateOf });
        // Duplicates say nothing their original does not; the brief is built from originals.
        const analysis = s.duplicateOf ? null : await store.getAnalysis(aid);
        if (analysis) analysed.push({ article: s.article, analysis });
      }
      let brief: Brief | undefined;
      let renderBrief: ((b: Brief) => string) | undefined;
      if (analysed.length) {
        try {
          const mod = await import('../../stories/brief.js');
          brief = mod.buildBrief(analysed);
          renderBrief = mod.renderBrief;
        } catch (e) {
          // The story is still worth showing without its brief.
          process.stderr.write(`parley: no brief for this story: ${(e as Error).message.split('\n')[0]}\n`);
        }
      }
      if (o.json) {
        await writeOut(`${JSON.stringify({ ...story, articles, ...(brief !== undefined ? { brief } : {}) })}\n`);
        return;
      }
      const lines = [`# ${story.title}`, ''];
      if (story.headlines.length > 1) lines.push('Also headlined:', ...story.headlines.filter((h) => h !== story.title).map((h) => `- ${h}`), '');
      const [from, to] = [story.first?.slice(0, 10), story.last?.slice(0, 10)];
      if (from) lines.push(`When: ${from === to ? from : `${from} to ${to}`}`);
      if (story.outlets.length) lines.push(`Outlets: ${story.outlets.join(', ')}`);
      lines.push('', `Articles (${articles.length}):`);
      for (const a of articles) lines.push(`- ${a.id}  ${a.published ?? ''}  ${a.outlet ?? ''}  ${a.title ?? ''}${a.duplicateOf ? `  (copy of ${a.duplicateOf})` : ''}`);
      if (brief !== undefined) {
        lines.push('', '## Brief', '', renderBrief!(brief));
      }
      await writeOut(`${lines.join('\n')}\n`);
    } finally {
      await store.close();
    }
  });
}
