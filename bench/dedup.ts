// `npm run bench:dedup`: NearDupIndex throughput and memory as the library grows. Adds N synthetic
// ~300-word articles (deterministic; every 10th a re-edited copy of an earlier one) to an index with
// a capacity below N, and reports adds/s, duplicates found and heap growth per kept entry.
import { NearDupIndex } from '../src/ingest/dedup.js';

const N = Number(process.argv[2] ?? 60_000);
const CAPACITY = Number(process.argv[3] ?? 50_000);
const WORDS = 300;

// Small deterministic PRNG (mulberry32) so every run indexes the same texts.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const VOCAB = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}`);
function article(i: number): string {
  const r = rng(i + 1);
  return Array.from({ length: WORDS }, () => VOCAB[Math.floor(r() * VOCAB.length)]).join(' ');
}

const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const heap0 = process.memoryUsage().heapUsed;
const idx = new NearDupIndex({ capacity: CAPACITY });
let dups = 0;
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  let text = article(i);
  if (i % 10 === 9) text = article(i - 5).replace(/^(\S+ ){5}/, 'edited lead words here ');
  if (idx.add(`a${i}`, text).duplicateOf) dups++;
}
const secs = (performance.now() - t0) / 1000;
gc?.();
const heap = process.memoryUsage().heapUsed - heap0;
console.log(`NearDupIndex: ${N} articles of ${WORDS} words, capacity ${CAPACITY}`);
console.log(`  ${(N / secs).toFixed(0)} adds/s (${secs.toFixed(1)} s), ${dups} near-duplicates found (expected ${Math.floor(N / 10)})`);
console.log(`  kept ${idx.size} entries; heap growth ${(heap / 1048576).toFixed(1)} MiB = ${(heap / idx.size / 1024).toFixed(2)} KiB per entry${gc ? '' : ' (run with --expose-gc for a settled figure)'}`);
console.log(`  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
