// `parley cluster --jsonl`: assign each article on stdin to a story as it arrives (CONTRACT §5).
import type { Command } from 'commander';
import { createInterface } from 'node:readline';
import { UserError } from '../errors.js';
import { dataDir } from '../../analyze/lexicons.js';
import { StoryClusterer } from '../../stories/cluster.js';
import { loadStoryLexicon } from '../../stories/features.js';

/** Longest input line accepted (characters); longer lines get a per-line error. */
const MAX_LINE_CHARS = 20_000_000;

/** Reads one JSON line into a clusterer input, or says what is wrong with it. */
function parseLine(line: string): { id: unknown; input?: { id: string; title?: string; text: string; published?: string }; error?: string } {
  if (line.length > MAX_LINE_CHARS) return { id: null, error: `line longer than ${MAX_LINE_CHARS} characters` };
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch {
    return { id: null, error: 'not valid JSON' };
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return { id: null, error: 'expected a JSON object' };
  const o = obj as Record<string, unknown>;
  const id = o.id;
  if (typeof id !== 'string' && typeof id !== 'number') return { id: id ?? null, error: 'missing "id" (string or number)' };
  if (typeof o.text !== 'string') return { id, error: 'missing "text" (string)' };
  if (o.title !== undefined && o.title !== null && typeof o.title !== 'string') return { id, error: '"title" must be a string' };
  if (o.published !== undefined && o.published !== null) {
    if (typeof o.published !== 'string' || !Number.isFinite(Date.parse(o.published))) {
      return { id, error: '"published" must be an ISO date string' };
    }
  }
  return {
    id,
    input: {
      id: String(id),
      text: o.text,
      ...(typeof o.title === 'string' ? { title: o.title } : {}),
      ...(typeof o.published === 'string' ? { published: o.published } : {}),
    },
  };
}

export function register(program: Command): void {
  program
    .command('cluster')
    .description('group articles into stories, one pass, in arrival order (stdin JSON lines → {"id","story"})')
    .option('--jsonl', 'read {"id","title"?,"text","published"?} lines on stdin, write {"id","story"} lines')
    .option('--explain', 'add the score and the rule that decided to each output line')
    .action(async (opts: { jsonl?: boolean; explain?: boolean }) => {
      if (!opts.jsonl) throw new UserError('cluster reads JSON lines on stdin: use --jsonl');
      const clusterer = new StoryClusterer(loadStoryLexicon(dataDir()));
      const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
      let n = 0;
      for await (const line of rl) {
        n += 1;
        // One output line per input line, as for every --jsonl mode: an empty line gets an error too.
        const parsed = line.trim() === '' ? { id: null, error: 'empty line' } : parseLine(line);
        let out: Record<string, unknown>;
        if (parsed.error || !parsed.input) {
          out = { id: parsed.id, error: `line ${n}: ${parsed.error}` };
        } else {
          try {
            const a = clusterer.assign(parsed.input);
            out = opts.explain
              ? { id: parsed.id, story: a.story, created: a.created, score: Number(a.score.toFixed(4)), rule: a.rule }
              : { id: parsed.id, story: a.story };
          } catch (err) {
            out = { id: parsed.id, error: err instanceof Error ? err.message.split('\n')[0] : String(err) };
          }
        }
        if (!process.stdout.write(`${JSON.stringify(out)}\n`)) {
          await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
        }
      }
    });
}
