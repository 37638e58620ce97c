// Actor evaluation. (1) The name tagger on the held-out GMB range: entity-level exact-match P/R/F1
// per type. (2) PolNeAR dev: the share of gold attribution sources that an actor mention overlaps
// (the quotes stage can only name a speaker the actors stage found), pronoun sources apart.
// Run: `npm run eval:actors` (add `-- --write` to update its section of docs/BENCHMARKS.md).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NER_TYPES, spans, tag } from '../src/analyze/actors/ner.js';
import { loadLexicons } from '../src/analyze/lexicons.js';
import { segment } from '../src/analyze/segment.js';
import { findActors } from '../src/analyze/actors/index.js';
import { DEV_RANGE, TEST_RANGE, inRange, readGmb, type GmbSentence } from '../scripts/actor-gmb.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const POLNEAR = path.resolve(here, '../../shared/data/polnear');
const PRONOUN = /^(he|she|they|it|him|her|them|his|its|their|we|i|you)$/i;

interface Counts { tp: number; np: number; ng: number }
const prf = (c: Counts): string => {
  const p = c.tp / (c.np || 1), r = c.tp / (c.ng || 1), f = (2 * p * r) / (p + r || 1);
  return `${p.toFixed(3)} | ${r.toFixed(3)} | ${f.toFixed(3)} | ${c.ng}`;
};

function gmbTable(sents: GmbSentence[]): string[] {
  const lex = loadLexicons().actors;
  if (!lex.ner) throw new Error('data/actors/ner-model.json is missing: run `npm run train:actors`');
  const by = new Map<string, Counts>(NER_TYPES.map((t) => [t, { tp: 0, np: 0, ng: 0 }]));
  const all: Counts = { tp: 0, np: 0, ng: 0 };
  for (const s of sents) {
    const gold = spans(s.labels);
    const pred = spans(tag(lex.ner, s.words));
    const g = new Set(gold.map((x) => `${x.start}:${x.end}:${x.type}`));
    for (const x of gold) { by.get(x.type)!.ng++; all.ng++; }
    for (const x of pred) {
      by.get(x.type)!.np++; all.np++;
      if (g.has(`${x.start}:${x.end}:${x.type}`)) { by.get(x.type)!.tp++; all.tp++; }
    }
  }
  return ['| type | P | R | F1 | gold entities |', '|---|---|---|---|---|', ...NER_TYPES.map((t) => `| ${t} | ${prf(by.get(t)!)} |`), `| all (micro) | ${prf(all)} |`];
}

function polnearCoverage(split: string): string[] {
  const dir = path.join(POLNEAR, split);
  const lex = loadLexicons().actors;
  const files = fs.readdirSync(path.join(dir, 'text')).filter((f) => f.endsWith('.txt')).sort();
  const anns = fs.readdirSync(path.join(dir, 'attributions')).sort();
  let n = 0, hit = 0, pn = 0, phit = 0, docs = 0;
  for (const f of files) {
    const base = f.replace(/\.txt$/, '');
    // Several annotators for some articles: the first file name wins (a fixed rule).
    const ann = anns.find((a) => a.startsWith(base + '_'));
    if (!ann) continue;
    const text = fs.readFileSync(path.join(dir, 'text', f), 'utf8');
    const actors = findActors(segment(text), lex);
    const mentions = actors.flatMap((a) => a.mentions);
    docs++;
    for (const line of fs.readFileSync(path.join(dir, 'attributions', ann), 'utf8').split('\n')) {
      const m = /^T\d+\tSource ([\d ;]+)\t(.*)$/.exec(line);
      if (!m) continue;
      const parts = m[1]!.split(';').map((p) => p.trim().split(' ').map(Number) as [number, number]);
      const covered = mentions.some((x) => parts.some(([s, e]) => x.start < e && s < x.end));
      const isPron = PRONOUN.test(m[2]!.trim());
      n++; if (covered) hit++;
      if (isPron) { pn++; if (covered) phit++; }
    }
  }
  const pc = (a: number, b: number): string => (a / (b || 1)).toFixed(3);
  return [
    `| sources | ${docs} articles | covered by an actor mention |`, '|---|---|---|',
    `| all | ${n} | ${pc(hit, n)} |`, `| pronoun sources | ${pn} | ${pc(phit, pn)} |`, `| other sources | ${n - pn} | ${pc(hit - phit, n - pn)} |`,
  ];
}

function main(): void {
  const out: string[] = [];
  const gmb = readGmb();
  if (!gmb) console.error('eval:actors: ../shared/data/gmb is absent; skipping the GMB evaluation');
  else {
    const test = gmb.filter((s) => inRange(s, TEST_RANGE));
    const dev = gmb.filter((s) => inRange(s, DEV_RANGE));
    out.push(`### Name tagger, GMB held-out range (sentences ${TEST_RANGE[0]}–${test[test.length - 1]?.n}, ${test.length} sentences; entity-level exact match)`, '', ...gmbTable(test), '');
    out.push(`### Name tagger, GMB dev range (sentences ${DEV_RANGE.join('–')}, used to choose epochs and pruning)`, '', ...gmbTable(dev), '');
  }
  if (!fs.existsSync(POLNEAR)) console.error('eval:actors: ../shared/data/polnear is absent; skipping source coverage');
  else out.push('### PolNeAR dev: attribution sources that overlap an actor mention', '', ...polnearCoverage('dev'), '');
  const md = out.join('\n');
  console.log(md);
  if (process.argv.includes('--write')) {
    const file = path.resolve(here, '../docs/BENCHMARKS.md');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const prev = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    const head = '<!-- eval:actors -->';
    const block = `${head}\n### Quality — \`npm run eval:actors\` (${new Date().toISOString().slice(0, 10)}, 2-core 24 GB Node 20)\n\n${md}\n<!-- /eval:actors -->`;
    const next = prev.includes(head) ? prev.replace(/<!-- eval:actors -->[\s\S]*<!-- \/eval:actors -->/, block) : `${prev || '# Actors benchmarks\n\n'}${block}\n`;
    fs.writeFileSync(file, next);
    console.error(`wrote ${file}`);
  }
}

main();
