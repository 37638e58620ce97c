// The article-extraction-benchmark metric: \w+ tokens, 4-token shingles with counts, per-page
// TP/FP/FN normalised to sum 1, P and R averaged over pages, F1 from the two averages.

/** Shingle length the benchmark uses. */
export const SHINGLE_N = 4;

// Python's re \w in Unicode mode: letters, numbers and underscore (no combining marks).
const TOKEN_RE = /[\p{L}\p{N}_]+/gu;

function shingles(text: string): Map<string, number> {
  const toks = text.match(TOKEN_RE) ?? [];
  const m = new Map<string, number>();
  const last = Math.max(1, toks.length - SHINGLE_N + 1);
  for (let i = 0; i < last; i++) {
    const sh = toks.slice(i, i + SHINGLE_N);
    if (!sh.length) continue;
    const k = sh.join('\u0001');
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

export type TpFpFn = [number, number, number];

export function pageScore(truth: string, pred: string): TpFpFn {
  const t = shingles(truth);
  const p = shingles(pred);
  let tp = 0, fp = 0, fn = 0;
  for (const k of new Set([...t.keys(), ...p.keys()])) {
    const a = t.get(k) ?? 0;
    const b = p.get(k) ?? 0;
    tp += Math.min(a, b);
    fp += Math.max(0, b - a);
    fn += Math.max(0, a - b);
  }
  const s = tp + fp + fn;
  return s > 0 ? [tp / s, fp / s, fn / s] : [0, 0, 0];
}

function prec([tp, fp, fn]: TpFpFn): number {
  if (fp === 0 && fn === 0) return 1;
  if (tp === 0 && fp === 0) return 0;
  return tp / (tp + fp);
}
function rec([tp, fp, fn]: TpFpFn): number {
  if (fp === 0 && fn === 0) return 1;
  if (tp === 0 && fn === 0) return 0;
  return tp / (tp + fn);
}

export function aggregate(scores: TpFpFn[]): { precision: number; recall: number; f1: number } {
  const ps = scores.filter(([tp, fp]) => tp + fp > 0).map(prec);
  const rs = scores.filter(([tp, , fn]) => tp + fn > 0).map(rec);
  const precision = ps.reduce((a, b) => a + b, 0) / ps.length;
  const recall = rs.reduce((a, b) => a + b, 0) / rs.length;
  return { precision, recall, f1: (2 * precision * recall) / (precision + recall) };
}
