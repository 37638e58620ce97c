// Duplicate detection for ingest: canonical URLs, exact text hashes, and near-duplicates across
// outlets (wire copies, re-edits) with MinHash over word shingles and LSH banding.
// Written here rather than taken from a package: the few MinHash packages on npm are unmaintained
// or random-seeded, and we need determinism and a memory bound the store can rely on.
import { createHash } from 'node:crypto';

/** Query parameters that only track campaigns or clicks and never change the page. */
const TRACKING_PARAM = /^(utm_[a-z_]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|yclid|_ga|_gl|ref|ref_src|cmpid|ocid|smid|at_medium|at_campaign|src|ito|taid|ns_mchannel|ns_campaign|guccounter|sh|cmp)$/i;

/**
 * The canonical form of an article URL, for equality: lower-case scheme and host, no "www.",
 * no default port, no fragment, no tracking parameters, remaining parameters sorted, no trailing
 * slash (except the root), no "index.html". Returns the input unchanged when it is not a URL.
 */
export function canonicalizeUrl(input: string): string {
  let u: URL;
  try {
    u = new URL(input.trim());
  } catch {
    return input.trim();
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return u.href;
  u.hash = '';
  u.hostname = u.hostname.toLowerCase().replace(/^www\./, '').replace(/\.$/, '');
  if ((u.protocol === 'http:' && u.port === '80') || (u.protocol === 'https:' && u.port === '443')) u.port = '';
  const params = [...u.searchParams.entries()].filter(([k]) => !TRACKING_PARAM.test(k));
  params.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  u.search = params.length ? `?${new URLSearchParams(params).toString()}` : '';
  let p = u.pathname.replace(/\/{2,}/g, '/').replace(/\/index\.(html?|php)$/i, '/');
  if (p.length > 1) p = p.replace(/\/+$/, '');
  u.pathname = p;
  // http and https serve the same article; key both as https.
  return u.href.replace(/^http:/, 'https:');
}

/** Text normalised for exact-duplicate hashing: case, whitespace, quote and dash variants folded. */
export function normaliseForHash(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u201a\u201b\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u2033]/g, '"')
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Hex SHA-256 of the normalised text (full length). */
export function textHash(text: string): string {
  return hashNormalised(normaliseForHash(text));
}

/** textHash of a text already passed through normaliseForHash (callers that also minhash it normalise once). */
export function hashNormalised(normalised: string): string {
  return createHash('sha256').update(normalised).digest('hex');
}

/** Stable short id (16 hex) of any string. */
export function shortHash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 16);
}

/** Words per shingle: 4 keeps a re-edit of a few words from breaking many shingles. */
export const SHINGLE_WORDS = 4;
/** MinHash signature length; the Jaccard estimate's standard error is about 1/sqrt(64) ≈ 0.06 at worst. */
export const MINHASH_SIZE = 64;
/** LSH bands × rows = MINHASH_SIZE. 16 × 4 finds pairs at Jaccard 0.8 with probability ≈ 0.9998. */
export const LSH_BANDS = 16;
export const LSH_ROWS = MINHASH_SIZE / LSH_BANDS;
/** Estimated shingle Jaccard at or above which a text is a near-duplicate of an earlier one. */
export const NEAR_DUP_THRESHOLD = 0.7;
/**
 * A shorter text whose shingles lie at least this share inside a longer one is also a near-duplicate
 * (a wire copy trimmed by an outlet), when it is at least MIN_CONTAINED_SIZE_RATIO of the longer's size.
 */
export const CONTAINMENT_THRESHOLD = 0.9;
export const MIN_CONTAINED_SIZE_RATIO = 0.5;
/**
 * Default number of texts an index keeps; the oldest are forgotten past it. Each costs ≈ 1.3 KiB
 * (measured with `npm run bench:dedup`), so the default bounds the index at ≈ 64 MiB.
 */
export const NEAR_DUP_CAPACITY = 50_000;
/** Texts with fewer shingles than this are too short to call near-duplicates (exact hashing still applies). */
export const MIN_SHINGLES = 8;

// Deterministic per-position seeds (a fixed splitmix-style sequence: no randomness across runs).
const SEEDS = (() => {
  const s = new Uint32Array(MINHASH_SIZE);
  let x = 0x9e3779b9;
  for (let i = 0; i < MINHASH_SIZE; i++) {
    x = (x + 0x6d2b79f5) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    s[i] = (z ^ (z >>> 14)) >>> 0;
  }
  return s;
})();

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function mix(h: number, seed: number): number {
  // murmur3 fmix32 of (h xor seed): a cheap, well-spread 32-bit permutation per seed.
  let z = (h ^ seed) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Word shingles of a text, hashed to 32 bits (a set). */
export function shingleHashes(text: string): Set<number> {
  return shinglesOfNormalised(normaliseForHash(text));
}

function shinglesOfNormalised(normalised: string): Set<number> {
  const words = normalised.match(/[\p{L}\p{N}]+/gu) ?? [];
  const out = new Set<number>();
  if (words.length < SHINGLE_WORDS) {
    if (words.length) out.add(fnv1a(words.join(' ')));
    return out;
  }
  for (let i = 0; i + SHINGLE_WORDS <= words.length; i++) out.add(fnv1a(words.slice(i, i + SHINGLE_WORDS).join(' ')));
  return out;
}

/** A MinHash signature and the number of distinct shingles it summarises. */
export interface MinHash {
  sig: Uint32Array;
  shingles: number;
}

/** MinHash signature of a text (MINHASH_SIZE unsigned 32-bit values). */
export function minhash(text: string): MinHash {
  return minhashNormalised(normaliseForHash(text));
}

/** minhash of a text already passed through normaliseForHash. */
export function minhashNormalised(normalised: string): MinHash {
  const sh = shinglesOfNormalised(normalised);
  const sig = new Uint32Array(MINHASH_SIZE).fill(0xffffffff);
  for (const h of sh) {
    for (let i = 0; i < MINHASH_SIZE; i++) {
      const v = mix(h, SEEDS[i]!);
      if (v < sig[i]!) sig[i] = v;
    }
  }
  return { sig, shingles: sh.size };
}

/** Bytes of an encoded MinHash: the shingle count, then the signature (little-endian 32-bit words). */
export const MINHASH_BYTES = 4 * (1 + MINHASH_SIZE);

/** A MinHash as bytes, to store with its article (the near-duplicate index is rebuilt from them). */
export function encodeMinHash(m: MinHash): Uint8Array {
  const out = new Uint8Array(MINHASH_BYTES);
  const v = new DataView(out.buffer);
  v.setUint32(0, m.shingles, true);
  for (let i = 0; i < MINHASH_SIZE; i++) v.setUint32(4 * (i + 1), m.sig[i]!, true);
  return out;
}

/** The MinHash encoded by encodeMinHash, or null when the bytes are not one. */
export function decodeMinHash(bytes: Uint8Array): MinHash | null {
  if (bytes.length !== MINHASH_BYTES) return null;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sig = new Uint32Array(MINHASH_SIZE);
  for (let i = 0; i < MINHASH_SIZE; i++) sig[i] = v.getUint32(4 * (i + 1), true);
  return { sig, shingles: v.getUint32(0, true) };
}

/** Estimated Jaccard similarity of two signatures. */
export function similarity(a: Uint32Array, b: Uint32Array): number {
  let eq = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) eq++;
  return eq / a.length;
}

/** Whether the smaller of two shingle sets lies (by the Jaccard estimate) almost wholly inside the larger. */
function contained(jaccard: number, a: number, b: number): boolean {
  const small = Math.min(a, b);
  const large = Math.max(a, b);
  if (small < MIN_CONTAINED_SIZE_RATIO * large) return false;
  // |A∩B| = J·|A∪B| and |A∪B| = |A|+|B|−|A∩B|, so |A∩B| = J(|A|+|B|)/(1+J).
  const inter = (jaccard * (a + b)) / (1 + jaccard);
  return inter / small >= CONTAINMENT_THRESHOLD;
}

function bandKey(sig: Uint32Array, band: number): number {
  let h = 0x811c9dc5 ^ band;
  for (let r = band * LSH_ROWS; r < (band + 1) * LSH_ROWS; r++) {
    h = Math.imul(h ^ sig[r]!, 0x01000193);
  }
  // Band index folded in so equal rows in different bands never share a bucket.
  return ((h >>> 0) * LSH_BANDS + band) % 0x1fffffffffffff;
}

export interface NearDupResult {
  /** The earlier text this one duplicates, when similarity ≥ threshold. */
  duplicateOf?: string;
  /** Highest estimated Jaccard similarity to any earlier text among LSH candidates (0 when none). */
  similarity: number;
}

export interface NearDupOptions {
  threshold?: number;
  /** Most texts kept; past it the oldest are evicted (FIFO), bounding memory at ≈ capacity × 1.3 KiB. */
  capacity?: number;
}

/**
 * An index of earlier texts for near-duplicate lookup. Deterministic: the same sequence of `add`
 * calls gives the same answers (ties go to the earliest text). Memory is bounded by `capacity`
 * entries of one signature (256 bytes) plus LSH_BANDS bucket slots each (≈ 1.3 KiB in all).
 */
export class NearDupIndex {
  readonly threshold: number;
  readonly capacity: number;
  // A bucket holds one entry's number until a second arrives (most buckets never get one): this
  // halves the memory of an array per bucket.
  private readonly buckets = new Map<number, number | number[]>();
  private readonly entries = new Map<number, { id: string; sig: Uint32Array; keys: Float64Array; shingles: number }>();
  private seq = 0;
  private oldest = 0;

  constructor(opts: NearDupOptions = {}) {
    this.threshold = opts.threshold ?? NEAR_DUP_THRESHOLD;
    this.capacity = opts.capacity ?? NEAR_DUP_CAPACITY;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Find the best earlier match for a text without adding it. */
  query(text: string): NearDupResult {
    return this.match(minhash(text));
  }

  private match(m: MinHash): NearDupResult {
    if (m.shingles < MIN_SHINGLES) return { similarity: 0 };
    const seen = new Set<number>();
    let best: { seq: number; sim: number; dup: boolean } | undefined;
    for (let b = 0; b < LSH_BANDS; b++) {
      const bucket = this.buckets.get(bandKey(m.sig, b));
      if (bucket === undefined) continue;
      for (const s of typeof bucket === 'number' ? [bucket] : bucket) {
        if (seen.has(s)) continue;
        seen.add(s);
        const e = this.entries.get(s);
        if (!e) continue;
        const sim = similarity(m.sig, e.sig);
        const dup = sim >= this.threshold || contained(sim, m.shingles, e.shingles);
        // Prefer a real duplicate, then the higher similarity, then the earlier text.
        if (!best || (dup && !best.dup) || (dup === best.dup && (sim > best.sim || (sim === best.sim && s < best.seq)))) best = { seq: s, sim, dup };
      }
    }
    if (!best) return { similarity: 0 };
    const res: NearDupResult = { similarity: best.sim };
    if (best.dup) res.duplicateOf = this.entries.get(best.seq)!.id;
    return res;
  }

  /**
   * Look a text up, then remember it under `id` — unless it is a duplicate, which is linked to its
   * original and not indexed (so chains of copies all point at the first).
   */
  add(id: string, text: string): NearDupResult {
    return this.addMinHash(id, minhash(text));
  }

  /** add() for a text whose MinHash is already known (computed once, or saved with the article). */
  addMinHash(id: string, m: MinHash): NearDupResult {
    const res = this.match(m);
    if (res.duplicateOf || m.shingles < MIN_SHINGLES) return res;
    const s = this.seq++;
    const keys = new Float64Array(LSH_BANDS);
    for (let b = 0; b < LSH_BANDS; b++) {
      const k = bandKey(m.sig, b);
      keys[b] = k;
      const cur = this.buckets.get(k);
      if (cur === undefined) this.buckets.set(k, s);
      else if (typeof cur === 'number') this.buckets.set(k, [cur, s]);
      else cur.push(s);
    }
    this.entries.set(s, { id, sig: m.sig, keys, shingles: m.shingles });
    while (this.entries.size > this.capacity) this.evict();
    return res;
  }

  private evict(): void {
    while (!this.entries.has(this.oldest)) this.oldest++;
    const e = this.entries.get(this.oldest)!;
    for (const k of e.keys) {
      const cur = this.buckets.get(k);
      if (cur === undefined) continue;
      if (typeof cur === 'number') {
        if (cur === this.oldest) this.buckets.delete(k);
        continue;
      }
      const i = cur.indexOf(this.oldest);
      if (i >= 0) cur.splice(i, 1);
      if (cur.length === 1) this.buckets.set(k, cur[0]!);
      else if (!cur.length) this.buckets.delete(k);
    }
    this.entries.delete(this.oldest);
    this.oldest++;
  }
}

/** Why an article was found to duplicate an earlier one. */
export type DuplicateReason = 'url' | 'text' | 'near';

export interface DedupVerdict {
  /** Id of the earlier article this one duplicates (link to it; do not analyse this one again). */
  duplicateOf?: string;
  reason?: DuplicateReason;
  /** 1 for URL and exact-text duplicates; the MinHash estimate for near-duplicates; else the best seen. */
  similarity: number;
}

/** A Map that forgets its oldest keys past a capacity (insertion order), for bounded memory. */
class BoundedMap<V> {
  private readonly m = new Map<string, V>();
  constructor(private readonly capacity: number) {}
  get(k: string): V | undefined {
    return this.m.get(k);
  }
  set(k: string, v: V): void {
    this.m.set(k, v);
    if (this.m.size > this.capacity) this.m.delete(this.m.keys().next().value as string);
  }
}

/**
 * The three checks in order — canonical URL, exact text hash, near-duplicate text — over one
 * bounded window of earlier articles (`capacity` of each kind, oldest forgotten first).
 * Deterministic for a given order of calls. Originals are remembered; duplicates are not.
 */
export class Deduper {
  private readonly urls: BoundedMap<string>;
  private readonly hashes: BoundedMap<string>;
  private readonly near: NearDupIndex;

  constructor(opts: NearDupOptions = {}) {
    const cap = opts.capacity ?? NEAR_DUP_CAPACITY;
    this.urls = new BoundedMap(cap);
    this.hashes = new BoundedMap(cap);
    this.near = new NearDupIndex(opts);
  }

  check(a: { id: string; url?: string; canonicalUrl?: string; text: string }): DedupVerdict {
    const u = a.canonicalUrl ?? a.url;
    const key = u ? canonicalizeUrl(u) : undefined;
    if (key) {
      const prev = this.urls.get(key);
      if (prev !== undefined && prev !== a.id) return { duplicateOf: prev, reason: 'url', similarity: 1 };
    }
    const h = textHash(a.text);
    const same = this.hashes.get(h);
    if (same !== undefined && same !== a.id) return { duplicateOf: same, reason: 'text', similarity: 1 };
    const n = this.near.add(a.id, a.text);
    if (n.duplicateOf !== undefined && n.duplicateOf !== a.id) return { duplicateOf: n.duplicateOf, reason: 'near', similarity: n.similarity };
    if (key) this.urls.set(key, a.id);
    this.hashes.set(h, a.id);
    return { similarity: n.similarity };
  }
}
