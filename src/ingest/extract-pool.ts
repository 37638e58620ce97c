// A pool of worker threads running extractArticle, so `parley extract --jsonl` uses every core.
// Jobs go to the least-busy worker; callers keep their own order (see the CLI's reorder queue).
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { Extracted } from './extract.js';

/** Most workers started, whatever the core count: extraction is CPU-bound, more only contend. */
export const MAX_EXTRACT_WORKERS = 4;

interface Pending {
  resolve: (r: Extracted) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

export class ExtractPool {
  private readonly slots: Slot[] = [];
  private seq = 0;
  private closing = false;

  constructor(size = Math.min(MAX_EXTRACT_WORKERS, Math.max(1, availableParallelism()))) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(new URL('./extract-worker.js', import.meta.url)), pending: new Map() };
    slot.worker.on('message', (m: { seq: number; result?: Extracted; error?: string }) => {
      const p = slot.pending.get(m.seq);
      if (!p) return;
      slot.pending.delete(m.seq);
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.result!);
    });
    // A worker that dies (out of memory on a pathological page) fails its own jobs only; a fresh one takes its place.
    const fail = (why: string): void => {
      for (const p of slot.pending.values()) p.reject(new Error(`extraction failed: ${why}`));
      slot.pending.clear();
      const i = this.slots.indexOf(slot);
      if (i >= 0 && !this.closing) this.slots[i] = this.spawn();
    };
    slot.worker.on('error', (e) => fail(e.message.split('\n')[0]!));
    slot.worker.on('exit', (code) => {
      if (slot.pending.size) fail(`worker exited with code ${code}`);
    });
    return slot;
  }

  run(html: string, url?: string): Promise<Extracted> {
    let slot = this.slots[0]!;
    for (const s of this.slots) if (s.pending.size < slot.pending.size) slot = s;
    const seq = this.seq++;
    return new Promise((resolve, reject) => {
      slot.pending.set(seq, { resolve, reject });
      slot.worker.postMessage({ seq, html, url });
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
