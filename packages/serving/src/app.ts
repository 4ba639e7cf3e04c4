// The recommendation API (Express 5): POST a page view, get the top-k items.
//   POST /v1/page-views  {sessionId, page, userId?, itemId?, timestamp?, k?}
//   POST /v1/events      {sessionId, userId?, event: cart | buy, itemId, timestamp?} (events.ts)
//   GET  /healthz        the process is up
//   GET  /readyz         a model is loaded, Redis answers, and the deployment's own checks pass
//                        (PostgreSQL, migrations); 503 with the reasons otherwise, and while stopping
//   GET  /metrics        Prometheus text (when given a registry)
// Errors are answered in the API's one format ({error:{code,message,issues?}},
// @drnn/contract): malformed bodies get 400 naming the field, no model 503
// with the reason; nothing a client sends can crash the server.
import express, { type NextFunction, type Request, type Response } from "express";
import { z } from "zod";
import { apiAnswerOf, bodyErrorCode, errorBody, HTTP_STATUS, type ApiErrorCode, type ErrorBody } from "@drnn/contract";
import { timestampOf, unavailable, validationFailed, type Answer } from "./answers.js";
import { eventTimestamp, recordEvent, shopEvent, type EventSink } from "./events.js";
import { checkReadiness, metricsHandler, type MetricsEndpoint, type ReadinessCheck, type ServingMetrics } from "@drnn/ops";
import { ModelUnavailableError, SessionStoreUnavailableError } from "./errors.js";
import type { AliasFollower, ModelHolder } from "./model-holder.js";
import type { Recommender } from "./recommender.js";
import type { SessionStore } from "./session-store.js";

export type { Answer } from "./answers.js";

export const DEFAULT_TOP_K = 10;
export const MAX_TOP_K = 100;

export const pageViewBody = z.strictObject({
  sessionId: z.string().min(1).max(200),
  userId: z.string().min(1).max(200).optional(),
  page: z.string().min(1).max(2000),
  /** The item the page shows, if it is an item's page (kept with the view for the online loop). */
  itemId: z.string().min(1).max(200).optional(),
  timestamp: eventTimestamp.optional(),
  k: z.int().min(1).max(MAX_TOP_K).optional(),
});

export type PageViewBody = z.infer<typeof pageViewBody>;

export interface ServingDeps {
  store: SessionStore;
  recommender: Recommender;
  holder: ModelHolder;
  /** Reported by /readyz when the alias could not be followed. */
  follower?: AliasFollower;
  /** Clock for views without a timestamp (epoch ms). */
  now?: () => number;
  defaultK?: number;
  /** Request latency by route and status; absent: not recorded. */
  metrics?: ServingMetrics;
  /** GET /metrics; absent: no /metrics. */
  metricsEndpoint?: MetricsEndpoint;
  /** Checks /readyz runs besides the model and Redis (PostgreSQL, migrations). */
  readiness?: Record<string, ReadinessCheck>;
  /** True once the server is stopping: /readyz answers 503 so balancers send no more. */
  draining?: () => boolean;
  /** The online loop's ingest: page views, carts and purchases are stored there. Absent: not ingested. */
  events?: EventSink;
}

function fail(res: Response, code: ApiErrorCode, message: string, issues?: ErrorBody["error"]["issues"]): void {
  res.status(HTTP_STATUS[code]).json(errorBody(code, message, issues));
}

/** A malformed body (not JSON, too large): the same answer on the fast path and through Express. */
export function bodyAnswer(code: ApiErrorCode, detail: string): Answer {
  return { status: HTTP_STATUS[code], body: errorBody(code, `body: ${detail}`, [{ path: "body", message: detail }]) };
}

/**
 * One page view, from the parsed JSON body to the answer: validation (400
 * naming the field), no model (503), the session store's append, the
 * recommendation. The Express route and the raw fast path (server.ts) both
 * answer through it, so they cannot drift apart.
 */
export async function pageView(deps: ServingDeps, raw: unknown, now: () => number): Promise<Answer> {
  const parsed = pageViewBody.safeParse(raw);
  if (!parsed.success) return validationFailed(parsed.error);
  const body = parsed.data;
  const reason = deps.holder.unavailableReason;
  if (reason !== null) return unavailable(new ModelUnavailableError(reason));
  const ts = timestampOf(body.timestamp, now);
  const started = performance.now();
  let snapshot;
  try {
    snapshot = await deps.store.append(body.sessionId, { page: body.page, ts, item: body.itemId }, body.userId);
  } catch (err) {
    return unavailable(new SessionStoreUnavailableError(`the session store (Redis) failed: ${err instanceof Error ? err.message : String(err)}`));
  }
  // Stored for the online loop while the model ranks; answered once both are done, so a 200 means the view is kept.
  const stored = deps.events === undefined ? Promise.resolve(null) : recordEvent(deps.events, { sessionId: body.sessionId, userId: body.userId, timestamp: ts, page: body.page, event: "view", itemId: body.itemId });
  let rec;
  try {
    rec = await deps.recommender.recommend(snapshot, body.k ?? deps.defaultK ?? DEFAULT_TOP_K);
  } catch (err) {
    await stored;
    if (err instanceof ModelUnavailableError) return unavailable(err);
    throw err;
  }
  const failed = await stored;
  if (failed !== null) return failed;
  return {
    status: 200,
    body: {
      sessionId: body.sessionId,
      pageViews: snapshot.total,
      model: { name: rec.model.name, version: rec.model.version },
      source: rec.source,
      oov: rec.oov,
      items: rec.items,
      ms: Number((performance.now() - started).toFixed(3)),
    },
  };
}

export function createServingApp(deps: ServingDeps): express.Express {
  const app = express();
  const now = deps.now ?? Date.now;
  app.disable("x-powered-by");
  app.use(express.json({ limit: "16kb" }));

  app.get("/healthz", (_req, res) => {
    res.json({ ok: true });
  });

  app.get("/readyz", async (_req, res) => {
    const model = deps.holder.current;
    const { checks } = await checkReadiness({ ...deps.readiness, redis: () => deps.store.ping() });
    const failed = Object.entries(checks).find(([, r]) => r !== null);
    const redis = checks["redis"] ? `the session store (Redis) does not answer: ${checks["redis"]}` : null;
    const reason = deps.draining?.() ? "stopping" : (redis ?? (failed ? `${failed[0]}: ${failed[1]}` : null) ?? deps.holder.unavailableReason);
    const body = { ready: reason === null, model: model?.identity ?? null, reason, checks, followError: deps.follower?.lastError ?? null };
    res.status(reason === null ? 200 : 503).json(body);
  });

  if (deps.metricsEndpoint) {
    const handle = metricsHandler(deps.metricsEndpoint);
    app.get("/metrics", (req, res) => handle(req, res));
  }

  app.post("/v1/page-views", async (req: Request, res: Response) => {
    const answer = await pageView(deps, req.body ?? undefined, now);
    res.status(answer.status).json(answer.body);
  });

  app.post("/v1/events", async (req: Request, res: Response) => {
    const answer = await shopEvent(deps.events, req.body ?? undefined, now);
    res.status(answer.status).json(answer.body);
  });

  app.use((_req: Request, res: Response) => {
    fail(res, "NOT_FOUND", "no such endpoint; POST /v1/page-views, POST /v1/events, GET /healthz, GET /readyz");
  });

  // Express 5 forwards rejected async handlers here (pageView answers 503s itself).
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    const message = err instanceof Error ? err.message : String(err);
    // body-parser: malformed JSON, too large, wrong charset.
    const status = (err as { status?: unknown }).status;
    const clientError = typeof status === "number" && status >= 400 && status < 500;
    const bodyCode = bodyErrorCode(String((err as { type?: unknown }).type)) ?? (clientError ? "BAD_REQUEST" : null);
    if (bodyCode) {
      const a = bodyAnswer(bodyCode, message);
      res.status(a.status).json(a.body);
      return;
    }
    const answer = apiAnswerOf(err) ?? { status: 500, body: errorBody("INTERNAL_ERROR", message) };
    res.status(answer.status).json(answer.body);
  });

  return app;
}
