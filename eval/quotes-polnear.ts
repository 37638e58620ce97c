// Reads PolNeAR (../shared/data/polnear): article texts and brat standoff attributions. Used by the
// quote evaluation, the trainer and the accuracy-floor test; the data is read in place, never copied.
import fs from 'node:fs';
import path from 'node:path';
import type { Span } from '../src/analyze/types.js';

/** Where the shared corpus lives, relative to the repository root. */
export const POLNEAR_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../shared/data/polnear');

export interface GoldAttribution {
  content: Span[];
  cue: Span[];
  source: Span[];
}

export interface GoldArticle {
  name: string;
  text: string;
  /** The .ann file used (the lexicographically first annotator's). */
  annFile: string;
  attributions: GoldAttribution[];
}

export function polnearAvailable(dir: string = POLNEAR_DIR): boolean {
  return fs.existsSync(path.join(dir, 'dev', 'text'));
}

function parseSpans(s: string): Span[] {
  return s.split(';').map((p) => {
    const [a, b] = p.trim().split(/\s+/);
    return { start: Number(a), end: Number(b) };
  });
}

/** Parse one brat file: text-bound annotations plus the E lines that tie Content, Cue and Source together. */
export function parseAnn(ann: string): GoldAttribution[] {
  const spans = new Map<string, Span[]>();
  const out: GoldAttribution[] = [];
  const events: string[] = [];
  for (const line of ann.split('\n')) {
    if (line.startsWith('T')) {
      const [id, mid] = line.split('\t');
      if (!id || !mid) continue;
      const sp = mid.indexOf(' ');
      spans.set(id, parseSpans(mid.slice(sp + 1)));
    } else if (line.startsWith('E')) events.push(line);
  }
  for (const line of events) {
    const args = (line.split('\t')[1] ?? '').trim().split(/\s+/);
    const a: GoldAttribution = { content: [], cue: [], source: [] };
    for (const arg of args) {
      const [role, ref] = arg.split(':');
      const sp = ref ? spans.get(ref) : undefined;
      if (!role || !sp) continue;
      if (role === 'Content' || role === 'Content2') a.content.push(...sp);
      else if (role === 'Cue') a.cue.push(...sp);
      else if (role === 'Source') a.source.push(...sp);
    }
    if (a.content.length) {
      a.content.sort((x, y) => x.start - y.start);
      out.push(a);
    }
  }
  return out;
}

/**
 * All articles of a split, sorted by name; `limit` keeps the first N. An article annotated by
 * several annotators uses the lexicographically first annotator's file.
 */
export function loadSplit(split: 'train' | 'dev', limit = Infinity, dir: string = POLNEAR_DIR): GoldArticle[] {
  const textDir = path.join(dir, split, 'text');
  const annDir = path.join(dir, split, 'attributions');
  const anns = fs.readdirSync(annDir).filter((f) => f.endsWith('.ann')).sort();
  const out: GoldArticle[] = [];
  for (const f of fs.readdirSync(textDir).filter((f) => f.endsWith('.txt')).sort()) {
    if (out.length >= limit) break;
    const name = f.slice(0, -4);
    const mine = anns.filter((a) => a.startsWith(name + '_') && !a.slice(name.length + 1, -4).includes('_'));
    if (!mine.length) continue;
    const text = fs.readFileSync(path.join(textDir, f), 'utf8');
    const annFile = mine[0]!;
    out.push({ name, text, annFile, attributions: parseAnn(fs.readFileSync(path.join(annDir, annFile), 'utf8')) });
  }
  return out;
}
