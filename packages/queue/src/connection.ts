// Redis connections and BullMQ settings. Owners create and close them; no
// connection is shared behind anyone's back.
import { DrnnError } from "@drnn/contract";
import { Redis, type RedisOptions } from "ioredis";
import { MetricsTime, type QueueOptions, type WorkerOptions, type JobsOptions } from "bullmq";

export class RedisUnavailableError extends DrnnError {
  override readonly name = "RedisUnavailableError";
  readonly code = "REDIS_UNAVAILABLE" as const;
  constructor(
    readonly target: string,
    readonly reason: string,
  ) {
    super(`cannot reach Redis at ${target}: ${reason}`);
  }
}

export interface QueueConfig {
  redisUrl: string;
  /** Key prefix; one per deployment, one per test run. */
  prefix: string;
  /** Workers' job lock and stall-check interval (FITNESS_WORKER_SETTINGS.lockDuration by default). */
  lockMs?: number;
}

/**
 * A connection for BullMQ. Workers block on Redis, so BullMQ requires
 * `maxRetriesPerRequest: null`: commands wait for a reconnect instead of
 * failing a job because Redis restarted.
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: true, ...options });
}

export function describeRedis(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || "6379"}${u.pathname && u.pathname !== "/" ? u.pathname : ""}`;
  } catch {
    return "(unparseable URL)";
  }
}

/** One PING with no retries; a wrong REDIS_URL fails here, in one line. */
export async function checkRedis(url: string, timeoutMs = 3000): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // ioredis rejects with "Connection is closed"; the cause arrives as an event.
  let cause: unknown;
  redis.on("error", (err: unknown) => {
    cause ??= err;
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new RedisUnavailableError(describeRedis(url), oneLine(cause ?? err));
  } finally {
    redis.disconnect();
  }
}

/**
 * Reports a connection's outages in one line each way: when it is lost (with
 * the first error) and when it is back (with how long it was away). ioredis
 * retries by itself; the retries are not reported. Returns an unhook.
 */
export function watchRedis(redis: Redis, url: string, log: (line: string) => void, now: () => number = Date.now): () => void {
  let downSince: number | null = null;
  const target = describeRedis(url);
  const onError = (err: unknown) => {
    if (downSince !== null) return;
    downSince = now();
    log(`Redis at ${target} unavailable: ${oneLine(err)}; retrying`);
  };
  const onReady = () => {
    if (downSince === null) return;
    log(`Redis at ${target} back after ${((now() - downSince) / 1000).toFixed(1)} s`);
    downSince = null;
  };
  redis.on("error", onError);
  redis.on("ready", onReady);
  return () => {
    redis.off("error", onError);
    redis.off("ready", onReady);
  };
}

/**
 * A lost or refused Redis connection, as a BullMQ worker's "error" event
 * reports it on each retry: the connection's owner reports the outage once
 * each way (watchRedis), so these are not logged again.
 */
export function isRedisConnectionError(err: Error): boolean {
  const code = (err as { code?: string }).code;
  return (code !== undefined && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN)$/.test(code)) || /Connection is closed|connect ECONNREFUSED|read ECONNRESET/.test(err.message);
}

/**
 * A job whose keys are gone from Redis (BullMQ's "Missing key for job ..."):
 * what a worker finishing a job sees after Redis restarted without its data.
 * The coordinator's reconcile pass gives such a candidate a fresh job, so it
 * is an outage's consequence to note in one line, not a fault with a stack.
 */
export function isLostJobError(err: Error): boolean {
  return /^Missing key for job /.test(err.message);
}

function oneLine(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: string }).code;
  const message = err.message.split("\n")[0] || err.name;
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

/**
 * Lock and stall settings for fitness workers.
 * - Training never runs on the worker's event loop (a CPU-bound processor on
 *   the loop was seen stalled and run twice with a 10 s lock): the platform's
 *   processor awaits a training thread (@drnn/tuning's DrnnThreadTrainer),
 *   and a processor given as a file runs sandboxed on a worker thread
 *   (`useWorkerThreads`).
 * - lockDuration 15 s, renewed every 7.5 s: long enough to ride out GC pauses,
 *   short enough that a SIGKILLed worker's job is picked up by another within
 *   about 30 s (stall check every 15 s), against about 90 s with defaults.
 * - maxStalledCount 2: a job that kills its worker twice (typically out of
 *   memory) fails with a reason instead of taking the fleet down in a loop.
 * - metrics: BullMQ keeps per-minute completed / failed counts for a week
 *   (one small Redis write per job), which its Prometheus export reports as
 *   bullmq_job_completed_total and bullmq_job_failed_total.
 */
export const FITNESS_WORKER_SETTINGS = {
  lockDuration: 15_000,
  stalledInterval: 15_000,
  maxStalledCount: 2,
  useWorkerThreads: true,
  metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
} as const satisfies Partial<WorkerOptions>;

/**
 * A thrown error (a bug, a missing dataset) retries with backoff; a run that
 * scores 0 (NaN loss, out of memory) is a result, not an error, and does not
 * retry. Finished jobs are trimmed: PostgreSQL keeps the record.
 */
export const FITNESS_JOB_DEFAULTS = {
  attempts: 3,
  backoff: { type: "exponential", delay: 5_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const satisfies JobsOptions;

export function queueOptions(connection: Redis, config: QueueConfig): QueueOptions {
  return { connection, prefix: config.prefix, defaultJobOptions: FITNESS_JOB_DEFAULTS };
}

export function workerOptions(connection: Redis, config: QueueConfig, concurrency: number): WorkerOptions {
  const lock = config.lockMs === undefined ? {} : { lockDuration: config.lockMs, stalledInterval: config.lockMs };
  return { connection, prefix: config.prefix, concurrency, ...FITNESS_WORKER_SETTINGS, ...lock };
}
