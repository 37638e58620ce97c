// Real news texts for benchmarks: PolNeAR train+dev (924 articles) from ../shared, in a fixed order.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const POLNEAR_DIR = path.resolve(process.cwd(), '../shared/data/polnear');

export function polnearTexts(): Array<{ name: string; text: string }> | null {
  if (!existsSync(POLNEAR_DIR)) return null;
  const out: Array<{ name: string; text: string }> = [];
  for (const split of ['train', 'dev']) {
    const dir = path.join(POLNEAR_DIR, split, 'text');
    for (const f of readdirSync(dir).sort()) out.push({ name: `${split}/${f}`, text: readFileSync(path.join(dir, f), 'utf8') });
  }
  return out;
}

/** Peak and current RSS of a process, from /proc (covers all its threads). */
export function procMemory(pid: number): { rss: number; hwm: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string): number => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return null;
  }
}
