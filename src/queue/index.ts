// Opens a Queue: in-process by default, NATS JetStream for a nats:// URL.
import { MemoryQueue } from './memory.js';
import type { Queue, QueueOptions } from './types.js';

export * from './types.js';
export { MemoryQueue } from './memory.js';

/**
 * Opens the queue at `url`. A path on a NATS URL names the queue (nats://host:4222/NAME), so
 * separate pipelines (or tests) can share one server; otherwise `opts.name` is used.
 */
export async function openQueue<T>(url: string | undefined, opts: QueueOptions): Promise<Queue<T>> {
  if (!url || url === 'memory') return new MemoryQueue<T>(opts);
  if (/^nats:\/\//i.test(url)) {
    const { NatsQueue } = await import('./nats.js');
    let name = opts.name;
    try {
      const p = new URL(url).pathname.replace(/^\/+|\/+$/g, '');
      if (p) name = p;
    } catch {
      throw new Error(`invalid queue URL "${url}"`);
    }
    return NatsQueue.open<T>(url, { ...opts, name });
  }
  throw new Error(`unsupported queue URL "${url}": use nats://HOST:PORT (or omit it for the in-process queue)`);
}
