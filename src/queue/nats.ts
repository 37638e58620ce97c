// NATS JetStream Queue: a work-queue stream (jobs deleted once acked) with one durable pull
// consumer shared by all workers, so jobs survive restarts and are spread across workers.
import { AckPolicy, DeliverPolicy, RetentionPolicy, StorageType, connect, nanos, type JsMsg, type NatsConnection } from 'nats';
import { DEFAULT_ACK_WAIT_MS, type Queue, type QueueMessage, type QueueOptions } from './types.js';

/** Shortest pull wait the nats client accepts. */
const MIN_FETCH_MS = 1000;
/** Milliseconds to wait for the server on connect. */
const CONNECT_TIMEOUT_MS = 5000;
/** Header carrying the job id; JetStream also de-duplicates on it (Nats-Msg-Id). */
const ID_HEADER = 'Nats-Msg-Id';

export class NatsQueue<T> implements Queue<T> {
  private constructor(
    private nc: NatsConnection,
    readonly description: string,
    private stream: string,
    private subject: string,
    private durable: string,
  ) {}

  static async open<T>(url: string, opts: QueueOptions): Promise<NatsQueue<T>> {
    if (!/^[A-Za-z0-9_-]+$/.test(opts.name)) throw new Error(`invalid queue name "${opts.name}"`);
    let nc: NatsConnection;
    try {
      const u = new URL(url);
      nc = await connect({ servers: `${u.hostname}:${u.port || 4222}`, timeout: CONNECT_TIMEOUT_MS, name: 'parley' });
    } catch (e) {
      throw new Error(`cannot connect to NATS at ${url}: ${(e as Error).message}`);
    }
    const stream = `PARLEY_${opts.name.toUpperCase().replace(/-/g, '_')}`;
    const subject = `parley.jobs.${opts.name}`;
    const durable = `${opts.name}-workers`;
    try {
      const jsm = await nc.jetstreamManager();
      const exists = await jsm.streams.info(stream).then(
        () => true,
        () => false,
      );
      if (!exists) {
        await jsm.streams.add({ name: stream, subjects: [subject], retention: RetentionPolicy.Workqueue, storage: StorageType.File });
      }
      const hasConsumer = await jsm.consumers.info(stream, durable).then(
        () => true,
        () => false,
      );
      if (!hasConsumer) {
        await jsm.consumers.add(stream, {
          durable_name: durable,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          ack_wait: nanos(opts.ackWaitMs ?? DEFAULT_ACK_WAIT_MS),
          max_deliver: -1,
        });
      }
    } catch (e) {
      await nc.close().catch(() => {});
      throw new Error(`NATS at ${url} has no usable JetStream (start nats-server with -js): ${(e as Error).message}`);
    }
    return new NatsQueue<T>(nc, url, stream, subject, durable);
  }

  async publish(id: string, data: T): Promise<void> {
    const js = this.nc.jetstream();
    await js.publish(this.subject, JSON.stringify(data), { msgID: id });
  }

  async pull(max: number, waitMs: number): Promise<QueueMessage<T>[]> {
    const js = this.nc.jetstream();
    const consumer = await js.consumers.get(this.stream, this.durable);
    const out: QueueMessage<T>[] = [];
    const iter = await consumer.fetch({ max_messages: max, expires: Math.max(MIN_FETCH_MS, waitMs) });
    for await (const m of iter) {
      out.push(this.wrap(m));
      // Return what came rather than wait out the whole window for a full batch.
      if (out.length >= max) break;
      if (m.info.pending === 0) break;
    }
    return out;
  }

  private wrap(m: JsMsg): QueueMessage<T> {
    return {
      id: m.headers?.get(ID_HEADER) ?? String(m.seq),
      data: m.json<T>(),
      deliveries: m.info.deliveryCount,
      ack: async () => {
        await m.ackAck();
      },
      nak: async () => {
        m.nak();
      },
    };
  }

  async pending(): Promise<number> {
    const jsm = await this.nc.jetstreamManager();
    const info = await jsm.consumers.info(this.stream, this.durable);
    return info.num_pending + info.num_ack_pending;
  }

  async close(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.drain();
  }

  async destroy(): Promise<void> {
    const jsm = await this.nc.jetstreamManager();
    await jsm.streams.delete(this.stream).catch(() => false);
    await this.close();
  }
}
