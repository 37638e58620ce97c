// BIO tagger for attribution parts (SOURCE, CUE, CONTENT): a first-order structured perceptron over
// hashed features, decoded with Viterbi. Written here because no npm package offers a small,
// dependency-free sequence tagger we could train in TypeScript and ship as plain data.
import type { Seq } from './features.js';

export const LABELS = ['O', 'B-SRC', 'I-SRC', 'B-CUE', 'I-CUE', 'B-CON', 'I-CON'] as const;
export const L = LABELS.length;
export const O = 0;
export const B_SRC = 1;
export const I_SRC = 2;
export const B_CUE = 3;
export const I_CUE = 4;
export const B_CON = 5;
export const I_CON = 6;

/** The model: hashed feature weights (bucket * L + label), transitions (prev * L + cur) and start weights. */
export interface TaggerModel {
  /** log2 of the number of feature buckets. */
  bits: number;
  /** Training keeps floats; a loaded model keeps the int16 weights of its file (a quarter of the
   * memory, so more of the hashed table stays in cache — lookups, not arithmetic, dominate tagging). */
  weights: Float32Array | Int16Array;
  /** Weight = stored value / scale (1 for float weights). */
  scale?: number;

  trans: Float32Array;
  start: Float32Array;
}

/** I-X may only follow B-X or I-X: the constraint keeps decoded spans well formed. */
export function allowed(prev: number, cur: number): boolean {
  if (cur === I_SRC) return prev === B_SRC || prev === I_SRC;
  if (cur === I_CUE) return prev === B_CUE || prev === I_CUE;
  if (cur === I_CON) return prev === B_CON || prev === I_CON;
  return true;
}

const NEG = -1e30;

/** Emission scores for every token and label (n * L). */
export function emissions(m: TaggerModel, seq: Seq): Float32Array {
  if (m.weights instanceof Int16Array) return emissionsInt16(m, m.weights, seq);
  const n = seq.toks.length;
  const mask = (1 << m.bits) - 1;
  const out = new Float32Array(n * L);
  const W = m.weights;
  const F = seq.feats;
  const stride = seq.stride;
  for (let i = 0; i < n; i++) {
    const o = i * stride;
    const e = i * L;
    for (let k = 0; k < stride; k++) {
      const b = (F[o + k]! & mask) * L;
      for (let y = 0; y < L; y++) out[e + y]! += W[b + y]!;
    }
  }
  const inv = 1 / (m.scale ?? 1);
  if (inv !== 1) for (let i = 0; i < out.length; i++) out[i]! *= inv;
  return out;
}

/**
 * The same sums for a loaded (int16) model, the hot loop of tagging: seven integer accumulators
 * in registers instead of read-modify-writes to the output (about 3x faster in a micro-benchmark;
 * integer sums are exact, so the scores equal the generic loop's). Padding buckets to 8 labels
 * for aligned reads was tried and was slower: the bigger table costs more cache misses.
 */
function emissionsInt16(m: TaggerModel, W: Int16Array, seq: Seq): Float32Array {
  const n = seq.toks.length;
  const mask = (1 << m.bits) - 1;
  const out = new Float32Array(n * L);
  const F = seq.feats;
  const stride = seq.stride;
  const inv = 1 / (m.scale ?? 1);
  for (let i = 0; i < n; i++) {
    const o = i * stride;
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0;
    for (let k = 0; k < stride; k++) {
      const b = (F[o + k]! & mask) * L;
      a0 += W[b]!;
      a1 += W[b + 1]!;
      a2 += W[b + 2]!;
      a3 += W[b + 3]!;
      a4 += W[b + 4]!;
      a5 += W[b + 5]!;
      a6 += W[b + 6]!;
    }
    const e = i * L;
    out[e] = a0 * inv;
    out[e + 1] = a1 * inv;
    out[e + 2] = a2 * inv;
    out[e + 3] = a3 * inv;
    out[e + 4] = a4 * inv;
    out[e + 5] = a5 * inv;
    out[e + 6] = a6 * inv;
  }
  return out;
}

/** Transition scores with the BIO constraint folded in (NEG where disallowed). Rebuilt per call:
 * training updates `trans` in place, and 49 entries cost nothing next to the emissions. */
function constrainedTrans(m: TaggerModel): Float64Array {
  const t = new Float64Array(L * L);
  for (let p = 0; p < L; p++) for (let y = 0; y < L; y++) t[p * L + y] = allowed(p, y) ? m.trans[p * L + y]! : NEG;
  return t;
}

/** Best label sequence under the model (Viterbi with the BIO constraint). */
export function viterbi(m: TaggerModel, em: Float32Array, n: number): Uint8Array {
  const path = new Uint8Array(n);
  if (n === 0) return path;
  const T = constrainedTrans(m);
  const score = new Float64Array(n * L);
  const back = new Uint8Array(n * L);
  for (let y = 0; y < L; y++) score[y] = allowed(O, y) ? m.start[y]! + em[y]! : NEG;
  for (let i = 1; i < n; i++) {
    const prev = (i - 1) * L;
    for (let y = 0; y < L; y++) {
      let best = -Infinity;
      let arg = 0;
      for (let p = 0; p < L; p++) {
        const s = score[prev + p]! + T[p * L + y]!;
        if (s > best) {
          best = s;
          arg = p;
        }
      }
      score[i * L + y] = best + em[i * L + y]!;
      back[i * L + y] = arg;
    }
  }
  let best = -Infinity;
  let arg = 0;
  for (let y = 0; y < L; y++) {
    if (score[(n - 1) * L + y]! > best) {
      best = score[(n - 1) * L + y]!;
      arg = y;
    }
  }
  path[n - 1] = arg;
  for (let i = n - 1; i > 0; i--) path[i - 1] = back[i * L + path[i]!]!;
  return path;
}

/** Per-token confidence of the decoded label: a softmax over that token's emission scores. */
export function tokenConfidence(em: Float32Array, i: number, y: number): number {
  let max = -Infinity;
  for (let k = 0; k < L; k++) max = Math.max(max, em[i * L + k]!);
  let z = 0;
  for (let k = 0; k < L; k++) z += Math.exp(em[i * L + k]! - max);
  return Math.exp(em[i * L + y]! - max) / z;
}
