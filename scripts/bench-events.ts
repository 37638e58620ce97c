// `npm run bench:events`: throughput of `./bin/parley code-events --jsonl` on a batch of lines
// (PLV_train sentences repeated; synthetic sentences when the shared data is absent), and of
// findEvents on the reference article. Build first: npx tsc -p .
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ploverDataPresent, readPlv } from '../eval/events-data.js';
import { dataDir } from '../src/analyze/lexicons.js';
import { loadEventLexicon } from '../src/analyze/events/lexicon.js';
import { loadActorLexicon } from '../src/analyze/actors/lexicon.js';
import { findActors } from '../src/analyze/actors/index.js';
import { findEvents } from '../src/analyze/events/index.js';
import { findDates } from '../src/analyze/dates.js';
import { segment } from '../src/analyze/segment.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Lines in the batch. */
const BATCH = 5000;
/** Every this-many-th ECB+ article is analysed. */
const ECB_STRIDE = 7;
/** Runs of findEvents on the reference article. */
const ARTICLE_RUNS = 50;

function lines(): string[] {
  const rows = ploverDataPresent()
    ? readPlv().map((r) => ({ sentence: r.sentence, source: r.source, target: r.target }))
    : [{ sentence: 'Russian forces shelled the city of Kharkiv overnight, officials said.', source: 'Russian forces', target: 'Kharkiv' }];
  const out: string[] = [];
  for (let i = 0; i < BATCH; i++) out.push(JSON.stringify({ id: String(i), ...rows[i % rows.length]! }));
  return out;
}

function main(): void {
  if (!existsSync(path.join(root, 'dist', 'src', 'cli', 'commands', 'code-events.js'))) {
    process.stderr.write('bench:events: build first (npx tsc -p .)\n');
    process.exit(2);
  }
  const input = lines().join('\n') + '\n';
  const t0 = process.hrtime.bigint();
  const res = spawnSync(path.join(root, 'bin', 'parley'), ['code-events', '--jsonl'], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (res.status !== 0) throw new Error(`code-events failed: ${res.stderr}`);
  const n = res.stdout.trim().split('\n').length;
  const t1 = process.hrtime.bigint();
  spawnSync(path.join(root, 'bin', 'parley'), ['code-events', '--jsonl'], { input: '', encoding: 'utf8' });
  const startup = Number(process.hrtime.bigint() - t1) / 1e9;
  process.stdout.write(`code-events --jsonl: ${n} lines in ${secs.toFixed(2)} s = ${(n / secs).toFixed(0)} lines/s (process start-up alone ${startup.toFixed(2)} s)\n`);
  const seed = path.resolve(root, '../shared/seeds/000_a309f49bf0c5d612.txt');
  if (existsSync(seed)) {
    const text = readFileSync(seed, 'utf8');
    const doc = segment(text);
    const actors = findActors(doc, loadActorLexicon(dataDir()));
    const dates = findDates(doc, '2025-11-25');
    const lex = loadEventLexicon(dataDir());
    findEvents(doc, actors, [], dates, lex); // warm-up: loads the gazetteer
    const t2 = process.hrtime.bigint();
    for (let i = 0; i < ARTICLE_RUNS; i++) findEvents(doc, actors, [], dates, lex);
    const ms = Number(process.hrtime.bigint() - t2) / 1e6 / ARTICLE_RUNS;
    process.stdout.write(`findEvents on the reference article (${text.length} chars): ${ms.toFixed(1)} ms per article\n`);
  }
  // A spread of real news (ECB+): every ECB_STRIDE-th article, actors from the actors stage.
  const ecb = path.resolve(root, '../shared/data/stories/ecbplus.jsonl');
  if (existsSync(ecb)) {
    const lex = loadEventLexicon(dataDir());
    const al = loadActorLexicon(dataDir());
    const arts = readFileSync(ecb, 'utf8').trim().split('\n').filter((_, i) => i % ECB_STRIDE === 0).map((l) => (JSON.parse(l) as { text: string }).text);
    let ms = 0;
    let events = 0;
    for (const text of arts) {
      const doc = segment(text);
      const actors = findActors(doc, al);
      const dates = findDates(doc, '2010-01-01');
      const t = process.hrtime.bigint();
      events += findEvents(doc, actors, [], dates, lex).length;
      ms += Number(process.hrtime.bigint() - t) / 1e6;
    }
    process.stdout.write(`findEvents on ${arts.length} ECB+ articles: ${(ms / arts.length).toFixed(1)} ms per article, ${events} events\n`);
  }
}

main();
