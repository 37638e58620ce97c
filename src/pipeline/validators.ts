// Feed validators (ETag / Last-Modified) kept in the store, so `parley watch` polls with conditional
// GET across restarts. Implements the ingest fetcher's ValidatorCache.
import type { ValidatorCache, Validators } from '../ingest/fetch.js';
import type { Store } from '../store/types.js';

export class StoreValidatorCache implements ValidatorCache {
  /**
   * @param only when given, validators are kept for these URLs only (the polled feeds): an item page
   *   answered "304 Not Modified" would have no body to extract.
   */
  constructor(
    private readonly store: Store,
    private readonly only?: Set<string>,
  ) {}

  async get(url: string): Promise<Validators | undefined> {
    if (this.only && !this.only.has(url)) return undefined;
    const s = await this.store.getFeedState(url);
    if (!s || (!s.etag && !s.lastModified)) return undefined;
    return { ...(s.etag ? { etag: s.etag } : {}), ...(s.lastModified ? { lastModified: s.lastModified } : {}) };
  }

  async set(url: string, v: Validators): Promise<void> {
    if (this.only && !this.only.has(url)) return;
    await this.store.putFeedState({ url, ...v, checkedAt: new Date().toISOString() });
  }
}
