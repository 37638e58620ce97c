// Speed of the actors stage alone: findActors over real articles (PolNeAR train texts, cycled),
// beside segment() (wink-nlp tokens, sentences, POS) on the same texts. Run: `npm run bench:actors`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { segment } from '../src/analyze/segment.js';
import { findActors } from '../src/analyze/actors/index.js';
import { loadActorLexicon } from '../src/analyze/actors/lexicon.js';
import { dataDir } from '../src/analyze/lexicons.js';

/** Articles timed (after one untimed warm-up pass over the same texts). */
const ARTICLES = Number(process.env.ARTICLES ?? 400);

const here = path.dirname(fileURLToPath(import.meta.url));
// Runs from scripts/ (tsx) or dist/scripts/ (compiled).
const root = here.includes(`${path.sep}dist${path.sep}`) ? path.resolve(here, '../..') : path.resolve(here, '..');
const dir = path.resolve(root, '../shared/data/polnear/train/text');
if (!fs.existsSync(dir)) {
  console.error(`bench:actors: ${dir} is absent; nothing to time`);
  process.exit(1);
}
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();
const texts = Array.from({ length: ARTICLES }, (_, i) => fs.readFileSync(path.join(dir, files[i % files.length]!), 'utf8'));

let t = performance.now();
const lex = loadActorLexicon(dataDir());
const loadMs = performance.now() - t;

t = performance.now();
const segCpu0 = process.cpuUsage();
const docs = texts.map((x) => segment(x));
const segMs = performance.now() - t;
const segCpu = process.cpuUsage(segCpu0);
const segCpuMs = (segCpu.user + segCpu.system) / 1000;
const tokens = docs.reduce((n, d) => n + d.tokens.filter((k) => k.pos !== 'SPACE').length, 0);

for (const d of docs) findActors(d, lex); // warm-up
t = performance.now();
const cpu0 = process.cpuUsage();
let actors = 0, mentions = 0;
for (const d of docs) for (const a of findActors(d, lex)) { actors++; mentions += a.mentions.length; }
const actMs = performance.now() - t;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;

const rows = [
  `articles: ${ARTICLES} (PolNeAR train texts), ${tokens} tokens (${Math.round(tokens / ARTICLES)} per article)`,
  `lexicon load: ${loadMs.toFixed(0)} ms`,
  `segment (wink-nlp): ${(segMs / ARTICLES).toFixed(2)} ms/article wall, ${(segCpuMs / ARTICLES).toFixed(2)} ms/article CPU`,
  `findActors: ${(actMs / ARTICLES).toFixed(2)} ms/article, ${(ARTICLES / (actMs / 1000)).toFixed(0)} articles/s, ${((tokens / actMs) * 1000).toFixed(0)} tokens/s on one core`,
  `findActors CPU time: ${(cpuMs / ARTICLES).toFixed(2)} ms/article = ${((cpuMs / segCpuMs) * 100).toFixed(0)}% of segment's (wall time is inflated when other processes share the cores)`,
  `found: ${(actors / ARTICLES).toFixed(1)} actors, ${(mentions / ARTICLES).toFixed(1)} mentions per article`,
  `heap used: ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`,
];
console.log(rows.join('\n'));
