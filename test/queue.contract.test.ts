// One contract for every Queue backend: in-process (always) and NATS JetStream (when PARLEY_NATS_URL is set).
import { afterEach, describe, expect, it } from 'vitest';
import { openQueue } from '../src/queue/index.js';
import type { Queue, QueueMessage } from '../src/queue/types.js';

interface Job {
  n: number;
}

interface Backend {
  /** Opens a handle on the same queue (a new connection for servers). */
  open(ackWaitMs?: number): Promise<Queue<Job>>;
  /** Whether jobs outlive the handle that published them. */
  durable: boolean;
}

/** Short ack wait so redelivery is seen quickly (the NATS client needs ≥ 1 s pulls anyway). */
const ACK_WAIT_MS = 1500;

async function drain(q: Queue<Job>, want: number, ack = true): Promise<QueueMessage<Job>[]> {
  const got: QueueMessage<Job>[] = [];
  for (let tries = 0; got.length < want && tries < 20; tries++) {
    for (const m of await q.pull(want - got.length, 1000)) {
      if (ack) await m.ack();
      got.push(m);
    }
  }
  return got;
}

export function runQueueContract(name: string, factory: ((id: string) => Backend) | null, skipReason?: string): void {
  describe.skipIf(!factory)(`Queue contract: ${name}${factory ? '' : ` (skipped: ${skipReason})`}`, () => {
    let seq = 0;
    const handles: Queue<Job>[] = [];
    const backend = (): Backend => factory!(`t${process.pid}x${seq++}`);
    const open = async (b: Backend, ackWaitMs = ACK_WAIT_MS): Promise<Queue<Job>> => {
      const q = await b.open(ackWaitMs);
      handles.push(q);
      return q;
    };
    afterEach(async () => {
      const last = handles.pop();
      for (const h of handles.splice(0)) await h.close().catch(() => {});
      await last?.destroy().catch(() => {});
    });

    it('delivers every published job once, in order, and empties when acked', async () => {
      const q = await open(backend());
      for (let i = 0; i < 5; i++) await q.publish(`j${i}`, { n: i });
      expect(await q.pending()).toBe(5);
      const got = await drain(q, 5);
      expect(got.map((m) => [m.id, m.data.n, m.deliveries])).toEqual([0, 1, 2, 3, 4].map((i) => [`j${i}`, i, 1]));
      expect(await q.pending()).toBe(0);
      expect(await q.pull(10, 1000)).toEqual([]);
    });

    it('ignores a second publish of a job id that is still queued', async () => {
      const q = await open(backend());
      await q.publish('same', { n: 1 });
      await q.publish('same', { n: 1 });
      expect(await q.pending()).toBe(1);
      expect((await drain(q, 1)).length).toBe(1);
      expect(await q.pull(5, 1000)).toEqual([]);
    });

    it('redelivers a nak-ed job and a job whose ack wait ran out', async () => {
      const q = await open(backend());
      await q.publish('a', { n: 1 });
      const [first] = await q.pull(1, 1000);
      expect(first?.deliveries).toBe(1);
      await first!.nak();
      const [again] = await drain(q, 1, false);
      expect(again?.id).toBe('a');
      expect(again?.deliveries).toBe(2);
      // Not acked: after the ack wait it comes back once more.
      const [third] = await drain(q, 1, false);
      expect(third?.deliveries).toBe(3);
      await third!.ack();
      expect(await q.pending()).toBe(0);
    });

    it('shares jobs between two consumers, each job to one of them', async () => {
      const b = backend();
      const q1 = await open(b, 30_000);
      const q2 = await open(b, 30_000);
      for (let i = 0; i < 20; i++) await q1.publish(`k${i}`, { n: i });
      const seen: number[] = [];
      const worker = async (q: Queue<Job>): Promise<void> => {
        for (let idle = 0; idle < 2; ) {
          const ms = await q.pull(3, 1000);
          if (!ms.length) idle++;
          for (const m of ms) {
            seen.push(m.data.n);
            await m.ack();
          }
        }
      };
      await Promise.all([worker(q1), worker(q2)]);
      expect(seen.sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(await q1.pending()).toBe(0);
    });

    it('keeps unacked jobs for the next consumer when durable', async () => {
      const b = backend();
      if (!b.durable) return; // the in-process queue is gone with its process by design
      const q1 = await open(b);
      await q1.publish('p1', { n: 1 });
      await q1.publish('p2', { n: 2 });
      const [taken] = await q1.pull(1, 1000);
      expect(taken?.id).toBe('p1');
      await q1.close(); // "crashes" holding p1 unacked
      const q2 = await open(b);
      const got = await drain(q2, 2);
      expect(got.map((m) => m.id).sort()).toEqual(['p1', 'p2']);
      expect(got.find((m) => m.id === 'p1')?.deliveries).toBe(2);
    });
  });
}

runQueueContract('memory', () => {
  let shared: Queue<Job> | null = null;
  return {
    durable: false,
    // Handles of one in-process queue are the same object: there is one process.
    open: async (ackWaitMs) => (shared ??= await openQueue<Job>(undefined, { name: 'test', ackWaitMs })),
  };
});

const NATS = process.env.PARLEY_NATS_URL;
if (!NATS) console.warn('PARLEY_NATS_URL is not set: the NATS queue contract is skipped (run scripts/services.sh)');
runQueueContract(
  'nats',
  NATS ? (id) => ({ durable: true, open: (ackWaitMs) => openQueue<Job>(NATS, { name: id, ackWaitMs }) }) : null,
  'PARLEY_NATS_URL is not set (run scripts/services.sh to start nats-server)',
);
