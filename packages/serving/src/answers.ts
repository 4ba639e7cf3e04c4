// The answers the serving routes share: a validation failure names the field
// (400, VALIDATION_FAILED), a missing service is a 503 with its reason, all in
// the API's one error format (@drnn/contract).
import type { z } from "zod";
import { apiAnswerOf, errorBody, type DrnnError } from "@drnn/contract";

export interface Answer {
  status: number;
  body: object;
}

function fieldOf(path: readonly PropertyKey[]): string {
  return path.length === 0 ? "body" : path.map(String).join(".");
}

/** 400 naming the first bad field in the message, every issue listed. */
export function validationFailed(error: z.ZodError): Answer {
  const issues = error.issues.map((i) => ({ path: fieldOf(i.path), message: i.message }));
  const first = issues[0] ?? { path: "body", message: "invalid request" };
  return { status: 400, body: errorBody("VALIDATION_FAILED", `${first.path}: ${first.message}`, issues) };
}

/** 503 with the reason (no model, the session store or the event store failed). */
export function unavailable(err: DrnnError): Answer {
  return apiAnswerOf(err) ?? { status: 503, body: errorBody("SERVICE_UNAVAILABLE", err.message) };
}

/** Epoch ms of a body's timestamp (epoch ms or ISO-8601), or `now()` when it has none. */
export function timestampOf(value: number | string | undefined, now: () => number): number {
  return value === undefined ? now() : typeof value === "number" ? value : Date.parse(value);
}
