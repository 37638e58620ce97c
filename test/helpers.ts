// Shared test helpers: where the shared data lives, and a way to skip with a reason when it is absent.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const SHARED = path.resolve(__dirname, '../../shared');
export const SEED_FILE = path.join(SHARED, 'seeds/000_a309f49bf0c5d612.txt');
export const REPO = path.resolve(__dirname, '..');
export const BIN = path.join(REPO, 'bin/parley');

export function sharedAvailable(rel: string): boolean {
  const ok = existsSync(path.join(SHARED, rel));
  if (!ok) console.warn(`skipping: ${path.join(SHARED, rel)} is absent (shared data is read from ../shared)`);
  return ok;
}

export function readSeed(): string {
  return readFileSync(SEED_FILE, 'utf8');
}
