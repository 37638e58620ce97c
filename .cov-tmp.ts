import fs from 'node:fs';
import path from 'node:path';
import { segment } from './src/analyze/segment.js';
import { loadActorLexicon } from './src/analyze/actors/lexicon.js';
import { findActors } from './src/analyze/actors/index.js';
const dir = '/work/shared/data/polnear/train';
const lex = loadActorLexicon('/work/main/data');
const files = fs.readdirSync(path.join(dir, 'text')).sort().slice(0, 250);
const anns = fs.readdirSync(path.join(dir, 'attributions')).sort();
const miss = new Map<string, number>(); let n = 0, hit = 0;
const PR = /^(he|she|they|it|him|her|them|his|its|their|we|i|you)$/i;
for (const f of files) {
  const base = f.replace(/\.txt$/, ''); const ann = anns.find((a) => a.startsWith(base + '_')); if (!ann) continue;
  const text = fs.readFileSync(path.join(dir, 'text', f), 'utf8');
  const ms = findActors(segment(text), lex).flatMap((a) => a.mentions);
  for (const line of fs.readFileSync(path.join(dir, 'attributions', ann), 'utf8').split('\n')) {
    const m = /^T\d+\tSource ([\d ;]+)\t(.*)$/.exec(line); if (!m) continue;
    const parts = m[1]!.split(';').map((p) => p.trim().split(' ').map(Number));
    n++;
    if (ms.some((x) => parts.some(([s, e]) => x.start < e! && s! < x.end))) { hit++; continue; }
    const t = m[2]!.trim(); const k = PR.test(t) ? t.toLowerCase() : t.length > 60 ? t.slice(0, 60) : t;
    miss.set(k, (miss.get(k) ?? 0) + 1);
  }
}
console.log(n, hit, (hit / n).toFixed(3));
console.log([...miss].sort((a, b) => b[1] - a[1]).slice(0, 120).map(([k, v]) => `${v} ${k}`).join('\n'));
