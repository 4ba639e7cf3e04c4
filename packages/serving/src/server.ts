// The serving HTTP server: POST /v1/page-views, the endpoint hit on every page
// view, is answered by a plain node:http handler; everything else (health,
// readiness, 404s) goes to the Express app. Why: measured under 500 views/s,
// Express's router, body parser and response helpers allocated about half of
// the ~50 KB of garbage per view, and the young-generation collections that
// garbage causes were the whole p99 tail (docs/BENCHMARKS.md, Serving). Both
// paths answer through pageView(), so validation and errors are the same.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { errorBody } from "@drnn/contract";
import { bodyAnswer, createServingApp, pageView, type Answer, type ServingDeps } from "./app.js";

/** As express.json({ limit: "16kb" }) in the app. */
export const MAX_BODY_BYTES = 16 * 1024;

const PATH = "/v1/page-views";
const OTHER_ROUTES = new Set(["/v1/events", "/healthz", "/readyz", "/metrics"]);

function send(res: ServerResponse, a: Answer): void {
  const json = JSON.stringify(a.body);
  res.writeHead(a.status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(json) });
  res.end(json);
}

function isJson(req: IncomingMessage): boolean {
  const type = req.headers["content-type"];
  return type !== undefined && /^application\/(.+\+)?json\b/i.test(type);
}

/** The body as a string, or an answer when it is too large (413) or the client went away (null). */
function readBody(req: IncomingMessage): Promise<string | Answer | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.once("end", () => {
      if (size > MAX_BODY_BYTES) resolve(bodyAnswer("PAYLOAD_TOO_LARGE", "request entity too large"));
      else resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString("utf8") : Buffer.concat(chunks).toString("utf8"));
    });
    req.once("error", () => resolve(null));
  });
}

async function answerPageView(deps: ServingDeps, req: IncomingMessage, now: () => number): Promise<Answer | null> {
  const text = await readBody(req);
  if (text === null || typeof text !== "string") return text;
  // Like express.json: a body that is not JSON-typed is no body at all.
  let raw: unknown;
  if (isJson(req)) {
    try {
      raw = JSON.parse(text);
    } catch (err) {
      return bodyAnswer("BAD_REQUEST", err instanceof Error ? err.message : "malformed JSON");
    }
  }
  return pageView(deps, raw, now);
}

/** An http.Server (not yet listening) serving the app, with the page-view fast path. */
export function createServingServer(deps: ServingDeps): Server {
  const app = createServingApp(deps);
  const now = deps.now ?? Date.now;
  return createServer((req, res) => {
    if (req.method !== "POST" || req.url !== PATH) {
      if (deps.metrics) {
        // Bounded label values: the known routes by name, anything else as "other".
        const done = deps.metrics.request(OTHER_ROUTES.has(req.url ?? "") ? (req.url as string) : "other");
        res.once("finish", () => done(res.statusCode));
      }
      void app(req, res);
      return;
    }
    const timed = deps.metrics?.request(PATH);
    if (timed) res.once("finish", () => timed(res.statusCode));
    answerPageView(deps, req, now).then(
      (a) => {
        if (a !== null) send(res, a);
      },
      (err: unknown) => send(res, { status: 500, body: errorBody("INTERNAL_ERROR", err instanceof Error ? err.message : String(err)) }),
    );
  });
}
