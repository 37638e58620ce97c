import fs from 'node:fs';
import { segment } from './src/analyze/segment.ts';
import { findActors } from './src/analyze/actors/index.ts';
import { loadLexicons } from './src/analyze/lexicons.ts';
const dir = '/work/shared/data/polnear/train/text/';
const files = fs.readdirSync(dir).slice(0, 300);
const texts = files.map((f) => fs.readFileSync(dir + f, 'utf8'));
let t0 = performance.now();
const lex = loadLexicons().actors;
console.log('lexicon load ms', (performance.now() - t0).toFixed(0));
const docs = texts.map((t) => segment(t));
let toks = 0; for (const d of docs) toks += d.tokens.length;
for (let rep = 0; rep < 2; rep++) {
  t0 = performance.now();
  let n = 0;
  for (const d of docs) n += findActors(d, lex).length;
  const ms = performance.now() - t0;
  console.log(`rep ${rep}: ${docs.length} docs, ${toks} tokens, ${ms.toFixed(0)} ms, ${(ms / docs.length).toFixed(2)} ms/doc, ${(ms*900/toks).toFixed(2)} ms/900tok, actors ${n}`);
}
