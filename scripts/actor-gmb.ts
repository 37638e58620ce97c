// Reads the GMB named-entity corpus (../shared/data/gmb/ner_dataset.csv.zip) for the actor tagger's
// training script and evaluation. The zip is read in place; nothing is copied into the repository.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

/** Sentence-number ranges (inclusive). Contiguous ranges keep an article's sentences together. */
export const TRAIN_RANGE: [number, number] = [1, 36000];
/** Used to choose the number of epochs and the pruning threshold. */
export const DEV_RANGE: [number, number] = [36001, 40000];
/** Held out: only the evaluation reads it, nothing is tuned on it. */
export const TEST_RANGE: [number, number] = [40001, Number.MAX_SAFE_INTEGER];

export interface GmbSentence {
  n: number;
  words: string[];
  /** BIO labels over per/org/geo/gpe; GMB's other types (tim, art, eve, nat) become O. */
  labels: string[];
}

const KEPT = new Set(['per', 'org', 'geo', 'gpe']);

export function gmbPath(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // Runs from scripts/ (tsx) or dist/scripts/ (compiled).
  const root = here.includes(`${path.sep}dist${path.sep}`) ? path.resolve(here, '../..') : path.resolve(here, '..');
  return path.resolve(root, '../shared/data/gmb/ner_dataset.csv.zip');
}

/** Inflate the single CSV entry of the zip (located through the central directory). */
function unzipSingle(buf: Buffer): Buffer {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip file');
  const cd = buf.readUInt32LE(eocd + 16);
  const method = buf.readUInt16LE(cd + 10);
  const csize = buf.readUInt32LE(cd + 20);
  const local = buf.readUInt32LE(cd + 42);
  const nameLen = buf.readUInt16LE(local + 26);
  const extraLen = buf.readUInt16LE(local + 28);
  const data = buf.subarray(local + 30 + nameLen + extraLen, local + 30 + nameLen + extraLen + csize);
  return method === 0 ? Buffer.from(data) : zlib.inflateRawSync(data);
}

/** Split one CSV line into fields (double-quoted fields may hold commas and doubled quotes). */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let v = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') { v += '"'; i += 2; }
        else if (line[i] === '"') { i++; break; }
        else v += line[i++];
      }
      out.push(v);
      i++; // comma
    } else {
      const j = line.indexOf(',', i);
      const e = j < 0 ? line.length : j;
      out.push(line.slice(i, e));
      i = e + 1;
    }
  }
  return out;
}

/** All sentences of the corpus, or null when the shared data is absent. */
export function readGmb(file = gmbPath()): GmbSentence[] | null {
  if (!fs.existsSync(file)) return null;
  const text = unzipSingle(fs.readFileSync(file)).toString('latin1');
  const lines = text.split(/\r?\n/);
  const out: GmbSentence[] = [];
  let cur: GmbSentence | null = null;
  for (let li = 1; li < lines.length; li++) {
    const line = lines[li]!;
    if (!line) continue;
    const f = csvFields(line);
    if (f.length < 4) continue;
    const m = /^Sentence: (\d+)/.exec(f[0]!);
    if (m) {
      cur = { n: Number(m[1]), words: [], labels: [] };
      out.push(cur);
    }
    if (!cur) continue;
    const tag = f[3]!;
    cur.words.push(f[1]!);
    cur.labels.push(tag !== 'O' && KEPT.has(tag.slice(2)) ? tag : 'O');
  }
  return out;
}

export function inRange(s: GmbSentence, r: [number, number]): boolean {
  return s.n >= r[0] && s.n <= r[1];
}
