// `parley stories [--db FILE] [--json]`: the stories in the library, most recent first.
import type { Command } from 'commander';
import { addDbOption } from '../../pipeline/cli-options.js';

export function register(program: Command): void {
  const cmd = program
    .command('stories')
    .description('list the stories in the library, most recent first')
    .option('--json', 'one JSON story record per line')
    .option('--limit <n>', 'show at most this many');
  addDbOption(cmd);
  cmd.action(async (o: { db?: string; json?: boolean; limit?: string }) => {
    // Loaded here, not at start-up: `parley` registers every command on each run.
    const { openLibrary, writeOut } = await import('../../pipeline/cli.js');
    const store = await openLibrary(o.db, { mustExist: true });
    try {
      let stories = await store.listStories();
      if (o.limit !== undefined) stories = stories.slice(0, Math.max(0, Number(o.limit) || 0));
      for (const s of stories) {
        if (o.json) await writeOut(`${JSON.stringify(s)}\n`);
        else {
          const [a, b] = [s.first?.slice(0, 10), s.last?.slice(0, 10)];
          const span = a ? (a === b ? a : `${a}…${b}`) : '';
          const n = s.articleIds.length;
          await writeOut(`${s.id}  ${span.padEnd(21)}  ${String(n).padStart(3)} article${n === 1 ? ' ' : 's'}  ${s.title}${s.outlets.length ? `  [${s.outlets.join(', ')}]` : ''}\n`);
        }
      }
      if (!o.json && stories.length === 0) process.stderr.write('parley: no stories yet (run `parley ingest …` first)\n');
    } finally {
      await store.close();
    }
  });
}
