// Safe, polite HTTP(S) fetching for ingest: connect and total timeouts, a streamed size cap,
// content-type checks, bounded redirects (each hop re-checked), a clear User-Agent, conditional GET
// and per-host rate limits; private, loopback, link-local and unique-local addresses are refused
// after DNS resolution unless `allowPrivate` is set. Built on node:http(s) so the resolved address
// can be checked at connect time (no second lookup an attacker could race).
import http from 'node:http';
import https from 'node:https';
import dns from 'node:dns';
import net from 'node:net';
import zlib from 'node:zlib';
import type { Readable } from 'node:stream';
import { MAX_PAGE_BYTES } from './limits.js';
import { looksBinary } from './decode.js';

/** Sent with every request so site owners can tell who is fetching. */
export const USER_AGENT = 'Parley/0.1 (+news-intelligence engine; polite fetcher, one request per host per second)';
/** Time allowed to open the connection (DNS + TCP + TLS), milliseconds. */
export const CONNECT_TIMEOUT_MS = 10_000;
/** Time allowed for the whole exchange, redirects included, milliseconds. */
export const TOTAL_TIMEOUT_MS = 30_000;
/** Redirect hops followed before giving up. */
export const MAX_REDIRECTS = 5;
/** Default gap between two requests to the same host, milliseconds. */
export const HOST_MIN_INTERVAL_MS = 1000;

export type FetchErrorCode =
  | 'bad-url'
  | 'private-address'
  | 'dns'
  | 'timeout'
  | 'too-large'
  | 'content-type'
  | 'binary'
  | 'redirect-loop'
  | 'too-many-redirects'
  | 'http-status'
  | 'network';

export class FetchError extends Error {
  constructor(
    public readonly code: FetchErrorCode,
    message: string,
    public readonly url: string,
  ) {
    super(`${url}: ${message}`);
    this.name = 'FetchError';
  }
}

/** HTTP validators kept between runs so feeds can be polled with conditional GET. */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

/** Where validators live; the store can implement this to persist them. Methods may be async. */
export interface ValidatorCache {
  get(url: string): Validators | undefined | Promise<Validators | undefined>;
  set(url: string, v: Validators): void | Promise<void>;
}

export class MemoryValidatorCache implements ValidatorCache {
  private readonly map = new Map<string, Validators>();
  get(url: string): Validators | undefined {
    return this.map.get(url);
  }
  set(url: string, v: Validators): void {
    this.map.set(url, v);
  }
}

/** Spaces requests to one host at least `minIntervalMs` apart (slots are handed out in call order). */
export class HostRateLimiter {
  private readonly next = new Map<string, number>();
  constructor(public readonly minIntervalMs = HOST_MIN_INTERVAL_MS) {}
  async wait(host: string): Promise<void> {
    const now = Date.now();
    const slot = Math.max(now, this.next.get(host) ?? 0);
    this.next.set(host, slot + this.minIntervalMs);
    if (slot > now) await new Promise((r) => setTimeout(r, slot - now));
  }
}

/** Which content types a caller accepts. */
export type Accept = 'html' | 'feed' | 'any';
const ACCEPT_TYPES: Record<Exclude<Accept, 'any'>, RegExp> = {
  html: /^(text\/html|application\/xhtml\+xml)$/,
  feed: /^(application\/(rss\+xml|atom\+xml|rdf\+xml|xml|feed\+json|json|x-opml|opml)|text\/(xml|x-opml|plain|html))$/,
};

export interface FetchOptions {
  /** Allow private, loopback, link-local and unique-local addresses (default false). */
  allowPrivate?: boolean;
  connectTimeoutMs?: number;
  timeoutMs?: number;
  /** Largest body accepted after decompression (bytes). */
  maxBytes?: number;
  maxRedirects?: number;
  accept?: Accept;
  userAgent?: string;
  cache?: ValidatorCache;
  rateLimiter?: HostRateLimiter;
  /**
   * Past maxBytes, stop reading and return the first maxBytes with `truncated: true` instead of
   * failing (used for feeds, whose first items are still worth reading). Default false.
   */
  truncate?: boolean;
}

export interface FetchResult {
  /** The address asked for. */
  requestedUrl: string;
  /** The address the body came from, after redirects. */
  url: string;
  status: number;
  /** True on 304 Not Modified (conditional GET): `body` is empty. */
  notModified: boolean;
  contentType: string;
  body: Buffer;
  validators: Validators;
  /** The body was cut at maxBytes (only with `truncate`). */
  truncated?: boolean;
}

// Ranges never fetched unless allowPrivate: loopback, RFC 1918, CGNAT, link-local, unique-local,
// multicast, reserved, documentation/benchmark nets and "this host".
const BLOCKED = new net.BlockList();
for (const [a, p] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) BLOCKED.addSubnet(a, p, 'ipv4');
for (const [a, p] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8], ['2001:db8::', 32], ['100::', 64],
] as const) BLOCKED.addSubnet(a, p, 'ipv6');

/** The IPv4 address embedded in an IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible, NAT64 or 6to4 IPv6 address. */
function embeddedV4(addr: string): string | undefined {
  const a = addr.toLowerCase();
  const dotted = /^(?:::ffff:|::|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (dotted) return dotted[1];
  const groups = expandV6(a);
  if (!groups) return undefined;
  const v4 = (hi: number, lo: number): string => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zero = (n: number): boolean => groups.slice(0, n).every((g) => g === 0);
  if (zero(5) && groups[5] === 0xffff) return v4(groups[6]!, groups[7]!); // ::ffff:0:0/96
  if (zero(6) && (groups[6] !== 0 || groups[7]! > 1)) return v4(groups[6]!, groups[7]!); // ::a.b.c.d (deprecated)
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0)) return v4(groups[6]!, groups[7]!);
  if (groups[0] === 0x2002) return v4(groups[1]!, groups[2]!); // 6to4
  return undefined;
}

function expandV6(a: string): number[] | undefined {
  let s = a.split('%')[0]!;
  const m = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (m) {
    const p = m[1]!.split('.').map(Number);
    s = s.slice(0, -m[1]!.length) + `${((p[0]! << 8) | p[1]!).toString(16)}:${((p[2]! << 8) | p[3]!).toString(16)}`;
  }
  const [head, tail] = s.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail ? tail.split(':') : [];
  const fill = tail !== undefined ? 8 - h.length - t.length : 0;
  const all = [...h, ...Array(Math.max(0, fill)).fill('0'), ...t];
  if (all.length !== 8) return undefined;
  return all.map((g) => parseInt(g || '0', 16));
}

/** True when the address is private, loopback, link-local, unique-local or otherwise not public. */
export function isPrivateAddress(addr: string): boolean {
  const bare = addr.replace(/^\[|\]$/g, '');
  const fam = net.isIP(bare);
  if (fam === 4) return BLOCKED.check(bare, 'ipv4');
  if (fam === 6) {
    const v4 = embeddedV4(bare);
    if (v4) return BLOCKED.check(v4, 'ipv4');
    return BLOCKED.check(bare, 'ipv6');
  }
  return true; // not an address at all: refuse
}

type LookupCb = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: dns.LookupOptions, cb: LookupCb): void => {
    dns.lookup(hostname, { ...options, all: true }, (err, addrs) => {
      if (err) return cb(err, '');
      const list = addrs as dns.LookupAddress[];
      const bad = !allowPrivate ? list.find((a) => isPrivateAddress(a.address)) : undefined;
      if (bad) {
        const e = new Error(`refusing private address ${bad.address} for ${hostname}`) as NodeJS.ErrnoException;
        e.code = 'EPRIVATE';
        return cb(e, '');
      }
      if (options.all) cb(null, list);
      else cb(null, list[0]!.address, list[0]!.family);
    });
  };
}

function mediaType(ct: string): string {
  return ct.split(';')[0]!.trim().toLowerCase();
}

interface Hop {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  truncated?: boolean;
}

/** One request, no redirects followed. */
function request(url: URL, opts: Required<Pick<FetchOptions, 'allowPrivate' | 'connectTimeoutMs' | 'maxBytes' | 'userAgent' | 'truncate'>>, headers: Record<string, string>, deadline: number, accept: Accept): Promise<Hop> {
  return new Promise((resolve, reject) => {
    const fail = (code: FetchErrorCode, msg: string): void => {
      clearTimeout(connectTimer);
      clearTimeout(totalTimer);
      req.destroy();
      reject(new FetchError(code, msg, url.href));
    };
    const mod = url.protocol === 'https:' ? https : http;
    const req = mod.request(url, {
      method: 'GET',
      agent: false,
      lookup: guardedLookup(opts.allowPrivate) as never,
      headers: { 'User-Agent': opts.userAgent, 'Accept-Encoding': 'gzip, deflate, br', ...headers },
    });
    const connectTimer = setTimeout(() => fail('timeout', `no connection within ${opts.connectTimeoutMs} ms`), opts.connectTimeoutMs);
    const totalTimer = setTimeout(() => fail('timeout', 'no complete response in time'), Math.max(0, deadline - Date.now()));
    req.on('socket', (s) => {
      s.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPRIVATE') fail('private-address', e.message);
      else if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') fail('dns', `cannot resolve ${url.hostname}`);
      else fail('network', e.message);
    });
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      let settled = false;
      const done = (body: Buffer, truncated = false): void => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        clearTimeout(totalTimer);
        resolve({ status, headers: res.headers, body, truncated });
      };
      if (status >= 300 && status < 400) {
        res.resume();
        return done(Buffer.alloc(0));
      }
      if (status < 200 || status >= 300) {
        res.resume();
        return fail('http-status', `HTTP ${status}`);
      }
      const ct = mediaType(String(res.headers['content-type'] ?? ''));
      if (accept !== 'any' && ct && !ACCEPT_TYPES[accept].test(ct)) return fail('content-type', `unexpected content type ${ct}`);
      const declared = Number(res.headers['content-length'] ?? NaN);
      if (Number.isFinite(declared) && declared > opts.maxBytes && !opts.truncate) return fail('too-large', `body of ${declared} bytes is over the ${opts.maxBytes}-byte limit`);
      let stream: Readable = res;
      const enc = String(res.headers['content-encoding'] ?? '').toLowerCase();
      if (enc === 'gzip' || enc === 'x-gzip') stream = res.pipe(zlib.createGunzip());
      else if (enc === 'deflate') stream = res.pipe(zlib.createInflate());
      else if (enc === 'br') stream = res.pipe(zlib.createBrotliDecompress());
      const chunks: Buffer[] = [];
      let n = 0;
      stream.on('data', (c: Buffer) => {
        if (settled) return;
        n += c.length;
        if (n > opts.maxBytes) {
          if (opts.truncate) {
            chunks.push(c.subarray(0, c.length - (n - opts.maxBytes)));
            done(Buffer.concat(chunks), true);
            req.destroy();
            return;
          }
          stream.destroy();
          return fail('too-large', `body is over the ${opts.maxBytes}-byte limit`);
        }
        chunks.push(c);
      });
      stream.on('error', (e) => {
        if (!settled) fail('network', e.message);
      });
      stream.on('end', () => done(Buffer.concat(chunks)));
    });
    req.end();
  });
}

/** GET a URL safely. Throws FetchError with a code for every refusal. */
export async function fetchUrl(input: string, options: FetchOptions = {}): Promise<FetchResult> {
  const o = {
    allowPrivate: options.allowPrivate ?? false,
    connectTimeoutMs: options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
    maxBytes: options.maxBytes ?? MAX_PAGE_BYTES,
    userAgent: options.userAgent ?? USER_AGENT,
    truncate: options.truncate ?? false,
  };
  const accept = options.accept ?? 'any';
  const deadline = Date.now() + (options.timeoutMs ?? TOTAL_TIMEOUT_MS);
  const maxRedirects = options.maxRedirects ?? MAX_REDIRECTS;
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new FetchError('bad-url', 'not a valid URL', input);
  }
  const seen = new Set<string>();
  for (let hop = 0; ; hop++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchError('bad-url', `unsupported scheme ${url.protocol}`, url.href);
    if (url.username || url.password) throw new FetchError('bad-url', 'credentials in URLs are not sent', url.href);
    // An IP literal never goes through DNS lookup, so check it here.
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!o.allowPrivate && net.isIP(host) && isPrivateAddress(host)) throw new FetchError('private-address', `refusing private address ${host}`, url.href);
    seen.add(url.href);
    await options.rateLimiter?.wait(url.host);
    if (Date.now() >= deadline) throw new FetchError('timeout', 'no complete response in time', url.href);
    const headers: Record<string, string> = {
      Accept: accept === 'html' ? 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1' : accept === 'feed' ? 'application/rss+xml,application/atom+xml,application/feed+json,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1' : '*/*',
    };
    const prior = options.cache ? await options.cache.get(url.href) : undefined;
    if (prior?.etag) headers['If-None-Match'] = prior.etag;
    if (prior?.lastModified) headers['If-Modified-Since'] = prior.lastModified;
    const res = await request(url, o, headers, deadline, accept);
    if (res.status === 304) {
      return { requestedUrl: input, url: url.href, status: 304, notModified: true, contentType: '', body: Buffer.alloc(0), validators: prior ?? {} };
    }
    if (res.status >= 300 && res.status < 400) {
      const loc = res.headers.location;
      if (!loc) throw new FetchError('http-status', `HTTP ${res.status} without a Location`, url.href);
      let next: URL;
      try {
        next = new URL(loc, url);
      } catch {
        throw new FetchError('bad-url', `bad redirect target ${loc}`, url.href);
      }
      if (seen.has(next.href)) throw new FetchError('redirect-loop', `redirect loop back to ${next.href}`, input);
      if (hop + 1 > maxRedirects) throw new FetchError('too-many-redirects', `more than ${maxRedirects} redirects`, input);
      url = next;
      continue;
    }
    const validators: Validators = {};
    if (typeof res.headers.etag === 'string') validators.etag = res.headers.etag;
    if (typeof res.headers['last-modified'] === 'string') validators.lastModified = res.headers['last-modified'];
    if (accept !== 'any' && looksBinary(res.body)) throw new FetchError('binary', 'binary content served as text', url.href);
    if (options.cache && (validators.etag || validators.lastModified)) await options.cache.set(url.href, validators);
    return {
      requestedUrl: input,
      url: url.href,
      status: res.status,
      notModified: false,
      contentType: String(res.headers['content-type'] ?? ''),
      body: res.body,
      validators,
      ...(res.truncated ? { truncated: true } : {}),
    };
  }
}
