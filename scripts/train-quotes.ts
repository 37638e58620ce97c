// Trains the attribution tagger (averaged structured perceptron) on PolNeAR train and writes
// data/quotes/model.json. Usage: npm run train:quotes [-- --epochs N --bits B --bits2 B2 --out FILE]
import fs from 'node:fs';
import path from 'node:path';
import { segment, type Doc } from '../src/analyze/segment.js';
import { featurize, paragraphSeqs, stackFeatures, type BaseSeq, type FeatureLexicon } from '../src/analyze/quotes/features.js';
import { emissions, viterbi, L, O, B_SRC, B_CUE, B_CON, type TaggerModel } from '../src/analyze/quotes/tagger.js';
import { encodeCueRates, encodeLayer, type ModelFile } from '../src/analyze/quotes/lexicon.js';
import { loadSplit, polnearAvailable, type GoldArticle } from '../eval/quotes-polnear.js';
import { dataDir } from '../src/analyze/lexicons.js';

/** Lemmas seen fewer times than this get no cue rate (too noisy). */
const MIN_LEMMA_COUNT = 5;
/** Weights smaller than this share of the largest are pruned to zero before saving. */
const PRUNE_RATIO = 0.002;

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}
const EPOCHS = arg('epochs', 9);
const BITS = arg('bits', 18);
/** Buckets (log2) of the stacked second pass; defaults to --bits. */
const BITS2 = arg('bits2', BITS);
/** Folds for the cross-validated first pass that the stacked pass trains on (1 = no stacking). */
const FOLDS = arg('folds', 4);
const VERBOSE = process.argv.includes('--verbose');

interface Example {
  seq: ReturnType<typeof featurize>;
  gold: Uint8Array;
  /** Index of the article in its split (for folds and for finding its Doc). */
  article: number;
}

/** Char-level labels (type 1 src, 2 cue, 3 content) and piece ids, then token labels in BIO. */
function goldLabels(doc: Doc, art: GoldArticle, seq: BaseSeq): Uint8Array {
  const n = doc.text.length;
  const type = new Uint8Array(n);
  const piece = new Int32Array(n).fill(-1);
  let pid = 0;
  for (const a of art.attributions) {
    for (const [t, spans] of [[1, a.source], [2, a.cue], [3, a.content]] as const) {
      for (const s of spans) {
        for (let c = Math.max(0, s.start); c < Math.min(n, s.end); c++) {
          type[c] = t;
          piece[c] = pid;
        }
        pid++;
      }
    }
  }
  const out = new Uint8Array(seq.toks.length);
  let prevPiece = -1;
  for (let i = 0; i < seq.toks.length; i++) {
    const tok = doc.tokens[seq.toks[i]!]!;
    let c = -1;
    for (let x = tok.start; x < tok.end; x++) if (type[x]) { c = x; break; }
    if (c < 0) { out[i] = O; prevPiece = -1; continue; }
    const base = type[c] === 1 ? B_SRC : type[c] === 2 ? B_CUE : B_CON;
    out[i] = piece[c] === prevPiece ? base + 1 : base;
    prevPiece = piece[c]!;
  }
  return out;
}

function cueRates(docs: Array<{ doc: Doc; art: GoldArticle }>): Map<string, number> {
  const total = new Map<string, number>();
  const cue = new Map<string, number>();
  for (const { doc, art } of docs) {
    const inCue = new Uint8Array(doc.text.length);
    for (const a of art.attributions) for (const s of a.cue) for (let c = s.start; c < s.end; c++) inCue[c] = 1;
    for (const t of doc.tokens) {
      if (t.pos === 'SPACE' || t.pos === 'PUNCT') continue;
      total.set(t.lemma, (total.get(t.lemma) ?? 0) + 1);
      if (inCue[t.start]) cue.set(t.lemma, (cue.get(t.lemma) ?? 0) + 1);
    }
  }
  const out = new Map<string, number>();
  for (const [k, n] of total) {
    const c = cue.get(k) ?? 0;
    if (n >= MIN_LEMMA_COUNT && c > 0) out.set(k, c / n);
  }
  return out;
}

function examples(arts: GoldArticle[], lex: FeatureLexicon, docs: Doc[]): Example[] {
  const out: Example[] = [];
  arts.forEach((art, k) => {
    const doc = docs[k]!;
    // Training keeps the segmenter's sentences (no fragment merging): the committed model was
    // trained so, and a model trained on merged sentences scored no better on dev (source 0.698).
    for (const base of paragraphSeqs(doc, false)) {
      if (!base.toks.length) continue;
      out.push({ seq: featurize(doc, lex, base), gold: goldLabels(doc, art, base), article: k });
    }
  });
  return out;
}

/** Span-level F1 of decoded tags against gold tags (exact token spans), per type. */
function spanF1(model: TaggerModel, ex: Example[]): Record<string, number> {
  const res: Record<string, number> = {};
  const preds = ex.map((e) => viterbi(model, emissions(model, e.seq), e.seq.toks.length));
  for (const [name, B] of [['src', B_SRC], ['cue', B_CUE], ['con', B_CON]] as const) {
    let tp = 0, np = 0, ng = 0;
    ex.forEach((e, k) => {
      const spans = (tags: Uint8Array): Set<string> => {
        const s = new Set<string>();
        for (let i = 0; i < tags.length; i++) {
          if (tags[i] !== B) continue;
          let j = i + 1;
          while (j < tags.length && tags[j] === B + 1) j++;
          s.add(`${i}:${j}`);
        }
        return s;
      };
      const g = spans(e.gold);
      const p = spans(preds[k]!);
      ng += g.size; np += p.size;
      for (const x of p) if (g.has(x)) tp++;
    });
    const P = np ? tp / np : 0, R = ng ? tp / ng : 0;
    res[name] = P + R ? Math.round((2 * P * R / (P + R)) * 1000) / 1000 : 0;
  }
  return res;
}

/** Deterministic shuffle (xorshift), so training is reproducible. */
function shuffle<T>(a: T[], seed: number): T[] {
  let s = seed >>> 0 || 1;
  for (let i = a.length - 1; i > 0; i--) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** Averaged structured perceptron (Collins 2002) with the lazy-averaging trick. */
function trainPerceptron(trEx: Example[], dvEx: Example[], label: string, t0: number, bits: number): TaggerModel {
  const size = (1 << bits) * L;
  const mask = (1 << bits) - 1;
  const W = new Float32Array(size);
  const U = new Float64Array(size); // sum of c * update, for averaging
  const T = new Float32Array(L * L), TU = new Float64Array(L * L);
  const S = new Float32Array(L), SU = new Float64Array(L);
  const model: TaggerModel = { bits, weights: W, trans: T, start: S };
  let c = 1;
  const avg = (): TaggerModel => {
    const a = (w: Float32Array, u: Float64Array): Float32Array => Float32Array.from(w, (x, i) => x - u[i]! / c);
    return { bits, weights: a(W, U), trans: a(T, TU), start: a(S, SU) };
  };
  for (let ep = 1; ep <= EPOCHS; ep++) {
    let errs = 0, toks = 0;
    for (const e of shuffle([...trEx], ep * 7919)) {
      const n = e.seq.toks.length;
      const stride = e.seq.stride;
      const pred = viterbi(model, emissions(model, e.seq), n);
      toks += n;
      for (let i = 0; i < n; i++) {
        const g = e.gold[i]!, p = pred[i]!;
        if (g !== p) {
          errs++;
          const o = i * stride;
          for (let k = 0; k < stride; k++) {
            const b = (e.seq.feats[o + k]! & mask) * L;
            W[b + g]! += 1; U[b + g]! += c;
            W[b + p]! -= 1; U[b + p]! -= c;
          }
        }
        const gp = i > 0 ? e.gold[i - 1]! : -1, pp = i > 0 ? pred[i - 1]! : -1;
        if (g !== p || gp !== pp) {
          if (i === 0) { S[g]! += 1; SU[g]! += c; S[p]! -= 1; SU[p]! -= c; }
          else { T[gp * L + g]! += 1; TU[gp * L + g]! += c; T[pp * L + p]! -= 1; TU[pp * L + p]! -= c; }
        }
      }
      c++;
    }
    const dev = dvEx.length && (ep === EPOCHS || VERBOSE) ? ` dev span F1 ${JSON.stringify(spanF1(avg(), dvEx))}` : '';
    console.error(`${label} epoch ${ep}: train token error ${(errs / toks).toFixed(4)};${dev} (${Date.now() - t0} ms)`);
  }
  const final = avg();
  let max = 0;
  for (const w of final.weights) max = Math.max(max, Math.abs(w));
  for (let i = 0; i < final.weights.length; i++) if (Math.abs(final.weights[i]!) < max * PRUNE_RATIO) final.weights[i] = 0;
  return final;
}

function stacked(ex: Example[], model: TaggerModel, doc: (e: Example) => Doc): Example[] {
  return ex.map((e) => ({ ...e, seq: stackFeatures(doc(e), e.seq, viterbi(model, emissions(model, e.seq), e.seq.toks.length)) }));
}

function main(): void {
  if (!polnearAvailable()) {
    console.error('train:quotes: PolNeAR not found at ../shared/data/polnear; nothing to train on');
    process.exit(1);
  }
  const t0 = Date.now();
  const train = loadSplit('train');
  const dev = loadSplit('dev');
  const trainDocs = train.map((a) => segment(a.text));
  const devDocs = dev.map((a) => segment(a.text));
  const cueRate = cueRates(train.map((art, k) => ({ doc: trainDocs[k]!, art })));
  const words = JSON.parse(fs.readFileSync(path.join(dataDir(), 'quotes', 'cue-words.json'), 'utf8')) as { words: string[] };
  const lex: FeatureLexicon = { cueRate, cueWords: new Set(words.words) };
  const trEx = examples(train, lex, trainDocs);
  const dvEx = examples(dev, lex, devDocs);
  console.error(`prepared ${trEx.length} train / ${dvEx.length} dev paragraphs in ${Date.now() - t0} ms`);

  const first = trainPerceptron(trEx, dvEx, 'pass 1', t0, BITS);
  const layers = [encodeLayer(first)];
  if (FOLDS > 1) {
    // Cross-validated first-pass labels for the training data, so the stacked pass learns from
    // first-pass output with realistic errors rather than from memorised training labels.
    const stackedTr: Example[] = [];
    for (let f = 0; f < FOLDS; f++) {
      const inFold = (e: Example): boolean => e.article % FOLDS === f;
      const m = trainPerceptron(trEx.filter((e) => !inFold(e)), [], `fold ${f + 1}/${FOLDS}`, t0, BITS);
      stackedTr.push(...stacked(trEx.filter(inFold), m, (e) => trainDocs[e.article]!));
    }
    const stackedDv = stacked(dvEx, first, (e) => devDocs[e.article]!);
    const second = trainPerceptron(stackedTr, stackedDv, 'pass 2', t0, BITS2);
    layers.push(encodeLayer(second));
  }
  const file: ModelFile = {
    source: 'Averaged perceptron trained on PolNeAR v1.0.0 train (github.com/networkdynamics/PolNeAR), first annotator per article',
    command: `npm run train:quotes -- --epochs ${EPOCHS} --bits ${BITS}${BITS2 !== BITS ? ` --bits2 ${BITS2}` : ''} --folds ${FOLDS}`,
    cueRate: encodeCueRates(cueRate),
    layers,
  };
  const outIdx = process.argv.indexOf('--out');
  const out = outIdx >= 0 ? path.resolve(process.argv[outIdx + 1]!) : path.join(dataDir(), 'quotes', 'model.json');
  fs.writeFileSync(out, JSON.stringify(file) + '\n');
  console.error(`wrote ${out}: ${(fs.statSync(out).size / 1e6).toFixed(2)} MB in ${Date.now() - t0} ms`);
}

main();
