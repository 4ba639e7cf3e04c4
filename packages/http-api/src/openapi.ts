// The OpenAPI 3.1 document, written from the same route table that Express
// registers, so the two cannot drift (a test checks both ways).
import { z } from "zod";
import { API_ERROR_CODES, HTTP_STATUS } from "./errors.js";
import type { RouteDef } from "./types.js";

const ErrorSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", enum: [...API_ERROR_CODES] },
        message: { type: "string" },
        issues: { type: "array", items: { type: "object", required: ["path", "message"], properties: { path: { type: "string" }, message: { type: "string" } } } },
      },
    },
  },
};

/** "/api/campaigns/:id" -> "/api/campaigns/{id}" */
export const openApiPath = (expressPath: string) => expressPath.replace(/:([A-Za-z0-9_]+)/g, "{$1}");

function jsonSchema(schema: z.ZodType, io: "input" | "output" = "input"): unknown {
  return z.toJSONSchema(schema, { io, unrepresentable: "any" });
}

function queryParameters(schema: z.ZodType | undefined) {
  if (!schema) return [];
  const doc = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(doc.properties ?? {}).map(([name, s]) => ({ name, in: "query", required: (doc.required ?? []).includes(name), schema: s }));
}

function errorResponses(r: RouteDef) {
  const codes = new Set<(typeof API_ERROR_CODES)[number]>(["INTERNAL_ERROR"]);
  if (r.scope !== "public") codes.add("UNAUTHORIZED").add("FORBIDDEN");
  if (r.path.includes(":")) codes.add("NOT_FOUND");
  if (r.body || r.query) codes.add("VALIDATION_FAILED");
  if (r.body) codes.add("BAD_REQUEST").add("PAYLOAD_TOO_LARGE");
  if (r.method === "post" && r.path.includes(":")) codes.add("ILLEGAL_TRANSITION");
  const out: Record<string, unknown> = {};
  for (const c of codes) {
    const status = String(HTTP_STATUS[c]);
    const prior = out[status] as { description: string } | undefined;
    out[status] = { description: prior ? `${prior.description}, ${c}` : c, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
  }
  return out;
}

export function openApiDocument(routes: readonly RouteDef[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = openApiPath(r.path);
    const params = [...r.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    const ok = r.stream
      ? { description: "an event stream", content: { "text/event-stream": { schema: { type: "string" } } } }
      : { description: "success", content: { "application/json": { schema: r.response ? jsonSchema(r.response, "output") : { type: "object" } } } };
    (paths[path] ??= {})[r.method] = {
      summary: r.summary,
      tags: [r.tag],
      operationId: `${r.method}${path.replace(/[{}]/g, "").replace(/\/(\w)/g, (_m, ch: string) => ch.toUpperCase()).replace(/[^A-Za-z0-9]/g, "")}`,
      ...(r.scope === "public" ? { security: [] } : { "x-scope": r.scope }),
      parameters: [...params, ...queryParameters(r.query)],
      ...(r.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(r.body) } } } } : {}),
      responses: { [String(r.status ?? 200)]: ok, ...errorResponses(r) },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "DRNN tuning platform API",
      version: "0.1.0",
      description: `Bearer tokens (drnn token create --scope read|write). Every error is {error:{code,message,issues?}}; codes: ${API_ERROR_CODES.map((c) => `${c}=${HTTP_STATUS[c]}`).join(", ")}.`,
    },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } }, schemas: { Error: ErrorSchema } },
    security: [{ bearer: [] }],
    paths,
  };
}
