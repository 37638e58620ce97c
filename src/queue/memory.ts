// In-process Queue: the default when no server is given. Same at-least-once semantics as NATS
// (ack wait, nak, redelivery), but nothing survives the process.
import { DEFAULT_ACK_WAIT_MS, type Queue, type QueueMessage, type QueueOptions } from './types.js';

interface Entry<T> {
  id: string;
  data: T;
  deliveries: number;
}

export class MemoryQueue<T> implements Queue<T> {
  readonly description = 'memory';
  private ready: Entry<T>[] = [];
  private head = 0;
  private inflight = new Map<string, { entry: Entry<T>; timer: NodeJS.Timeout }>();
  private known = new Set<string>();
  private waiters = new Set<() => void>();
  private readonly ackWaitMs: number;

  constructor(opts: Partial<QueueOptions> = {}) {
    this.ackWaitMs = opts.ackWaitMs ?? DEFAULT_ACK_WAIT_MS;
  }

  private wake(): void {
    for (const w of this.waiters) w();
    this.waiters.clear();
  }

  private get readyCount(): number {
    return this.ready.length - this.head;
  }

  async publish(id: string, data: T): Promise<void> {
    if (this.known.has(id)) return;
    this.known.add(id);
    this.ready.push({ id, data, deliveries: 0 });
    this.wake();
  }

  private requeue(entry: Entry<T>): void {
    const f = this.inflight.get(entry.id);
    if (!f) return;
    clearTimeout(f.timer);
    this.inflight.delete(entry.id);
    this.ready.push(entry);
    this.wake();
  }

  async pull(max: number, waitMs: number): Promise<QueueMessage<T>[]> {
    if (this.readyCount === 0 && waitMs > 0) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.waiters.delete(done);
          resolve();
        }, waitMs);
        const done = (): void => {
          clearTimeout(t);
          resolve();
        };
        this.waiters.add(done);
      });
    }
    const out: QueueMessage<T>[] = [];
    while (out.length < max && this.readyCount > 0) {
      const entry = this.ready[this.head++]!;
      entry.deliveries++;
      const timer = setTimeout(() => this.requeue(entry), this.ackWaitMs);
      timer.unref();
      this.inflight.set(entry.id, { entry, timer });
      const deliveries = entry.deliveries;
      out.push({
        id: entry.id,
        data: entry.data,
        deliveries,
        ack: async () => {
          const f = this.inflight.get(entry.id);
          if (!f || f.entry.deliveries !== deliveries) return; // a late ack of an expired delivery
          clearTimeout(f.timer);
          this.inflight.delete(entry.id);
          this.known.delete(entry.id);
        },
        nak: async () => {
          if (this.inflight.get(entry.id)?.entry.deliveries === deliveries) this.requeue(entry);
        },
      });
    }
    // Compact the consumed prefix now and then so the array does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.ready.length) {
      this.ready = this.ready.slice(this.head);
      this.head = 0;
    }
    return out;
  }

  async pending(): Promise<number> {
    return this.readyCount + this.inflight.size;
  }

  async close(): Promise<void> {
    for (const f of this.inflight.values()) clearTimeout(f.timer);
    this.wake();
  }

  async destroy(): Promise<void> {
    await this.close();
    this.ready = [];
    this.head = 0;
    this.inflight.clear();
    this.known.clear();
  }
}
