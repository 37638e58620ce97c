// The job queue between ingest and analysis workers: publish jobs, pull them, ack when done.
// Delivery is at-least-once: a job not acked within the ack wait (or nak'ed) is delivered again.

export interface QueueMessage<T> {
  /** The id the job was published with (publishing the same id again while it is known is a no-op). */
  id: string;
  data: T;
  /** 1 on the first delivery, 2 on the first redelivery… */
  deliveries: number;
  /** Done: the job is removed for good. */
  ack(): Promise<void>;
  /** Not done: deliver it again (now). */
  nak(): Promise<void>;
}

export interface Queue<T> {
  /** 'memory' or the server URL. */
  readonly description: string;
  publish(id: string, data: T): Promise<void>;
  /** Up to `max` messages, waiting at most `waitMs` for the first; [] when none came. */
  pull(max: number, waitMs: number): Promise<QueueMessage<T>[]>;
  /** Jobs published and not yet acked (waiting or in flight). */
  pending(): Promise<number>;
  /** Disconnects; jobs not acked stay queued where the backend is durable. */
  close(): Promise<void>;
  /** Deletes the queue and every job in it (tests, resets). */
  destroy(): Promise<void>;
}

export interface QueueOptions {
  /** Queue name: one stream/consumer per name. */
  name: string;
  /** Milliseconds before an unacked delivery is handed out again. */
  ackWaitMs?: number;
}

/** Default ack wait: long enough for a worker to analyse a big article under load. */
export const DEFAULT_ACK_WAIT_MS = 60_000;

/** The job ingest publishes and workers consume: analyse this stored article. */
export interface AnalysisJob {
  articleId: string;
}

/** Name of the queue analysis jobs go through. */
export const ANALYSIS_QUEUE = 'analysis';
