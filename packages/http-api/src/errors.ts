// The API's one error format. Codes, statuses and the map from package
// errors live in @drnn/contract (serving answers in the same format); every
// handler throws (or lets through) an error and `toApiError` turns anything
// into an ApiError.
import { API_CODE_OF, API_ERROR_CODES, bodyErrorCode, DrnnError, HTTP_STATUS, type ApiErrorCode, type ErrorBody, type FieldIssue } from "@drnn/contract";
import { InvalidChromosomeError, InvalidGaSettingsError, InvalidSearchSpaceError, formatIssue } from "@drnn/ga";
import { z } from "zod";

export { API_ERROR_CODES, HTTP_STATUS, type ApiErrorCode, type ErrorBody, type FieldIssue };

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

const BODY_MESSAGE: Partial<Record<ApiErrorCode, string>> = {
  PAYLOAD_TOO_LARGE: "request body is larger than the limit",
  BAD_REQUEST: "request body is not valid JSON",
  UNSUPPORTED_MEDIA_TYPE: "unsupported body encoding",
};

/** Errors of body-parser (express.json) carry a `type`. */
function bodyParserError(err: unknown): ApiError | null {
  if (typeof err !== "object" || err === null || !("type" in err)) return null;
  const code = bodyErrorCode(String((err as { type: unknown }).type));
  return code ? new ApiError(code, BODY_MESSAGE[code] ?? "malformed request body") : null;
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof InvalidSearchSpaceError) return validationError(prefixed("searchSpace", err.issues), "search space");
  if (err instanceof InvalidGaSettingsError) return validationError(prefixed("ga", err.issues), "GA settings");
  if (err instanceof InvalidChromosomeError) return validationError(err.issues.map((i) => ({ path: i.gene, message: formatIssue(i) })), "chromosome");
  if (err instanceof z.ZodError) return validationError(zodIssues(err));
  if (err instanceof DrnnError) return new ApiError(API_CODE_OF[err.code], err.message);
  return bodyParserError(err) ?? new ApiError("INTERNAL_ERROR", "internal error");
}
