import fs from 'node:fs';
import { segment } from './src/analyze/segment.js';
import { loadActorLexicon } from './src/analyze/actors/lexicon.js';
import { findActors } from './src/analyze/actors/index.js';
const lex = loadActorLexicon('/work/main/data');
const dir = '/work/shared/data/polnear/train/text/';
const by = new Map<string, Map<string, number>>();
for (const f of fs.readdirSync(dir).slice(200, 400)) {
  const text = fs.readFileSync(dir + f, 'utf8');
  for (const a of findActors(segment(text), lex)) for (const m of a.mentions) {
    const t = text.slice(m.start, m.end);
    const mm = by.get(m.rule) ?? new Map(); mm.set(`${t} → ${a.kind}:${a.name}`, (mm.get(`${t} → ${a.kind}:${a.name}`) ?? 0) + 1); by.set(m.rule, mm);
  }
}
for (const r of ['name+speech-verb', 'given-name+name', 'descriptor:organization', 'pronoun:relative', 'leader+administration', 'descriptor:definite', 'ner:gmb-perceptron+given-name']) {
  const mm = by.get(r); if (!mm) continue;
  console.log(`== ${r} (${[...mm.values()].reduce((a, b) => a + b, 0)})`);
  console.log([...mm].sort((a, b) => b[1] - a[1]).slice(0, 18).map(([k, v]) => `${v} ${k}`).join('\n'));
}
