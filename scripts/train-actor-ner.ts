// Trains the actor name tagger (averaged perceptron, greedy left-to-right) on the GMB training range
// and writes data/actors/ner-model.json. Rebuild: `npm run train:actors` (needs ../shared/data/gmb).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NER_LABELS, features, hasUpper, legal, spans, type NerModel } from '../src/analyze/actors/ner.js';
import { DEV_RANGE, TRAIN_RANGE, inRange, readGmb, type GmbSentence } from './actor-gmb.js';
import { gazetteerOf, loadActorLexicon } from '../src/analyze/actors/lexicon.js';
import { dataDir } from '../src/analyze/lexicons.js';
import type { Gazetteer } from '../src/analyze/actors/ner.js';

/** Word classes from the lexicon when no tagger is stored yet (the loader attaches them to a model). */
function gazetteerFromLexicon(): Gazetteer {
  const l = loadActorLexicon(dataDir());
  return gazetteerOf(l.phrases, l.titleHeads, l.honorifics, l.givenNames);
}

/** Passes over the training range (chosen on the dev range). */
const EPOCHS = Number(process.env.EPOCHS ?? 6);
/** Averaged weights smaller than this are dropped to keep the stored model small. */
const PRUNE_BELOW = Number(process.env.PRUNE ?? 1);
/** Order of training sentences is shuffled per epoch with this fixed seed (deterministic). */
const SEED = 7;

const here = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.resolve(here, '../data/actors/ner-model.json');

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

class Trainer {
  w = new Map<string, Float64Array>();
  totals = new Map<string, Float64Array>();
  stamps = new Map<string, Float64Array>();
  t = 0;
  readonly n = NER_LABELS.length;

  private get(map: Map<string, Float64Array>, f: string): Float64Array {
    let a = map.get(f);
    if (!a) { a = new Float64Array(this.n); map.set(f, a); }
    return a;
  }

  predict(feats: string[]): number {
    const s = new Float64Array(this.n);
    for (const f of feats) {
      const a = this.w.get(f);
      if (a) for (let k = 0; k < this.n; k++) s[k]! += a[k]!;
    }
    let best = 0;
    for (let k = 1; k < this.n; k++) if (s[k]! > s[best]!) best = k;
    return best;
  }

  update(feats: string[], gold: number, guess: number): void {
    this.t++;
    if (gold === guess) return;
    for (const f of feats) {
      const w = this.get(this.w, f), tot = this.get(this.totals, f), st = this.get(this.stamps, f);
      for (const [k, d] of [[gold, 1], [guess, -1]] as const) {
        tot[k]! += (this.t - st[k]!) * w[k]!;
        st[k] = this.t;
        w[k]! += d;
      }
    }
  }

  averaged(skip: Set<string>): NerModel {
    const weights = new Map<string, number[]>();
    for (const [f, w] of this.w) {
      const tot = this.totals.get(f)!, st = this.stamps.get(f)!;
      const sparse: number[] = [];
      for (let k = 0; k < this.n; k++) {
        const avg = (tot[k]! + (this.t - st[k]!) * w[k]!) / this.t;
        if (Math.abs(avg) >= PRUNE_BELOW) sparse.push(k, Math.round(avg * 1000) / 1000);
      }
      if (sparse.length) weights.set(f, sparse);
    }
    return { labels: [...NER_LABELS], weights, skip };
  }
}

/** A capitalised word seen at least this often after an O … */
const SKIP_MIN_COUNT = 20;
/** … and opening a name at most this share of those times is tagged O without scoring. */
const SKIP_MAX_OPEN_RATE = 0.005;

/** Capitalised words that hardly ever open a name ("The", "But", "He"), from the training range. */
function skipWords(train: GmbSentence[]): string[] {
  const seen = new Map<string, [number, number]>();
  for (const s of train) {
    for (let i = 0; i < s.words.length; i++) {
      const w = s.words[i]!;
      if (!hasUpper(w) || (i > 0 && s.labels[i - 1] !== 'O')) continue;
      const c = seen.get(w.toLowerCase()) ?? [0, 0];
      c[0]++;
      if (s.labels[i] !== 'O') c[1]++;
      seen.set(w.toLowerCase(), c);
    }
  }
  return [...seen].filter(([, [n, b]]) => n >= SKIP_MIN_COUNT && b / n <= SKIP_MAX_OPEN_RATE).map(([w]) => w).sort();
}

function trainSentence(tr: Trainer, s: GmbSentence, skip: Set<string>, gaz: Gazetteer | undefined): void {
  const lower = s.words.map((w) => w.toLowerCase());
  const feats: string[] = [];
  let prev = 'O';
  for (let i = 0; i < s.words.length; i++) {
    if (prev === 'O' && (!hasUpper(s.words[i]!) || skip.has(lower[i]!))) { prev = 'O'; continue; }
    features(s.words, lower, i, prev, feats, gaz);
    const guess = tr.predict(feats);
    const gold = NER_LABELS.indexOf(s.labels[i]!);
    tr.update(feats, gold, guess);
    prev = legal(prev, NER_LABELS[guess]!);
  }
}

/** Entity-level exact-match F1 of a tagger over sentences. */
export function entityF1(sents: GmbSentence[], tagFn: (words: string[]) => string[]): number {
  let tp = 0, np = 0, ng = 0;
  for (const s of sents) {
    const g = new Set(spans(s.labels).map((x) => `${x.start}:${x.end}:${x.type}`));
    const p = spans(tagFn(s.words)).map((x) => `${x.start}:${x.end}:${x.type}`);
    ng += g.size; np += p.length;
    for (const x of p) if (g.has(x)) tp++;
  }
  const P = tp / (np || 1), R = tp / (ng || 1);
  return (2 * P * R) / (P + R || 1);
}

async function main(): Promise<void> {
  const all = readGmb();
  if (!all) { console.error('train-actor-ner: ../shared/data/gmb is absent; nothing to train on'); process.exit(1); }
  const train = all.filter((s) => inRange(s, TRAIN_RANGE));
  const dev = all.filter((s) => inRange(s, DEV_RANGE));
  const { tag } = await import('../src/analyze/actors/ner.js');
  // The lexicon's word classes (given names, titles, lexicon names) are features: load them as use does.
  const gaz = process.env.NO_GAZ ? undefined : loadActorLexicon(dataDir()).ner?.gaz ?? gazetteerFromLexicon();
  const skip = new Set(skipWords(train));
  console.error(`${skip.size} capitalised words never open a name: tagged O without scoring`);
  const tr = new Trainer();
  const r = rng(SEED);
  for (let e = 1; e <= EPOCHS; e++) {
    const order = train.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) { const j = Math.floor(r() * (i + 1)); [order[i], order[j]] = [order[j]!, order[i]!]; }
    for (const i of order) trainSentence(tr, train[i]!, skip, gaz);
    const m = tr.averaged(skip);
    if (gaz) m.gaz = gaz;
    console.error(`epoch ${e}: dev entity F1 ${entityF1(dev, (w) => tag(m, w)).toFixed(4)} (${m.weights.size} features)`);
  }
  const m = tr.averaged(skip);
  const stored = { source: 'GMB 2.2 (Kaggle NER derivative, ODbL), sentences ' + TRAIN_RANGE.join('–'), epochs: EPOCHS, prune: PRUNE_BELOW, labels: m.labels, skip: [...skip], weights: Object.fromEntries(m.weights) };
  fs.writeFileSync(OUT, JSON.stringify(stored));
  console.error(`wrote ${OUT} (${(fs.statSync(OUT).size / 1e6).toFixed(1)} MB, ${m.weights.size} features)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) void main();
