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

/** Emission scores for every token and label (n * L). Training and the fallback for two layers that
 * cannot share a table use it; int16 sums stay exact in float32, so a loaded model scores as the joint
 * table does (test/quotes-speed.test.ts). */
export function emissions(m: TaggerModel, seq: Seq): Float32Array {
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
  const e = i * L;
  // (a signed zero kept as the max instead of Math.max's +0 changes no difference below but 0 - 0,
  // whose exp is 1 either way)
  let max = em[e]!;
  for (let k = 1; k < L; k++) if (em[e + k]! > max) max = em[e + k]!;
  let z = 0;
  let num = 0;
  for (let k = 0; k < L; k++) {
    const x = Math.exp(em[e + k]! - max);
    z += x;
    if (k === y) num = x; // the decoded label's term, not computed twice
  }
  return num / z;
}

/**
 * Inference form of the two taggers (first pass and stacked pass), built once at load when both
 * hash into the same number of buckets. A bucket's weights for label y in both layers share one
 * float64: first-pass weight * 2^24 + stacked-pass weight (both int16). Summing these packed values
 * sums both layers at once, exactly: a lane's sum over at most ~70 features stays far below 2^23
 * (70 * 32767 < 2^22), so the total stays an integer below 2^53 and the two lanes come apart again
 * (`hiLane`, `loLane`). One record (7 labels + pad = 64 bytes, one cache line) therefore costs one
 * cache miss and 7 loads/adds per feature for both passes, where separate int16 lanes cost 14.
 */
export interface JointTagger {
  bits: number;
  /** 2^bits records of JOINT_STRIDE float64: the packed label weights of both layers, then 0. */
  weights: Float64Array;
  /** 1 / scale of each layer. */
  inv1: number;
  inv2: number;
  first: DecodeTables;
  stack: DecodeTables;
}

/** Transitions (BIO constraint folded in as NEG) and start scores, as Viterbi reads them. */
export interface DecodeTables {
  trans: Float64Array;
  start: Float64Array;
}

/** float64 slots per bucket in `JointTagger.weights`. */
export const JOINT_STRIDE = 8;

/** Features per token (both passes together) for which the packed lanes stay exact: 255 * 32768 < 2^23. */
export const MAX_JOINT_FEATURES = 255;

/** Weight of the first-pass lane of a packed value. */
const HI = 16777216; // 2^24
const HALF = 8388608; // 2^23

/** 1 / 2^24: multiplying by it is dividing by 2^24, exactly (a power of two), without a division. */
const INV_HI = 1 / HI;

/** First-pass lane of a packed sum: the multiple of 2^24 nearest it (the other lane is below 2^23 in magnitude). */
function hiLane(x: number): number {
  return Math.floor((x + HALF) * INV_HI);
}

/** Stacked-pass lane of a packed sum (what remains after its first-pass lane). */
function loLane(x: number): number {
  return x - hiLane(x) * HI;
}

function decodeTables(m: TaggerModel): DecodeTables {
  return { trans: constrainedTrans(m), start: Float64Array.from(m.start) };
}

/** Whether two loaded layers can share one packed table. */
export function joinable(first: TaggerModel, stack: TaggerModel): first is TaggerModel & { weights: Int16Array } {
  return first.bits === stack.bits && first.weights instanceof Int16Array && stack.weights instanceof Int16Array;
}

/**
 * The joint tagger of two loaded (int16) layers, or null when they cannot share a table. `packed`:
 * their table as `packWeights` makes it, already built (by the parent thread, shared by workers).
 */
export function jointTagger(first: TaggerModel, stack: TaggerModel, packed?: Float64Array): JointTagger | null {
  if (!joinable(first, stack)) return null;
  return {
    bits: first.bits,
    weights: packed && packed.length === (1 << first.bits) * JOINT_STRIDE ? packed : packWeights(first.weights, stack.weights as Int16Array, first.bits),
    inv1: 1 / (first.scale ?? 1),
    inv2: 1 / (stack.scale ?? 1),
    first: decodeTables(first),
    stack: decodeTables(stack),
  };
}

/** Bytes per WebAssembly memory page. */
const WASM_PAGE = 65536;

/**
 * A zeroed Float64Array of `length` whose first element starts a 64-byte cache line. A record is
 * meant to be one cache line, but a large ArrayBuffer comes from malloc at an address 16 bytes
 * past a page (measured: the table scored as slowly as one deliberately placed 16 bytes off a
 * line), so every record straddled two lines: two misses where one was meant. A WebAssembly
 * memory's buffer starts on a page boundary, so its records line up (jointEmissions ~12% faster
 * over PolNeAR). Falls back to a plain array where wasm memory cannot be had; the values are the
 * same either way, only the placement differs.
 */
function lineAlignedFloat64(length: number, shared: boolean): Float64Array {
  const bytes = length * 8;
  const pages = Math.ceil(bytes / WASM_PAGE);
  try {
    const mem = new WebAssembly.Memory(shared ? { initial: pages, maximum: pages, shared: true } : { initial: pages });
    return new Float64Array(mem.buffer, 0, length);
  } catch {
    return new Float64Array(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  }
}

/**
 * The packed table of two int16 layers of 2^bits buckets * L labels each. `shared`: in memory that
 * worker threads can share (a SharedArrayBuffer), so one copy serves every worker.
 */
export function packWeights(w1: Int16Array, w2: Int16Array, bits: number, shared = false): Float64Array {
  const size = 1 << bits;
  const W = lineAlignedFloat64(size * JOINT_STRIDE, shared);
  // (unrolled over the L = 7 labels: this runs once at start-up, mostly before V8 optimises it)
  for (let b = 0, o = 0, s = 0; b < size; b++, o += JOINT_STRIDE, s += L) {
    W[o] = w1[s]! * HI + w2[s]!;
    W[o + 1] = w1[s + 1]! * HI + w2[s + 1]!;
    W[o + 2] = w1[s + 2]! * HI + w2[s + 2]!;
    W[o + 3] = w1[s + 3]! * HI + w2[s + 3]!;
    W[o + 4] = w1[s + 4]! * HI + w2[s + 4]!;
    W[o + 5] = w1[s + 5]! * HI + w2[s + 5]!;
    W[o + 6] = w1[s + 6]! * HI + w2[s + 6]!;
  }
  return W;
}

/** Where the touch loops put their sums, so the engine cannot drop their loads as dead code. */
let sink = 0;

/**
 * One sweep over the base features (`stride` per token, n tokens): writes the first pass's
 * emission scores to `em1` (n * L, as `emissions` computes them) and the packed sums of both
 * layers over the same features to `acc` (n * L), for `stackEmissions` to finish.
 */
export function jointEmissions(J: JointTagger, F: Uint32Array, n: number, stride: number, em1: Float32Array, acc: Float64Array): void {
  const W = J.weights;
  const mask = (1 << J.bits) - 1;
  const inv = J.inv1;
  let touch = 0;
  for (let i = 0; i < n; i++) {
    const o = i * stride;
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0;
    // Touch the next token's records first: this short loop puts all its cache misses in flight
    // at once (the summing loop below keeps only a few outstanding), so they overlap with this
    // token's sums. (Summed into a local, stored once: a module variable holding a double would
    // box a new number per token.)
    if (i + 1 < n) {
      const o2 = o + stride;
      for (let k = 0; k < stride; k++) touch += W[(F[o2 + k]! & mask) << 3]!;
    }
    for (let k = 0; k < stride; k++) {
      // record start (* JOINT_STRIDE); `b | y` is b + y without an overflow check
      const b = (F[o + k]! & mask) << 3;
      a0 += W[b]!;
      a1 += W[b | 1]!;
      a2 += W[b | 2]!;
      a3 += W[b | 3]!;
      a4 += W[b | 4]!;
      a5 += W[b | 5]!;
      a6 += W[b | 6]!;
    }
    const e = i * L;
    em1[e] = hiLane(a0) * inv;
    em1[e + 1] = hiLane(a1) * inv;
    em1[e + 2] = hiLane(a2) * inv;
    em1[e + 3] = hiLane(a3) * inv;
    em1[e + 4] = hiLane(a4) * inv;
    em1[e + 5] = hiLane(a5) * inv;
    em1[e + 6] = hiLane(a6) * inv;
    acc[e] = a0;
    acc[e + 1] = a1;
    acc[e + 2] = a2;
    acc[e + 3] = a3;
    acc[e + 4] = a4;
    acc[e + 5] = a5;
    acc[e + 6] = a6;
  }
  sink += touch;
}

/**
 * The stacked pass's emission scores: the packed base sums of `jointEmissions` plus the stacked
 * features (`stride` per token in `F`), whose packed values are added whole: only the stacked lane
 * is read back, and the first-pass lane above it cannot disturb it. Integer sums are exact in any
 * order, so the scores equal those of `emissions` over the concatenated features. No touch loop
 * ahead as in jointEmissions: most stacked features are functions of a few labels and buckets,
 * whose records stay in cache, and touching them first measured ~3% slower for the whole stage.
 */
export function stackEmissions(J: JointTagger, F: Uint32Array, n: number, stride: number, acc: Float64Array, em2: Float32Array): void {
  const W = J.weights;
  const mask = (1 << J.bits) - 1;
  const inv = J.inv2;
  for (let i = 0; i < n; i++) {
    const o = i * stride;
    const e = i * L;
    let b0 = acc[e]!, b1 = acc[e + 1]!, b2 = acc[e + 2]!, b3 = acc[e + 3]!, b4 = acc[e + 4]!, b5 = acc[e + 5]!, b6 = acc[e + 6]!;
    for (let k = 0; k < stride; k++) {
      const b = (F[o + k]! & mask) << 3;
      b0 += W[b]!;
      b1 += W[b | 1]!;
      b2 += W[b | 2]!;
      b3 += W[b | 3]!;
      b4 += W[b | 4]!;
      b5 += W[b | 5]!;
      b6 += W[b | 6]!;
    }
    em2[e] = loLane(b0) * inv;
    em2[e + 1] = loLane(b1) * inv;
    em2[e + 2] = loLane(b2) * inv;
    em2[e + 3] = loLane(b3) * inv;
    em2[e + 4] = loLane(b4) * inv;
    em2[e + 5] = loLane(b5) * inv;
    em2[e + 6] = loLane(b6) * inv;
  }
}

/** Backpointers of `viterbiFast`, reused across calls. */
let backBuf = new Uint8Array(0);

/**
 * `viterbi` for inference, with the same arithmetic and tie-breaking (first best in label order)
 * but only the transitions the BIO constraint allows: a disallowed one adds NEG and can never win,
 * so skipping it changes no decision. No allocation per call; writes the path into `path`.
 * Fully unrolled over the 7 labels, with the 34 allowed transitions and the running scores in
 * locals: the looped form spent ~140 ns per token reloading them from typed arrays.
 */
export function viterbiFast(D: DecodeTables, em: Float32Array, n: number, path: Uint8Array): void {
  if (n === 0) return;
  if (backBuf.length < n * L) backBuf = new Uint8Array(Math.max(n * L, 2 * backBuf.length));
  const back = backBuf;
  const T = D.trans;
  // The allowed transitions, read once into locals (tPY: from label P to label Y).
  const t00 = T[0]!, t10 = T[7]!, t20 = T[14]!, t30 = T[21]!, t40 = T[28]!, t50 = T[35]!, t60 = T[42]!;
  const t01 = T[1]!, t11 = T[8]!, t21 = T[15]!, t31 = T[22]!, t41 = T[29]!, t51 = T[36]!, t61 = T[43]!;
  const t03 = T[3]!, t13 = T[10]!, t23 = T[17]!, t33 = T[24]!, t43 = T[31]!, t53 = T[38]!, t63 = T[45]!;
  const t05 = T[5]!, t15 = T[12]!, t25 = T[19]!, t35 = T[26]!, t45 = T[33]!, t55 = T[40]!, t65 = T[47]!;
  const t12 = T[9]!, t22 = T[16]!, t34 = T[25]!, t44 = T[32]!, t56 = T[41]!, t66 = T[48]!;
  // Running scores of the previous token per label (I-X cannot start a paragraph).
  let c0 = D.start[0]! + em[0]!, c1 = D.start[1]! + em[1]!, c2 = NEG, c3 = D.start[3]! + em[3]!, c4 = NEG, c5 = D.start[5]! + em[5]!, c6 = NEG;
  for (let i = 1, e = L; i < n; i++, e += L) {
    // label 0: any previous label; the first best in label order wins ties (strict >)
    let b0 = c0 + t00;
    let a0 = 0;
    if (c1 + t10 > b0) {
      b0 = c1 + t10;
      a0 = 1;
    }
    if (c2 + t20 > b0) {
      b0 = c2 + t20;
      a0 = 2;
    }
    if (c3 + t30 > b0) {
      b0 = c3 + t30;
      a0 = 3;
    }
    if (c4 + t40 > b0) {
      b0 = c4 + t40;
      a0 = 4;
    }
    if (c5 + t50 > b0) {
      b0 = c5 + t50;
      a0 = 5;
    }
    if (c6 + t60 > b0) {
      b0 = c6 + t60;
      a0 = 6;
    }
    // label 1: any previous label; the first best in label order wins ties (strict >)
    let b1 = c0 + t01;
    let a1 = 0;
    if (c1 + t11 > b1) {
      b1 = c1 + t11;
      a1 = 1;
    }
    if (c2 + t21 > b1) {
      b1 = c2 + t21;
      a1 = 2;
    }
    if (c3 + t31 > b1) {
      b1 = c3 + t31;
      a1 = 3;
    }
    if (c4 + t41 > b1) {
      b1 = c4 + t41;
      a1 = 4;
    }
    if (c5 + t51 > b1) {
      b1 = c5 + t51;
      a1 = 5;
    }
    if (c6 + t61 > b1) {
      b1 = c6 + t61;
      a1 = 6;
    }
    // label 3: any previous label; the first best in label order wins ties (strict >)
    let b3 = c0 + t03;
    let a3 = 0;
    if (c1 + t13 > b3) {
      b3 = c1 + t13;
      a3 = 1;
    }
    if (c2 + t23 > b3) {
      b3 = c2 + t23;
      a3 = 2;
    }
    if (c3 + t33 > b3) {
      b3 = c3 + t33;
      a3 = 3;
    }
    if (c4 + t43 > b3) {
      b3 = c4 + t43;
      a3 = 4;
    }
    if (c5 + t53 > b3) {
      b3 = c5 + t53;
      a3 = 5;
    }
    if (c6 + t63 > b3) {
      b3 = c6 + t63;
      a3 = 6;
    }
    // label 5: any previous label; the first best in label order wins ties (strict >)
    let b5 = c0 + t05;
    let a5 = 0;
    if (c1 + t15 > b5) {
      b5 = c1 + t15;
      a5 = 1;
    }
    if (c2 + t25 > b5) {
      b5 = c2 + t25;
      a5 = 2;
    }
    if (c3 + t35 > b5) {
      b5 = c3 + t35;
      a5 = 3;
    }
    if (c4 + t45 > b5) {
      b5 = c4 + t45;
      a5 = 4;
    }
    if (c5 + t55 > b5) {
      b5 = c5 + t55;
      a5 = 5;
    }
    if (c6 + t65 > b5) {
      b5 = c6 + t65;
      a5 = 6;
    }
    // label 2: only from 1 (B) or 2 (I)
    const fb2 = c1 + t12;
    const fi2 = c2 + t22;
    const i2 = fi2 > fb2;
    // label 4: only from 3 (B) or 4 (I)
    const fb4 = c3 + t34;
    const fi4 = c4 + t44;
    const i4 = fi4 > fb4;
    // label 6: only from 5 (B) or 6 (I)
    const fb6 = c5 + t56;
    const fi6 = c6 + t66;
    const i6 = fi6 > fb6;
    back[e] = a0;
    back[e + 1] = a1;
    back[e + 2] = i2 ? 2 : 1;
    back[e + 3] = a3;
    back[e + 4] = i4 ? 4 : 3;
    back[e + 5] = a5;
    back[e + 6] = i6 ? 6 : 5;
    c0 = b0 + em[e]!;
    c1 = b1 + em[e + 1]!;
    c2 = (i2 ? fi2 : fb2) + em[e + 2]!;
    c3 = b3 + em[e + 3]!;
    c4 = (i4 ? fi4 : fb4) + em[e + 4]!;
    c5 = b5 + em[e + 5]!;
    c6 = (i6 ? fi6 : fb6) + em[e + 6]!;
  }
  let best = c0;
  let arg = 0;
  if (c1 > best) { best = c1; arg = 1; }
  if (c2 > best) { best = c2; arg = 2; }
  if (c3 > best) { best = c3; arg = 3; }
  if (c4 > best) { best = c4; arg = 4; }
  if (c5 > best) { best = c5; arg = 5; }
  if (c6 > best) { best = c6; arg = 6; }
  path[n - 1] = arg;
  for (let i = n - 1; i > 0; i--) path[i - 1] = back[i * L + path[i]!]!;
}
