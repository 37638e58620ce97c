// Feed validators (ETag / Last-Modified) kept in the store, so `parley watch` polls with conditional
// GET across restarts. Implements the ingest fetcher's ValidatorCache.
import type { ValidatorCache, Validators } from '../ingest/fetch.js';
import type { Store } from '../store/types.js';

export class StoreValidatorCache implements ValidatorCache {
  constructor(private readonly store: Store) {}

  async get(url: string): Promise<Validators | undefined> {
    const s = await this.store.getFeedState(url);
    if (!s || (!s.etag && !s.lastModified)) return undefined;
    return { ...(s.etag ? { etag: s.etag } : {}), ...(s.lastModified ? { lastModified: s.lastModified } : {}) };
  }

  async set(url: string, v: Validators): Promise<void> {
    await this.store.putFeedState({ url, ...v, checkedAt: new Date().toISOString() });
  }
}
