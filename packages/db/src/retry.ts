// Riding out a short database outage: work that is worth keeping (an epoch
// just trained, a result) waits for PostgreSQL to come back instead of being
// thrown away, for a bounded time.
import { isDatabaseUnavailable } from "./errors.js";

export interface RetryOptions {
  /** Give up (rethrow the last error) once this long has passed. */
  maxMs?: number;
  /** First wait; doubled after each failure up to maxDelayMs. */
  delayMs?: number;
  maxDelayMs?: number;
  /** Told of each failure that will be retried. */
  onRetry?: (err: unknown) => void;
  signal?: AbortSignal;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn`, retrying with backoff while the database is unavailable; any other error is thrown at once. */
export async function whileUnavailable<T>(fn: () => Promise<T>, o: RetryOptions = {}): Promise<T> {
  const end = Date.now() + (o.maxMs ?? 60_000);
  for (let delay = o.delayMs ?? 250; ; delay = Math.min(delay * 2, o.maxDelayMs ?? 5_000)) {
    try {
      return await fn();
    } catch (err) {
      if (!isDatabaseUnavailable(err) || Date.now() + delay > end || o.signal?.aborted) throw err;
      o.onRetry?.(err);
      await sleep(delay);
    }
  }
}
