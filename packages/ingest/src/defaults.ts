// The online loop's ingest defaults, in one place.

/** M: purchase sessions per retraining batch (`--batch-sessions`). The paper leaves M open. */
export const DEFAULT_BATCH_SESSIONS = 500;

/** A followed log is committed after this many lines... */
export const DEFAULT_COMMIT_LINES = 2000;

/** ...or this long after the oldest uncommitted line, whichever comes first (ms). */
export const DEFAULT_COMMIT_MS = 500;

/** The source name of events that arrive through the serving API. */
export const API_SOURCE = "api";

/** How often queued batches are checked for a job on the queue (ms). */
export const DEFAULT_RECONCILE_MS = 30_000;
