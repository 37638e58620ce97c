// Quote stage data: the hand-written cue list (data/quotes/cue-words.json) and the trained tagger
// (data/quotes/model.json, rebuilt by `npm run train:quotes`). Owned by the quotes stage.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { FeatureLexicon } from './features.js';
import { JOINT_STRIDE, L, joinable, jointTagger, packWeights, type JointTagger, type TaggerModel } from './tagger.js';

export interface QuoteLexicon extends FeatureLexicon {
  /** The first-pass tagger, or null when data/quotes/model.json is absent (then no quotes are found). */
  model: TaggerModel | null;
  /** The stacked second-pass tagger, reading the first pass's labels, when trained. */
  stack: TaggerModel | null;
  /** Both layers in one packed table for inference (null without a stacked layer). */
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
  const size = (1 << f.bits) * L;
  // One output chunk a little larger than the weights: zlib then fills a single buffer, with no
  // concatenation of 16 KB chunks (a copy of the whole layer) at start-up.
  const buf = zlib.inflateRawSync(Buffer.from(f.weights, 'base64'), { chunkSize: size * 2 + 1024 });
  if (buf.byteLength !== size * 2) throw new Error(`quote model: expected ${size} weights, found ${buf.byteLength / 2}`);
  // The weights are read in place (no copy) unless the buffer sits at an odd offset.
  const weights = buf.byteOffset % 2 === 0 ? new Int16Array(buf.buffer, buf.byteOffset, size) : new Int16Array(size);
  if (weights.buffer !== buf.buffer) buf.copy(Buffer.from(weights.buffer));
  return { bits: f.bits, weights, scale: f.scale, trans: Float32Array.from(f.trans), start: Float32Array.from(f.start) };
}

export function encodeCueRates(cueRate: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...cueRate].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, v]) => [k, round(v)]));
}

/**
 * Reads a model file. Its bulk is the layers' base64 weight strings (ASCII), which are sliced out
 * of the raw bytes as Latin-1 and put back after parsing the rest: decoding all 5 MB as UTF-8
 * (a few cue-rate keys are not ASCII) and parsing the long strings cost more CPU at every worker's
 * start than everything else in the file. A file written another way is parsed whole.
 */
function readModelFile(modelPath: string): ModelFile {
  const buf = fs.readFileSync(modelPath);
  const key = Buffer.from('"weights":"');
  const text: string[] = [];
  const weights: string[] = [];
  let at = 0;
  for (let k = buf.indexOf('"layers":'); k >= 0; ) {
    k = buf.indexOf(key, at === 0 ? k : at);
    if (k < 0) break;
    const s = k + key.length;
    const e = buf.indexOf(0x22, s); // the closing quote (base64 has no escapes)
    if (e < 0) break;
    text.push(buf.toString('utf8', at, s));
    weights.push(buf.toString('latin1', s, e));
    at = e;
  }
  text.push(buf.toString('utf8', at));
  const f = JSON.parse(text.join('')) as ModelFile;
  for (let i = 0; i < weights.length; i++) f.layers[i]!.weights = weights[i]!;
  return f;
}

/**
 * The quote tagger's packed table (`packWeights`), built once by a parent thread in shared memory
 * and handed to its analysis workers (workerData), which adopt it instead of each packing its own:
 * two workers then read one 16 MB table, not two, and their lookups (the quote stage's main cost,
 * mostly cache misses) share the last-level cache instead of evicting each other's records.
 */
export interface SharedQuoteTable {
  /** The model file it was built from: a worker loading another file packs its own. */
  modelPath: string;
  buffer: SharedArrayBuffer;
}

let adopted: SharedQuoteTable | null = null;

/** A model file and its two layers, decoded (null where the file has none). */
function readLayers(modelPath: string): { file: ModelFile; first: TaggerModel | null; stack: TaggerModel | null } {
  const file = readModelFile(modelPath);
  return {
    file,
    first: file.layers[0] ? decodeLayer(file.layers[0]) : null,
    stack: file.layers[1] ? decodeLayer(file.layers[1]) : null,
  };
}

/** The default model file under `dir`. */
function defaultModelPath(dir: string): string {
  return path.join(dir, 'quotes', 'model.json');
}

/** Builds the shared table of the model under `dir`, or null when there is no joint model to share. */
export function buildSharedQuoteTable(dir: string): SharedQuoteTable | null {
  const modelPath = defaultModelPath(dir);
  if (!fs.existsSync(modelPath)) return null;
  const { first, stack } = readLayers(modelPath);
  if (!first || !stack || !joinable(first, stack)) return null;
  const W = packWeights(first.weights, stack.weights as Int16Array, first.bits, true);
  return { modelPath, buffer: W.buffer as SharedArrayBuffer };
}

/** A worker adopts its parent's table (from workerData; anything else is ignored). */
export function adoptSharedQuoteTable(t: unknown): void {
  const c = t as SharedQuoteTable | null | undefined;
  adopted = c && typeof c.modelPath === 'string' && c.buffer instanceof SharedArrayBuffer ? c : null;
}

/** The adopted table, when it was built from `modelPath` and is big enough for 2^bits records. */
function adoptedTable(modelPath: string, bits: number): Float64Array | undefined {
  if (!adopted || path.resolve(adopted.modelPath) !== path.resolve(modelPath)) return undefined;
  const length = (1 << bits) * JOINT_STRIDE;
  return adopted.buffer.byteLength >= length * 8 ? new Float64Array(adopted.buffer, 0, length) : undefined;
}

/** Loads the cue list from `dir`; `modelPath` overrides the tagger file (evals of candidate models). */
export function loadQuoteLexicon(dir: string, modelPath: string = defaultModelPath(dir)): QuoteLexicon {
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
    const { file, first, stack } = readLayers(modelPath);
    lex.cueRate = new Map(Object.entries(file.cueRate));
    lex.model = first;
    lex.stack = stack;
    lex.joint = lex.model && lex.stack ? jointTagger(lex.model, lex.stack, adoptedTable(modelPath, lex.model.bits)) : null;
  }
  return lex;
}
