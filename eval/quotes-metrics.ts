// Scoring of predicted attributions against PolNeAR gold: coverage-matched content F1, exact-span
// F1 for content, source and cue, and speaker (source-overlap) accuracy.
import type { Quote, Span } from '../src/analyze/types.js';
import type { GoldAttribution } from './quotes-polnear.js';

/** Characters trimmed from both ends before exact-span comparison: white space, punctuation, quote marks. */
const TRIM = /[\s\p{P}]/u;

export function trim(text: string, s: Span): Span {
  let a = s.start;
  let b = s.end;
  while (a < b && TRIM.test(text[a]!)) a++;
  while (b > a && TRIM.test(text[b - 1]!)) b--;
  return { start: a, end: b };
}

function outer(pieces: Span[]): Span | null {
  if (!pieces.length) return null;
  return { start: Math.min(...pieces.map((p) => p.start)), end: Math.max(...pieces.map((p) => p.end)) };
}

function len(pieces: Span[]): number {
  return pieces.reduce((s, p) => s + Math.max(0, p.end - p.start), 0);
}

function overlap(a: Span[], b: Span[]): number {
  let n = 0;
  for (const x of a) for (const y of b) n += Math.max(0, Math.min(x.end, y.end) - Math.max(x.start, y.start));
  return n;
}

export interface Counts {
  gold: number;
  pred: number;
  cov30: number;
  cov80: number;
  contentExact: number;
  goldSource: number;
  predSource: number;
  sourceExact: number;
  goldCue: number;
  predCue: number;
  cueExact: number;
  /** cov30 matches whose gold has a source, and of those, how many predicted sources overlap it. */
  speakerTotal: number;
  speakerRight: number;
}

export function emptyCounts(): Counts {
  return { gold: 0, pred: 0, cov30: 0, cov80: 0, contentExact: 0, goldSource: 0, predSource: 0, sourceExact: 0, goldCue: 0, predCue: 0, cueExact: 0, speakerTotal: 0, speakerRight: 0 };
}

/** One-to-one greedy matching of gold to predicted by coverage of the gold content, best first. */
function coverageMatch(gold: GoldAttribution[], pred: Quote[], min: number): Array<[number, number]> {
  const pairs: Array<[number, number, number]> = [];
  gold.forEach((g, gi) => {
    const gl = len(g.content);
    if (!gl) return;
    pred.forEach((p, pi) => {
      const cov = overlap(g.content, contentPieces(p)) / gl;
      if (cov >= min) pairs.push([cov, gi, pi]);
    });
  });
  pairs.sort((a, b) => b[0] - a[0] || a[1] - b[1] || a[2] - b[2]);
  const ug = new Set<number>();
  const up = new Set<number>();
  const out: Array<[number, number]> = [];
  for (const [, gi, pi] of pairs) {
    if (ug.has(gi) || up.has(pi)) continue;
    ug.add(gi);
    up.add(pi);
    out.push([gi, pi]);
  }
  return out;
}

export function contentPieces(q: Quote): Span[] {
  return [q.content, ...(q.contentParts ?? [])];
}

/** Multiset intersection size of span keys. */
function exactMatches(a: string[], b: string[]): number {
  const m = new Map<string, number>();
  for (const k of a) m.set(k, (m.get(k) ?? 0) + 1);
  let n = 0;
  for (const k of b) {
    const c = m.get(k) ?? 0;
    if (c > 0) {
      n++;
      m.set(k, c - 1);
    }
  }
  return n;
}

function keys(text: string, spans: Array<Span[]>): string[] {
  const out: string[] = [];
  for (const s of spans) {
    const o = outer(s);
    if (!o) continue;
    const t = trim(text, o);
    if (t.end > t.start) out.push(`${t.start}:${t.end}`);
  }
  return out;
}

export function scoreArticle(text: string, gold: GoldAttribution[], pred: Quote[], c: Counts): void {
  c.gold += gold.length;
  c.pred += pred.length;
  const m30 = coverageMatch(gold, pred, 0.3);
  c.cov30 += m30.length;
  c.cov80 += coverageMatch(gold, pred, 0.8).length;
  for (const [gi, pi] of m30) {
    const g = gold[gi]!;
    if (!g.source.length) continue;
    c.speakerTotal++;
    const ps = pred[pi]!.source;
    if (ps && overlap(g.source, [ps]) > 0) c.speakerRight++;
  }
  const gc = keys(text, gold.map((g) => g.content));
  const pc = keys(text, pred.map(contentPieces));
  c.contentExact += exactMatches(gc, pc);
  const gs = keys(text, gold.map((g) => g.source));
  const ps = keys(text, pred.map((q) => (q.source ? [q.source] : [])));
  c.goldSource += gs.length;
  c.predSource += ps.length;
  c.sourceExact += exactMatches(gs, ps);
  const gq = keys(text, gold.map((g) => g.cue));
  const pq = keys(text, pred.map((q) => (q.cue ? [q.cue] : [])));
  c.goldCue += gq.length;
  c.predCue += pq.length;
  c.cueExact += exactMatches(gq, pq);
}

function f1(tp: number, np: number, ng: number): number {
  const p = np ? tp / np : 0;
  const r = ng ? tp / ng : 0;
  return p + r ? (2 * p * r) / (p + r) : 0;
}

export interface Scores {
  cov30F1: number;
  cov80F1: number;
  contentExactF1: number;
  sourceExactF1: number;
  cueExactF1: number;
  speakerAccuracy: number;
}

export function scores(c: Counts): Scores {
  const r = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    cov30F1: r(f1(c.cov30, c.pred, c.gold)),
    cov80F1: r(f1(c.cov80, c.pred, c.gold)),
    contentExactF1: r(f1(c.contentExact, c.pred, c.gold)),
    sourceExactF1: r(f1(c.sourceExact, c.predSource, c.goldSource)),
    cueExactF1: r(f1(c.cueExact, c.predCue, c.goldCue)),
    speakerAccuracy: r(c.speakerTotal ? c.speakerRight / c.speakerTotal : 0),
  };
}
