// PLOVER type → CAMEO code, quad class and Goldstein-like weight (data/export/plover-gdelt.json),
// for exports in GDELT's terms and for weighting the interaction network.
import fs from 'node:fs';
import path from 'node:path';
import { dataDir } from '../analyze/lexicons.js';
import type { PloverType } from '../analyze/types.js';

export interface PloverTypeMeta {
  /** Representative CAMEO code (3 digits). */
  cameo: string;
  /** 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict. */
  quad: number;
  /** Goldstein value of the CAMEO root, in [-10, 10]. */
  goldstein: number;
}

export interface PloverMeta {
  types: Record<PloverType, PloverTypeMeta>;
  /** PLOVER type → mode → a more specific CAMEO code. */
  modes: Partial<Record<PloverType, Record<string, string>>>;
}

let cached: PloverMeta | null = null;

/** Load the table from `<dir>/export/plover-gdelt.json` (default: the repository's data/). */
export function loadPloverMeta(dir: string = dataDir()): PloverMeta {
  if (cached && dir === dataDir()) return cached;
  const file = path.join(dir, 'export', 'plover-gdelt.json');
  const meta = JSON.parse(fs.readFileSync(file, 'utf8')) as PloverMeta;
  if (dir === dataDir()) cached = meta;
  return meta;
}

/** The CAMEO code for a PLOVER type and mode: the mode's sub-code when there is one. */
export function cameoCode(meta: PloverMeta, type: PloverType, mode?: string): string {
  return (mode && meta.modes[type]?.[mode]) || meta.types[type]?.cameo || '';
}
