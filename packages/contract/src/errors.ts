// Every error a package raises for a caller to branch on carries a stable
// `code` from ERROR_CODES. One table (API_CODE_OF) turns each code into the
// API's error code, and HTTP_STATUS each API code into a status: both are
// complete by construction (a new code does not compile until it is mapped).
// http-api and serving answer every error in the same format, ErrorBody.

export const ERROR_CODES = [
  // chromosomes, search spaces and the GA (contract, ga)
  "INVALID_CHROMOSOME",
  "INVALID_SEARCH_SPACE",
  "INVALID_GA_SETTINGS",
  "UNKNOWN_GENE",
  "INVALID_RNG_STATE",
  "INVALID_SNAPSHOT",
  "UNKNOWN_CANDIDATE",
  "INVALID_FITNESS",
  // data
  "DATA_FORMAT",
  "BAD_INPUT",
  "ARTIFACT_EXISTS",
  "ARTIFACT_CORRUPT",
  // model
  "INVALID_SPEC",
  "DATASET_MISMATCH",
  "MODEL_ARTIFACT",
  "BACKEND_UNAVAILABLE",
  // db
  "NOT_FOUND",
  "ILLEGAL_TRANSITION",
  "DUPLICATE",
  "DATABASE_UNAVAILABLE",
  "MIGRATION_FAILED",
  // artifact store
  "ARTIFACT_MISSING",
  "ARTIFACT_INTEGRITY",
  "ARTIFACT_PACK",
  // queue, config
  "REDIS_UNAVAILABLE",
  "INVALID_CONFIG",
  // tuning
  "PERMANENT_FAILURE",
  "TRAINING_ABORTED",
  // serving
  "NO_LIVE_MODEL",
  "NOTHING_TO_PROMOTE",
  "SERVING_ARTIFACT",
  "SESSION_STORE_UNAVAILABLE",
  "EVENT_STORE_UNAVAILABLE",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The base of every package error: a stable `name` and `code`, and the message. */
export abstract class DrnnError extends Error {
  abstract readonly code: ErrorCode;
}

export function errorCodeOf(err: unknown): ErrorCode | null {
  return err instanceof DrnnError ? err.code : null;
}

/** A package error rebuilt after crossing a thread or process boundary as name, code and message. */
export class RemoteError extends DrnnError {
  constructor(
    readonly code: ErrorCode,
    override readonly name: string,
    message: string,
  ) {
    super(message);
  }
}

/** Failures that come out the same on every attempt: a fitness job ends at once instead of retrying. */
export const UNRECOVERABLE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "INVALID_CHROMOSOME",
  "INVALID_SPEC",
  "UNKNOWN_GENE",
  "DATASET_MISMATCH",
  "PERMANENT_FAILURE",
  "ARTIFACT_MISSING",
  "ARTIFACT_INTEGRITY",
  "ARTIFACT_PACK",
]);

export const API_ERROR_CODES = [
  "BAD_REQUEST",
  "VALIDATION_FAILED",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "ILLEGAL_TRANSITION",
  "DUPLICATE",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "UNPROCESSABLE",
  "TOO_MANY_REQUESTS",
  "INTERNAL_ERROR",
  "NOT_IMPLEMENTED",
  "SERVICE_UNAVAILABLE",
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export const HTTP_STATUS: Readonly<Record<ApiErrorCode, number>> = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ILLEGAL_TRANSITION: 409,
  DUPLICATE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_ERROR: 500,
  NOT_IMPLEMENTED: 501,
  SERVICE_UNAVAILABLE: 503,
};

/**
 * What a package error means to an API client. Wrong input is the client's
 * (4xx: 400 malformed, 422 well-formed but unusable data or model); a missing
 * service is 503; the server's own broken state stays 500.
 */
export const API_CODE_OF: Readonly<Record<ErrorCode, ApiErrorCode>> = {
  INVALID_CHROMOSOME: "VALIDATION_FAILED",
  INVALID_SEARCH_SPACE: "VALIDATION_FAILED",
  INVALID_GA_SETTINGS: "VALIDATION_FAILED",
  UNKNOWN_GENE: "VALIDATION_FAILED",
  INVALID_RNG_STATE: "INTERNAL_ERROR",
  INVALID_SNAPSHOT: "INTERNAL_ERROR",
  UNKNOWN_CANDIDATE: "INTERNAL_ERROR",
  INVALID_FITNESS: "INTERNAL_ERROR",
  DATA_FORMAT: "UNPROCESSABLE",
  BAD_INPUT: "BAD_REQUEST",
  ARTIFACT_EXISTS: "DUPLICATE",
  ARTIFACT_CORRUPT: "UNPROCESSABLE",
  INVALID_SPEC: "VALIDATION_FAILED",
  DATASET_MISMATCH: "UNPROCESSABLE",
  MODEL_ARTIFACT: "UNPROCESSABLE",
  BACKEND_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  NOT_FOUND: "NOT_FOUND",
  ILLEGAL_TRANSITION: "ILLEGAL_TRANSITION",
  DUPLICATE: "DUPLICATE",
  DATABASE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  MIGRATION_FAILED: "SERVICE_UNAVAILABLE",
  ARTIFACT_MISSING: "SERVICE_UNAVAILABLE",
  ARTIFACT_INTEGRITY: "SERVICE_UNAVAILABLE",
  ARTIFACT_PACK: "UNPROCESSABLE",
  REDIS_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  INVALID_CONFIG: "INTERNAL_ERROR",
  PERMANENT_FAILURE: "INTERNAL_ERROR",
  TRAINING_ABORTED: "SERVICE_UNAVAILABLE",
  NO_LIVE_MODEL: "SERVICE_UNAVAILABLE",
  NOTHING_TO_PROMOTE: "ILLEGAL_TRANSITION",
  SERVING_ARTIFACT: "SERVICE_UNAVAILABLE",
  SESSION_STORE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  EVENT_STORE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
};

export interface FieldIssue {
  /** Dotted path into the request body or query, e.g. "ga.populationSize". */
  path: string;
  message: string;
}

/** The body of every error response, from the API and from serving: `{ "error": { code, message, issues? } }`. */
export interface ErrorBody {
  error: { code: ApiErrorCode; message: string; issues?: FieldIssue[] };
}

export function errorBody(code: ApiErrorCode, message: string, issues?: FieldIssue[]): ErrorBody {
  return { error: { code, message, ...(issues ? { issues } : {}) } };
}

/** A package error as an API answer; null for anything that is not one. */
export function apiAnswerOf(err: unknown): { status: number; body: ErrorBody } | null {
  if (!(err instanceof DrnnError)) return null;
  const code = API_CODE_OF[err.code];
  return { status: HTTP_STATUS[code], body: errorBody(code, err.message) };
}

/** body-parser's error `type` (malformed JSON, too large, wrong charset) as an API code; null for anything else. */
export function bodyErrorCode(type: string): ApiErrorCode | null {
  if (type === "entity.too.large") return "PAYLOAD_TOO_LARGE";
  if (type === "entity.parse.failed") return "BAD_REQUEST";
  if (type === "charset.unsupported" || type === "encoding.unsupported") return "UNSUPPORTED_MEDIA_TYPE";
  return null;
}
