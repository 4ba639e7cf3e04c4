// The API's one error format and its one closed code table. Every handler
// throws (or lets through) an error; `toApiError` turns anything into an
// ApiError and HTTP_STATUS is the only place a code becomes a status.
import { DbError } from "@drnn/db";
import { InvalidChromosomeError, InvalidGaSettingsError, InvalidSearchSpaceError, formatIssue } from "@drnn/ga";
import { z } from "zod";

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
  "TOO_MANY_REQUESTS",
  "INTERNAL_ERROR",
  "NOT_IMPLEMENTED",
  "SERVICE_UNAVAILABLE",
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** Complete by construction: a new code does not compile until it has a status. */
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
  TOO_MANY_REQUESTS: 429,
  INTERNAL_ERROR: 500,
  NOT_IMPLEMENTED: 501,
  SERVICE_UNAVAILABLE: 503,
};

export interface FieldIssue {
  /** Dotted path into the request body or query, e.g. "ga.populationSize". */
  path: string;
  message: string;
}

/** The body of every error response: `{ "error": { code, message, issues? } }`. */
export interface ErrorBody {
  error: { code: ApiErrorCode; message: string; issues?: FieldIssue[] };
}

export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly issues?: FieldIssue[],
  ) {
    super(message);
  }

  get status(): number {
    return HTTP_STATUS[this.code];
  }

  body(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) } };
  }
}

export function validationError(issues: FieldIssue[], what = "request"): ApiError {
  return new ApiError("VALIDATION_FAILED", `invalid ${what}: ${issues.map((i) => `${i.path || "(body)"}: ${i.message}`).join("; ")}`, issues);
}

export function zodIssues(err: z.ZodError, prefix: readonly string[] = []): FieldIssue[] {
  return err.issues.map((i) => ({ path: [...prefix, ...i.path.map(String)].join("."), message: i.message }));
}

const prefixed = (prefix: string, issues: readonly FieldIssue[]) =>
  issues.map((i) => ({ path: i.path ? `${prefix}.${i.path}` : prefix, message: i.message }));

/** Errors of body-parser (express.json) carry a `type`. */
function bodyParserError(err: unknown): ApiError | null {
  if (typeof err !== "object" || err === null || !("type" in err)) return null;
  const type = String((err as { type: unknown }).type);
  if (type === "entity.too.large") return new ApiError("PAYLOAD_TOO_LARGE", "request body is larger than the limit");
  if (type === "entity.parse.failed") return new ApiError("BAD_REQUEST", "request body is not valid JSON");
  if (type === "charset.unsupported" || type === "encoding.unsupported") return new ApiError("UNSUPPORTED_MEDIA_TYPE", "unsupported body encoding");
  return null;
}

const DB_CODE: Readonly<Record<DbError["code"], ApiErrorCode>> = {
  NOT_FOUND: "NOT_FOUND",
  ILLEGAL_TRANSITION: "ILLEGAL_TRANSITION",
  DUPLICATE: "DUPLICATE",
  DATABASE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  MIGRATION_FAILED: "SERVICE_UNAVAILABLE",
};

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof DbError) return new ApiError(DB_CODE[err.code], err.message);
  if (err instanceof InvalidSearchSpaceError) return validationError(prefixed("searchSpace", err.issues), "search space");
  if (err instanceof InvalidGaSettingsError) return validationError(prefixed("ga", err.issues), "GA settings");
  if (err instanceof InvalidChromosomeError) return validationError(err.issues.map((i) => ({ path: i.gene, message: formatIssue(i) })), "chromosome");
  if (err instanceof z.ZodError) return validationError(zodIssues(err));
  return bodyParserError(err) ?? new ApiError("INTERNAL_ERROR", "internal error");
}
