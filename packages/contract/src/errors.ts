// Every error a package raises for a caller to branch on carries a stable
// `code` from this closed list; http-api maps each code to its API code and
// HTTP status in one table (complete by construction), the job runner ends a
// job at once for the codes a retry cannot fix.

export const ERROR_CODES = [
  // chromosomes, search spaces, GA settings and state (ga, contract)
  "INVALID_CHROMOSOME",
  "INVALID_SEARCH_SPACE",
  "INVALID_GA_SETTINGS",
  "INVALID_RNG_STATE",
  "INVALID_SNAPSHOT",
  "UNKNOWN_GENE",
  "UNKNOWN_CANDIDATE",
  "INVALID_FITNESS",
  // data
  "DATA_FORMAT",
  "BAD_INPUT",
  "ARTIFACT_CORRUPT",
  "DATASET_MISMATCH",
  // model
  "INVALID_SPEC",
  "MODEL_ARTIFACT",
  "BACKEND_UNAVAILABLE",
  // db
  "NOT_FOUND",
  "ILLEGAL_TRANSITION",
  "DUPLICATE",
  "DATABASE_UNAVAILABLE",
  "MIGRATION_FAILED",
  // serving
  "NOTHING_TO_PROMOTE",
  "SERVING_ARTIFACT",
  "UNKNOWN_SESSION",
  "INVALID_PAGE_VIEW",
  "NO_LIVE_MODEL",
  // config and the rest
  "INVALID_CONFIG",
  "QUEUE_UNAVAILABLE",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The base of every package error: a stable `name` and `code`, and the message. */
export abstract class DrnnError extends Error {
  abstract readonly code: ErrorCode;
}

export function errorCodeOf(err: unknown): ErrorCode | null {
  return err instanceof DrnnError ? err.code : null;
}

/** Failures that come out the same on every attempt: a job fails at once instead of retrying. */
export const UNRECOVERABLE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "INVALID_CHROMOSOME",
  "INVALID_SPEC",
  "DATASET_MISMATCH",
  "ARTIFACT_CORRUPT",
  "INVALID_SEARCH_SPACE",
  "UNKNOWN_GENE",
]);
