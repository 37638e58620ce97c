// Trains the PLOVER coder's multinomial logistic regression (data/events/model.json) on the train
// part of PLV_train.tsv plus the train part of the GSR records plus one synthetic example per
// verb pattern. The held-back parts (eval/events-data.ts isHeldBack) are never read here.
// Usage: tsx scripts/train-events.ts [--cv [--errors]] [--l2 X] [--epochs N]  (--cv: 5-fold CV on the train part, no model written)
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { dataDir } from '../src/analyze/lexicons.js';
import { loadEventLexicon, type EventLexicon, type EventModel } from '../src/analyze/events/lexicon.js';
import { pairFeatures, resolvePair, tokenize } from '../src/analyze/events/coder.js';
import { gsrModelLabel, gsrPair, isHeldBack, ploverDataPresent, readGsr, readPlv, PLOVER_DIR } from '../eval/events-data.js';
import { createHash } from 'node:crypto';

/** Default L2 penalty and epochs, chosen by 5-fold CV on the train part only (--cv). */
export const DEFAULT_L2 = 2e-3;
export const DEFAULT_EPOCHS = 40;
/** AdaGrad base learning rate. */
const LEARNING_RATE = 0.5;
/** Features seen fewer times than this in training are dropped from the model. */
const MIN_FEATURE_COUNT = 2;
/** Weight given to a synthetic pattern example relative to a real sentence. */
const SYNTHETIC_WEIGHT = 0.3;

interface Example {
  features: string[];
  label: string;
  weight: number;
  key: string;
}

function featurize(lex: EventLexicon, sentence: string, source: string, target: string): string[] | null {
  const toks = tokenize(sentence);
  try {
    const { src, tgt, features } = resolvePair(sentence, source, target, toks, lex);
    return [...pairFeatures(toks, src, tgt, lex).features, ...features];
  } catch {
    return null;
  }
}

/** Sentence text per example key, for --errors listings. */
const sentences = new Map<string, string>();

function buildExamples(lex: EventLexicon): { train: Example[]; plvTrain: Example[] } {
  const train: Example[] = [];
  const plvTrain: Example[] = [];
  for (const r of readPlv()) {
    if (isHeldBack(r.sentenceId)) continue;
    const f = featurize(lex, r.sentence, r.source, r.target);
    if (!f) continue;
    const ex = { features: f, label: r.gold, weight: 1, key: `plv:${r.sentenceId}` };
    sentences.set(ex.key, `[${r.source}] [${r.target}] ${r.sentence.slice(0, 150)}`);
    train.push(ex);
    plvTrain.push(ex);
  }
  for (const g of readGsr()) {
    if (isHeldBack(g.id)) continue;
    const p = gsrPair(g);
    if (!p) continue;
    const f = featurize(lex, p.sentence, p.source, p.target);
    if (f) train.push({ features: f, label: gsrModelLabel(g.event), weight: 1, key: `gsr:${g.id}` });
  }
  // One short synthetic sentence per single-verb pattern teaches the lexicon's own mapping.
  for (const p of lex.patterns) {
    const label = p.type === 'CONCEDE' || p.type === 'RETREAT' ? 'YIELD' : p.type;
    const f = featurize(lex, `The government ${p.words.join(' ')} the rebels.`, 'The government', 'the rebels');
    if (f) train.push({ features: f, label, weight: SYNTHETIC_WEIGHT, key: `pat:${p.type}:${p.words.join(' ')}` });
  }
  return { train, plvTrain };
}

function train(examples: Example[], labels: string[], l2: number, epochs: number): EventModel {
  const K = labels.length;
  const counts = new Map<string, number>();
  for (const e of examples) for (const f of e.features) counts.set(f, (counts.get(f) ?? 0) + 1);
  const weights = new Map<string, Float64Array>();
  const g2 = new Map<string, Float64Array>();
  for (const [f, c] of counts) if (c >= MIN_FEATURE_COUNT) {
    weights.set(f, new Float64Array(K));
    g2.set(f, new Float64Array(K).fill(1e-8));
  }
  const bias = new Float64Array(K);
  const bg2 = new Float64Array(K).fill(1e-8);
  const idx = new Map(labels.map((l, i) => [l, i]));
  // Deterministic shuffle order per epoch: sort by a hash of key+epoch.
  for (let ep = 0; ep < epochs; ep++) {
    const order = examples.map((e, i) => ({ i, h: createHash('md5').update(`${ep}:${e.key}`).digest('hex') })).sort((a, b) => (a.h < b.h ? -1 : 1));
    for (const { i } of order) {
      const e = examples[i]!;
      const y = idx.get(e.label);
      if (y === undefined) continue;
      const fs = e.features.filter((f) => weights.has(f));
      const z = Array.from(bias);
      for (const f of fs) { const w = weights.get(f)!; for (let k = 0; k < K; k++) z[k]! += w[k]!; }
      const max = Math.max(...z);
      let sum = 0;
      for (let k = 0; k < K; k++) { z[k] = Math.exp(z[k]! - max); sum += z[k]!; }
      for (let k = 0; k < K; k++) {
        const grad = e.weight * (z[k]! / sum - (k === y ? 1 : 0));
        bg2[k]! += grad * grad;
        bias[k]! -= (LEARNING_RATE * grad) / Math.sqrt(bg2[k]!);
        for (const f of fs) {
          const w = weights.get(f)!;
          const g = grad + l2 * w[k]!;
          const gg = g2.get(f)!;
          gg[k]! += g * g;
          w[k]! -= (LEARNING_RATE * g) / Math.sqrt(gg[k]!);
        }
      }
    }
  }
  const round = (v: number): number => Math.round(v * 1e4) / 1e4;
  const out: Record<string, number[]> = {};
  for (const f of [...weights.keys()].sort()) {
    const w = Array.from(weights.get(f)!, round);
    if (w.some((v) => v !== 0)) out[f] = w;
  }
  return { labels, bias: Array.from(bias, round), weights: out, name: 'plover-logreg-v1' };
}

function predict(model: EventModel, e: Example): string {
  const z = model.bias.slice();
  for (const f of e.features) { const w = model.weights[f]; if (w) for (let k = 0; k < z.length; k++) z[k]! += w[k]!; }
  let best = 0;
  for (let k = 1; k < z.length; k++) if (z[k]! > z[best]!) best = k;
  return model.labels[best]!;
}

function accuracy(model: EventModel, examples: Example[]): number {
  return examples.filter((e) => predict(model, e) === e.label).length / examples.length;
}

/** Macro-F1 over the gold labels of (gold, predicted) pairs. */
function macroF1(pairs: Array<[string, string]>): number {
  const labels = [...new Set(pairs.map(([g]) => g))];
  const f1 = labels.map((l) => {
    const tp = pairs.filter(([g, p]) => g === l && p === l).length;
    const fp = pairs.filter(([g, p]) => g !== l && p === l).length;
    const fn = pairs.filter(([g, p]) => g === l && p !== l).length;
    return tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
  });
  return f1.reduce((a, b) => a + b, 0) / f1.length;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function main(): void {
  if (!ploverDataPresent()) {
    process.stderr.write(`train-events: ${PLOVER_DIR}/PLV_train.tsv not found; nothing to train on\n`);
    process.exit(2);
  }
  const dir = dataDir();
  const lex = { ...loadEventLexicon(dir), model: null };
  const { train: examples, plvTrain } = buildExamples(lex);
  const labels = [...new Set(plvTrain.map((e) => e.label))].sort();
  const l2 = Number(arg('--l2') ?? DEFAULT_L2);
  const epochs = Number(arg('--epochs') ?? DEFAULT_EPOCHS);
  process.stderr.write(`train-events: ${examples.length} examples (${plvTrain.length} PLV), ${labels.length} labels, l2=${l2}, epochs=${epochs}\n`);
  if (process.argv.includes('--cv')) {
    // 5-fold CV inside the train part: folds by hash of the example key; scored on PLV rows only.
    const FOLDS = 5;
    const fold = (k: string): number => parseInt(createHash('sha256').update(`cv:${k}`).digest('hex').slice(0, 8), 16) % FOLDS;
    let sum = 0;
    const pooled: Array<[string, string]> = [];
    for (let f = 0; f < FOLDS; f++) {
      const tr = examples.filter((e) => !e.key.startsWith('plv:') || fold(e.key) !== f);
      const te = plvTrain.filter((e) => fold(e.key) === f);
      const m = train(tr, labels, l2, epochs);
      sum += accuracy(m, te);
      for (const e of te) pooled.push([e.label, predict(m, e)]);
      if (process.argv.includes('--errors')) for (const e of te) {
        const z = m.bias.slice();
        for (const f of e.features) { const w = m.weights[f]; if (w) for (let k = 0; k < z.length; k++) z[k]! += w[k]!; }
        const best = z.indexOf(Math.max(...z));
        if (m.labels[best] !== e.label) process.stdout.write(`${e.label} <- ${m.labels[best]} | ${sentences.get(e.key)}\n`);
      }
    }
    process.stdout.write(`cv root accuracy (train part, ${FOLDS} folds): ${(sum / FOLDS).toFixed(4)}  macro-F1 ${macroF1(pooled).toFixed(4)}\n`);
    return;
  }
  const model = train(examples, labels, l2, epochs);
  const file = path.join(dir, 'events', 'model.json');
  writeFileSync(file, JSON.stringify(model) + '\n');
  process.stderr.write(`train-events: wrote ${file} (${Object.keys(model.weights).length} features); train-part accuracy ${accuracy(model, plvTrain).toFixed(4)}\n`);
}

main();
