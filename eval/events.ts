// `npm run eval:events`: scores the PLOVER coder on the held-back part of PLV_train.tsv (root
// accuracy, macro-F1, quad accuracy; the train part for reference), source–event–target triples
// on PLOVER_GSR_CAMEO.json, and the throughput of `./bin/parley code-events --jsonl`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataDir } from '../src/analyze/lexicons.js';
import { codeEvent, codeTokens, tokenize, tokenRange, type CodeResult } from '../src/analyze/events/coder.js';
import { loadEventLexicon, type EventLexicon } from '../src/analyze/events/lexicon.js';
import type { Token } from '../src/analyze/types.js';
import { segment } from '../src/analyze/segment.js';
import { findEvents } from '../src/analyze/events/index.js';
import { candidateActors, candidates, GSR_TO_MODEL, isHeldBack, ploverDataPresent, readGsr, readPlv, PLOVER_DIR, type GsrRecord, type PlvRow } from './events-data.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** PLV's YIELD label is right for either of its two current types. */
function rootLabel(event: string): string {
  return event === 'CONCEDE' || event === 'RETREAT' ? 'YIELD' : event;
}

interface Scores {
  n: number;
  root: number;
  macroF1: number;
  quad: number;
}

export function scorePlv(rows: PlvRow[], preds: string[], quads: number[]): Scores {
  let ok = 0;
  let okQuad = 0;
  const labels = [...new Set(rows.map((r) => r.gold))];
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  rows.forEach((r, i) => {
    const p = rootLabel(preds[i]!);
    if (p === r.gold) {
      ok++;
      tp.set(p, (tp.get(p) ?? 0) + 1);
    } else {
      fp.set(p, (fp.get(p) ?? 0) + 1);
      fn.set(r.gold, (fn.get(r.gold) ?? 0) + 1);
    }
    if (quads[i] === r.quad) okQuad++;
  });
  const f1s = labels.map((l) => {
    const t = tp.get(l) ?? 0;
    const prec = t + (fp.get(l) ?? 0) ? t / (t + (fp.get(l) ?? 0)) : 0;
    const rec = t + (fn.get(l) ?? 0) ? t / (t + (fn.get(l) ?? 0)) : 0;
    return prec + rec ? (2 * prec * rec) / (prec + rec) : 0;
  });
  return { n: rows.length, root: ok / rows.length, macroF1: f1s.reduce((a, b) => a + b, 0) / f1s.length, quad: okQuad / rows.length };
}

function codeRows(rows: PlvRow[], lex: EventLexicon): CodeResult[] {
  return rows.map((r) => {
    try {
      return codeEvent(r.sentence, r.source, r.target, lex);
    } catch {
      return { event: 'NONE', quad: 0, rule: 'error', score: 0 } as CodeResult;
    }
  });
}

/** Triples from the article stage (findEvents over candidate actors). */
function scoreArticleTriples(records: GsrRecord[], lex: EventLexicon): { p: number; r: number; f1: number; predicted: number; gold: number } {
  let predicted = 0;
  let correctEvents = 0;
  let found = 0;
  for (const g of records) {
    const doc = segment(g.text);
    const actors = candidateActors(g.text);
    const evs = findEvents(doc, actors, [], [], lex).filter((e) => !e.negated);
    predicted += evs.length;
    const goldType = rootLabel(GSR_TO_MODEL[g.event] === 'YIELD' ? 'RETREAT' : GSR_TO_MODEL[g.event] ?? g.event);
    const srcs = g.source.map((a) => a.actorText);
    const tgts = g.target.map((a) => a.actorText);
    const name = (id: string): string => id.replace(/^cand:/, '');
    let hit = false;
    for (const e of evs) {
      const ok = rootLabel(e.type) === goldType && e.source.some((s) => overlaps(name(s), srcs))
        && (tgts.length ? e.target.some((t) => overlaps(name(t), tgts)) : srcs.length > 1 ? e.source.length > 1 || e.target.some((t) => overlaps(name(t), srcs)) : true);
      if (ok) correctEvents++;
      hit ||= ok;
    }
    if (hit) found++;
  }
  const p = predicted ? correctEvents / predicted : 0;
  const r = found / records.length;
  return { p, r, f1: p + r ? (2 * p * r) / (p + r) : 0, predicted, gold: records.length };
}

export function overlaps(a: string, gold: string[]): boolean {
  const x = a.toLowerCase();
  return gold.some((g) => {
    const y = g.toLowerCase();
    return y.includes(x) || x.includes(y);
  });
}

/** Triple P/R/F1: for each record, the best-scoring candidate pair is the system's one triple. */
function scoreTriples(records: GsrRecord[], lex: EventLexicon): { p: number; r: number; f1: number; predicted: number; gold: number; eventOnly: number } {
  let correct = 0;
  let predicted = 0;
  let eventOk = 0;
  for (const g of records) {
    const toks: Token[] = tokenize(g.text);
    const cands = candidates(g.text);
    let best: { s: string; t: string; res: CodeResult } | null = null;
    for (const s of cands) for (const t of cands) {
      if (s === t) continue;
      const res = codeTokens(toks, tokenRange(toks, s), tokenRange(toks, t), lex);
      if (res.event === 'NONE') continue;
      if (!best || res.score > best.res.score) best = { s: s.text, t: t.text, res };
    }
    if (!best) continue;
    predicted++;
    const goldType = GSR_TO_MODEL[g.event] ?? g.event;
    const evOk = rootLabel(best.res.event) === rootLabel(goldType === 'YIELD' ? 'RETREAT' : goldType);
    if (evOk) eventOk++;
    const srcs = g.source.map((a) => a.actorText);
    const tgts = g.target.map((a) => a.actorText);
    // Records with no recipient: source and event decide; compound SRC/TAR: either side may be source.
    const srcOk = overlaps(best.s, srcs);
    const tgtOk = tgts.length ? overlaps(best.t, tgts) : srcs.length > 1 ? overlaps(best.t, srcs) : true;
    if (evOk && srcOk && tgtOk) correct++;
  }
  const p = predicted ? correct / predicted : 0;
  const r = correct / records.length;
  return { p, r, f1: p + r ? (2 * p * r) / (p + r) : 0, predicted, gold: records.length, eventOnly: eventOk / records.length };
}

/** Codes rows through `./bin/parley code-events --jsonl` (one process for the whole batch), or null if not built. */
function codeViaCli(rows: PlvRow[]): Array<{ event: string; quad: number }> | null {
  if (!existsSync(path.join(root, 'dist', 'src', 'cli', 'commands', 'code-events.js'))) return null;
  const input = rows.map((r, i) => JSON.stringify({ id: i, sentence: r.sentence, source: r.source, target: r.target })).join('\n') + '\n';
  const res = spawnSync(path.join(root, 'bin', 'parley'), ['code-events', '--jsonl'], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (res.status !== 0) throw new Error(`code-events failed: ${res.stderr}`);
  return res.stdout.trim().split('\n').map((l) => {
    const o = JSON.parse(l) as { event?: string; quad?: number };
    return { event: o.event ?? 'NONE', quad: o.quad ?? 0 };
  });
}

function fmt(s: Scores): string {
  return `n=${s.n}  root accuracy ${s.root.toFixed(3)}  macro-F1 ${s.macroF1.toFixed(3)}  quad accuracy ${s.quad.toFixed(3)}`;
}

function main(): void {
  if (!ploverDataPresent()) {
    process.stdout.write(`eval:events skipped: ${PLOVER_DIR}/PLV_train.tsv not found\n`);
    return;
  }
  const lex = loadEventLexicon(dataDir());
  if (!lex.model) process.stdout.write('note: data/events/model.json missing — patterns only (run npm run train:events)\n');
  const rows = readPlv();
  const held = rows.filter((r) => isHeldBack(r.sentenceId));
  const trainPart = rows.filter((r) => !isHeldBack(r.sentenceId));
  const cliHeld = codeViaCli(held);
  const heldPred = cliHeld ?? codeRows(held, lex);
  const trainPred = codeRows(trainPart, lex);
  process.stdout.write(`scored through: ${cliHeld ? './bin/parley code-events --jsonl' : 'in-process codeEvent (CLI not built: npx tsc -p .)'}\n`);
  if (cliHeld) {
    const inProc = codeRows(held, lex);
    const same = inProc.filter((p, i) => p.event === cliHeld[i]!.event).length;
    process.stdout.write(`CLI and in-process coder agree on ${same}/${held.length} held-back rows\n`);
  }
  process.stdout.write(`PLV held-back (sha256(sentence_id)[0:8] % 5 == 0): ${fmt(scorePlv(held, heldPred.map((p) => p.event), heldPred.map((p) => p.quad)))}\n`);
  process.stdout.write(`PLV train part (reference, trained on): ${fmt(scorePlv(trainPart, trainPred.map((p) => p.event), trainPred.map((p) => p.quad)))}\n`);
  const gsr = readGsr();
  const gHeld = gsr.filter((g) => isHeldBack(g.id));
  const tHeld = scoreTriples(gHeld, lex);
  const tAll = scoreTriples(gsr, lex);
  const tf = (t: ReturnType<typeof scoreTriples>): string => `P ${t.p.toFixed(3)}  R ${t.r.toFixed(3)}  F1 ${t.f1.toFixed(3)}  (gold ${t.gold}, predicted ${t.predicted}; event-only accuracy ${t.eventOnly.toFixed(3)})`;
  process.stdout.write(`GSR triples (sentence coder, best-scoring candidate pair), held-back records: ${tf(tHeld)}\n`);
  process.stdout.write(`GSR triples, all records (80% trained on): ${tf(tAll)}\n`);
  const af = (t: ReturnType<typeof scoreArticleTriples>): string => `P ${t.p.toFixed(3)}  R ${t.r.toFixed(3)}  F1 ${t.f1.toFixed(3)}  (gold ${t.gold}, predicted events ${t.predicted})`;
  process.stdout.write(`GSR triples via findEvents (article path, candidate actors), held-back: ${af(scoreArticleTriples(gHeld, lex))}\n`);
  process.stdout.write(`GSR triples via findEvents, all records: ${af(scoreArticleTriples(gsr, lex))}\n`);
}

main();
