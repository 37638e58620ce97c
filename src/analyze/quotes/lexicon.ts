// Quote stage data: the hand-written cue list (data/quotes/cue-words.json) and the trained tagger
// (data/quotes/model.json, rebuilt by `npm run train:quotes`). Owned by the quotes stage.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { FeatureLexicon } from './features.js';
import { L, jointTagger, type JointTagger, type TaggerModel } from './tagger.js';

export interface QuoteLexicon extends FeatureLexicon {
  /** The first-pass tagger, or null when data/quotes/model.json is absent (then no quotes are found). */
  model: TaggerModel | null;
  /** The stacked second-pass tagger, reading the first pass's labels, when trained. */
  stack: TaggerModel | null;
  /** Both layers in one interleaved table for inference (null without a stacked layer). */
  joint: JointTagger | null;
  /** Light verbs whose following noun names the attitude and belongs to the cue ("expressed optimism"). */
  attitudeVerbs: Set<string>;
  /**
   * Speed option (cue-words.json `tagOnlyCuedParagraphs`, default off): leave untagged a paragraph
   * with no quote mark and no cue candidate, where an attribution is unlikely. Changes output a little
   * (see data/quotes/README.md for its dev scores); the rules (transcript labels) still run there.
   */
  tagOnlyCuedParagraphs: boolean;
}

/** One tagger layer on disk: weights quantised to int16 (weight = int16 / scale), raw-deflated, base64. */
export interface LayerFile {
  bits: number;
  scale: number;
  trans: number[];
  start: number[];
  weights: string;
}

export interface ModelFile {
  source: string;
  command: string;
  /** Share of a lemma's training occurrences inside a cue. */
  cueRate: Record<string, number>;
  /** First pass, then (optionally) the stacked pass. */
  layers: LayerFile[];
}

const round = (x: number): number => Math.round(x * 1e4) / 1e4;

export function encodeLayer(m: TaggerModel): LayerFile {
  let max = 0;
  for (const w of m.weights) max = Math.max(max, Math.abs(w));
  const scale = max > 0 ? 32767 / max : 1;
  const q = new Int16Array(m.weights.length);
  for (let i = 0; i < q.length; i++) q[i] = Math.round(m.weights[i]! * scale);
  return {
    bits: m.bits,
    scale,
    trans: [...m.trans].map(round),
    start: [...m.start].map(round),
    weights: zlib.deflateRawSync(Buffer.from(q.buffer), { level: 9 }).toString('base64'),
  };
}

export function decodeLayer(f: LayerFile): TaggerModel {
  const buf = zlib.inflateRawSync(Buffer.from(f.weights, 'base64'));
  const size = (1 << f.bits) * L;
  if (buf.byteLength !== size * 2) throw new Error(`quote model: expected ${size} weights, found ${buf.byteLength / 2}`);
  const weights = new Int16Array(size);
  buf.copy(Buffer.from(weights.buffer)); // a byte copy: the inflated buffer may sit at an odd offset
  return { bits: f.bits, weights, scale: f.scale, trans: Float32Array.from(f.trans), start: Float32Array.from(f.start) };
}

export function encodeCueRates(cueRate: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...cueRate].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, v]) => [k, round(v)]));
}

/** Loads the cue list from `dir`; `modelPath` overrides the tagger file (evals of candidate models). */
export function loadQuoteLexicon(dir: string, modelPath: string = path.join(dir, 'quotes', 'model.json')): QuoteLexicon {
  const words = JSON.parse(fs.readFileSync(path.join(dir, 'quotes', 'cue-words.json'), 'utf8')) as { words: string[]; attitudeVerbs?: string[]; tagOnlyCuedParagraphs?: boolean };
  const lex: QuoteLexicon = {
    cueWords: new Set(words.words.map((w) => w.toLowerCase())),
    cueRate: new Map(),
    model: null,
    stack: null,
    joint: null,
    attitudeVerbs: new Set(words.attitudeVerbs ?? []),
    tagOnlyCuedParagraphs: words.tagOnlyCuedParagraphs ?? false,
  };
  if (fs.existsSync(modelPath)) {
    const f = JSON.parse(fs.readFileSync(modelPath, 'utf8')) as ModelFile;
    lex.cueRate = new Map(Object.entries(f.cueRate));
    lex.model = f.layers[0] ? decodeLayer(f.layers[0]) : null;
    lex.stack = f.layers[1] ? decodeLayer(f.layers[1]) : null;
    lex.joint = lex.model && lex.stack ? jointTagger(lex.model, lex.stack) : null;
  }
  return lex;
}
