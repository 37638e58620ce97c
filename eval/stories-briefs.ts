// Briefs on the demo corpus with the real analysis: clusters data/demo/articles.jsonl, analyses each
// article, builds every story's brief, prints them as Markdown and checks that each sentence is a
// verbatim slice of its linked article and that sections number 3–5.
// Usage: tsx eval/stories-briefs.ts [--quiet]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../src/analyze/index.js';
import type { Analysis, Article } from '../src/analyze/types.js';
import { StoryClusterer } from '../src/stories/cluster.js';
import { loadStoryLexicon } from '../src/stories/features.js';
import { buildBrief, renderBrief, MAX_SECTIONS, MIN_SECTIONS } from '../src/stories/brief.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Stories with fewer articles get no brief here (a lone article is its own brief). */
const MIN_ARTICLES = 2;

function main(): void {
  const quiet = process.argv.includes('--quiet');
  const rows = readFileSync(path.join(root, 'data/demo/articles.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Article & { published: string; title: string });
  const clusterer = new StoryClusterer(loadStoryLexicon(path.join(root, 'data')));
  const stories = new Map<string, Array<{ article: Article; analysis: Analysis }>>();
  for (const article of rows) {
    const story = clusterer.add({ id: article.id, title: article.title, text: article.text, published: article.published });
    const analysis = analyze(`${article.title}\n\n${article.text}`, { published: article.published.slice(0, 10) });
    if (!stories.has(story)) stories.set(story, []);
    stories.get(story)!.push({ article, analysis });
  }
  let briefs = 0;
  let sentences = 0;
  let bad = 0;
  let sectionsOutOfRange = 0;
  let quotes = 0;
  for (const [id, items] of stories) {
    if (items.length < MIN_ARTICLES) continue;
    const brief = buildBrief(items);
    briefs += 1;
    const byId = new Map(items.map((i) => [i.article.id, i.analysis.text]));
    for (const s of [...(brief.lead ? [brief.lead] : []), ...brief.sections.flatMap((x) => x.sentences), ...brief.quotes]) {
      sentences += 1;
      if (byId.get(s.articleId)?.slice(s.span.start, s.span.end) !== s.text) bad += 1;
    }
    quotes += brief.quotes.length;
    if (brief.sections.length < MIN_SECTIONS || brief.sections.length > MAX_SECTIONS) sectionsOutOfRange += 1;
    if (!quiet) console.log(`<!-- story ${id}: ${items.length} articles -->\n${renderBrief(brief)}`);
  }
  console.log(
    `demo corpus: ${rows.length} articles, ${stories.size} stories, ${briefs} briefs (stories of ≥${MIN_ARTICLES} articles); ` +
      `${sentences} linked sentences, ${bad} not verbatim; ${quotes} key quotes; ` +
      `${sectionsOutOfRange} briefs outside ${MIN_SECTIONS}–${MAX_SECTIONS} sections`,
  );
  if (bad > 0) process.exitCode = 1;
}

main();
