// Readers for the shared PLOVER data (PLV_train.tsv, PLOVER_GSR_CAMEO.json) and the one fixed
// train/held-back split used by scripts/train-events.ts and eval/events.ts. Never copies the data.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Actor } from '../src/analyze/types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** ../shared/data/plover relative to the repository root (works from eval/ and dist/eval/). */
export const PLOVER_DIR = process.env.PARLEY_PLOVER_DIR ?? path.resolve(here, here.includes(`${path.sep}dist${path.sep}`) ? '../../../shared/data/plover' : '../../shared/data/plover');

/**
 * The split rule, fixed once: a row is held back when the first 8 hex digits of
 * sha256(sentence_id) (GSR: sha256(id)) read as an integer are ≡ 0 (mod 5) — about 20%.
 */
export const HOLDOUT_MODULUS = 5;
export function isHeldBack(key: string): boolean {
  const h = parseInt(createHash('sha256').update(key).digest('hex').slice(0, 8), 16);
  return h % HOLDOUT_MODULUS === 0;
}

export interface PlvRow {
  sentenceId: string;
  sentence: string;
  source: string;
  target: string;
  /** YIELD stands for CONCEDE+RETREAT. */
  gold: string;
  quad: number;
}

export function ploverDataPresent(): boolean {
  return existsSync(path.join(PLOVER_DIR, 'PLV_train.tsv'));
}

/** PLV_train.tsv rows. Only sentence, source, target and the gold columns are read. */
export function readPlv(file = path.join(PLOVER_DIR, 'PLV_train.tsv')): PlvRow[] {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());
  const head = lines[0]!.split('\t');
  const col = (n: string): number => head.indexOf(n);
  const [iId, iS, iSrc, iTgt, iGold, iPenta] = ['sentence_id', 'sentence', 'source', 'target', 'gold_root', 'gold_penta'].map(col);
  return lines.slice(1).map((l) => {
    const c = l.split('\t');
    return { sentenceId: c[iId!]!, sentence: c[iS!]!, source: c[iSrc!]!.trim(), target: c[iTgt!]!.trim(), gold: c[iGold!]!, quad: Number(c[iPenta!]) };
  });
}

export interface GsrActor {
  actorText: string;
  code?: string;
}
export interface GsrRecord {
  id: string;
  event: string;
  text: string;
  source: GsrActor[];
  target: GsrActor[];
}

/** PLOVER_GSR_CAMEO.json records, DOCUMENT entries dropped, actors normalised to lists. */
export function readGsr(file = path.join(PLOVER_DIR, 'PLOVER_GSR_CAMEO.json')): GsrRecord[] {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Array<Record<string, unknown>>;
  const list = (v: unknown): GsrActor[] => (Array.isArray(v) ? (v as GsrActor[]).filter((a) => a && typeof a.actorText === 'string') : []);
  return raw
    .filter((r) => r.event !== 'DOCUMENT' && typeof r.text === 'string')
    .map((r) => ({ id: String(r.id), event: String(r.event), text: String(r.text), source: list(r.source), target: list(r.target) }));
}

/** Older GSR names and the merged PLV label, as the manual's ch. 7 maps them (model label space). */
export const GSR_TO_MODEL: Record<string, string> = {
  DEMAND: 'REQUEST', DISAPPROVE: 'ACCUSE', INVESTIGATE: 'ACCUSE', FIGHT: 'ASSAULT', CONCEDE: 'YIELD', RETREAT: 'YIELD',
};
export function gsrModelLabel(event: string): string {
  return GSR_TO_MODEL[event] ?? event;
}

/** A training/eval pair from a GSR record: first source → first target (or second source). */
export function gsrPair(r: GsrRecord): { sentence: string; source: string; target: string } | null {
  const src = r.source[0]?.actorText;
  const tgt = r.target[0]?.actorText ?? r.source[1]?.actorText;
  if (!src || !tgt || !r.text.includes(src) || !r.text.includes(tgt) || src === tgt) return null;
  return { sentence: r.text, source: src, target: tgt };
}

// Candidate actors for the triple task: runs of capitalised words, plus demonyms, as spans.
const CAND_RE = /\b(?:[A-Z][\p{L}.'’-]*|of|the|for|and|al|de)(?:\s+(?:[A-Z][\p{L}.'’-]*|of|the|for|al|de))*/gu;
export function candidates(text: string): Array<{ start: number; end: number; text: string }> {
  const out: Array<{ start: number; end: number; text: string }> = [];
  for (const m of text.matchAll(CAND_RE)) {
    let s = m[0];
    let start = m.index!;
    // Trim lower-case glue words at the edges.
    const lead = /^(?:(?:of|the|for|and|al|de)\s+)+/.exec(s);
    if (lead) { start += lead[0].length; s = s.slice(lead[0].length); }
    s = s.replace(/(?:\s+(?:of|the|for|and|al|de))+$/, '');
    if (!/^[A-Z]/.test(s) || s.length < 2) continue;
    if (/^(?:The|A|An|In|On|At|But|And|It|He|She|They|This|That|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December)$/.test(s)) continue;
    out.push({ start, end: start + s.length, text: s });
  }
  return out;
}

/** Common-noun heads that name actors in news ("police", "rebels"), with the words before them. */
const ACTOR_NOUN_RE = /\b(?:[A-Z][\p{L}'’.-]*\s+)*(?:[a-z-]+\s+){0,2}(?:police|troops|soldiers|army|forces|government|officials|rebels|militants|protesters|demonstrators|students|workers|court|judge|parliament|president|minister|leaders?|authorities|guerrillas|insurgents|fighters|villagers|residents|opposition|party|ministry|embassy|diplomats|negotiators|gunmen|prosecutors)\b/gu;

/** Pseudo-actors for a GSR sentence (the actors stage is not what is measured here). */
export function candidateActors(text: string): Actor[] {
  const spans = candidates(text);
  for (const m of text.matchAll(ACTOR_NOUN_RE)) {
    const start = m.index!;
    const lead = /^(?:the|a|an)\s+/i.exec(m[0]);
    const s = lead ? start + lead[0].length : start;
    spans.push({ start: s, end: start + m[0].length, text: text.slice(s, start + m[0].length) });
  }
  // Longest span wins an overlap.
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: typeof spans = [];
  for (const sp of spans) {
    const last = kept[kept.length - 1];
    if (last && sp.start < last.end) {
      if (sp.end - sp.start > last.end - last.start) kept[kept.length - 1] = sp;
      continue;
    }
    kept.push(sp);
  }
  const byName = new Map<string, Actor>();
  for (const sp of kept) {
    const a = byName.get(sp.text) ?? { id: `cand:${sp.text}`, name: sp.text, kind: 'group' as const, mentions: [] };
    a.mentions.push({ start: sp.start, end: sp.end, type: 'name', rule: 'eval-candidate' });
    byName.set(sp.text, a);
  }
  return [...byName.values()];
}

