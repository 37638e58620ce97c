// Opens a Store from a location: a SQLite file path (the default) or a postgres:// URL.
import path from 'node:path';
import { SqliteStore } from './sqlite.js';
import { StoreError } from './common.js';
import type { Store } from './types.js';

export type * from './types.js';
export { StoreError } from './common.js';
export { SqliteStore } from './sqlite.js';

/** The library file used when neither --db nor PARLEY_DB says otherwise (in the working directory). */
export const DEFAULT_DB = 'parley.db';

/** Where the library lives: the explicit value, else $PARLEY_DB, else ./parley.db. */
export function resolveDbLocation(explicit?: string): string {
  return explicit || process.env.PARLEY_DB || DEFAULT_DB;
}

export function isPostgresUrl(loc: string): boolean {
  return /^postgres(ql)?:\/\//i.test(loc);
}

/** Opens (creating and migrating when needed) the store at `url`; see resolveDbLocation. */
export async function openStore(url?: string): Promise<Store> {
  const loc = resolveDbLocation(url);
  if (isPostgresUrl(loc)) {
    const { PgStore } = await import('./postgres.js');
    return PgStore.open(loc);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(loc)) throw new StoreError(`unsupported database URL "${loc}": give a file path or a postgres:// URL`);
  const file = loc.startsWith('sqlite:') ? loc.slice('sqlite:'.length) : loc;
  return new SqliteStore(path.resolve(file));
}
