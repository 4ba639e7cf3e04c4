// The recommendation API (Express 5): POST a page view, get the top-k items.
//   POST /v1/page-views  {sessionId, page, userId?, timestamp?, k?}
//   GET  /healthz        the process is up
//   GET  /readyz         a model is loaded and Redis answers (503 with the reason otherwise)
// Malformed bodies get 400 naming the field; no model gives 503 with the
// reason; nothing a client sends can crash the server.
import express, { type NextFunction, type Request, type Response } from "express";
import { z } from "zod";
import { ModelUnavailableError, SessionStoreUnavailableError } from "./errors.js";
import type { AliasFollower, ModelHolder } from "./model-holder.js";
import type { Recommender } from "./recommender.js";
import type { SessionStore } from "./session-store.js";

export const DEFAULT_TOP_K = 10;
export const MAX_TOP_K = 100;

export const pageViewBody = z.strictObject({
  sessionId: z.string().min(1).max(200),
  userId: z.string().min(1).max(200).optional(),
  page: z.string().min(1).max(2000),
  /** Epoch milliseconds or an ISO-8601 date-time; default: the server's clock. */
  timestamp: z.union([z.number().finite().nonnegative(), z.iso.datetime({ offset: true })]).optional(),
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
}

interface ErrorBody {
  error: { name: string; message: string; field?: string; issues?: { field: string; message: string }[] };
}

function fail(res: Response, status: number, body: ErrorBody): void {
  res.status(status).json(body);
}

function fieldOf(path: readonly PropertyKey[]): string {
  return path.length === 0 ? "body" : path.map(String).join(".");
}

export interface Answer {
  status: number;
  body: object;
}

/** 503 with the reason: no model, or the session store failed. */
function unavailable(err: ModelUnavailableError | SessionStoreUnavailableError): Answer {
  return { status: 503, body: { error: { name: err.name, message: err.message } } };
}

/**
 * One page view, from the parsed JSON body to the answer: validation (400
 * naming the field), no model (503), the session store's append, the
 * recommendation. The Express route and the raw fast path (server.ts) both
 * answer through it, so they cannot drift apart.
 */
export async function pageView(deps: ServingDeps, raw: unknown, now: () => number): Promise<Answer> {
  const parsed = pageViewBody.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ field: fieldOf(i.path), message: i.message }));
    const first = issues[0] ?? { field: "body", message: "invalid request" };
    return { status: 400, body: { error: { name: "ValidationError", field: first.field, message: `${first.field}: ${first.message}`, issues } } };
  }
  const body = parsed.data;
  const reason = deps.holder.unavailableReason;
  if (reason !== null) return unavailable(new ModelUnavailableError(reason));
  const ts = body.timestamp === undefined ? now() : typeof body.timestamp === "number" ? body.timestamp : Date.parse(body.timestamp);
  const started = performance.now();
  let snapshot;
  try {
    snapshot = await deps.store.append(body.sessionId, { page: body.page, ts }, body.userId);
  } catch (err) {
    return unavailable(new SessionStoreUnavailableError(`the session store (Redis) failed: ${err instanceof Error ? err.message : String(err)}`));
  }
  let rec;
  try {
    rec = await deps.recommender.recommend(snapshot, body.k ?? deps.defaultK ?? DEFAULT_TOP_K);
  } catch (err) {
    if (err instanceof ModelUnavailableError) return unavailable(err);
    throw err;
  }
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
    let redis: string | null = null;
    try {
      await deps.store.ping();
    } catch (err) {
      redis = `the session store (Redis) does not answer: ${err instanceof Error ? err.message : String(err)}`;
    }
    const reason = redis ?? deps.holder.unavailableReason;
    const body = { ready: reason === null, model: model?.identity ?? null, reason, followError: deps.follower?.lastError ?? null };
    res.status(reason === null ? 200 : 503).json(body);
  });

  app.post("/v1/page-views", async (req: Request, res: Response) => {
    const answer = await pageView(deps, req.body ?? undefined, now);
    res.status(answer.status).json(answer.body);
  });

  app.use((_req: Request, res: Response) => {
    fail(res, 404, { error: { name: "NotFound", message: "no such endpoint; POST /v1/page-views, GET /healthz, GET /readyz" } });
  });

  // Express 5 forwards rejected async handlers here (pageView answers 503s itself).
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    const status = (err as { status?: unknown; type?: unknown }).status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      // body-parser: malformed JSON, too large, wrong charset.
      const message = err instanceof Error ? err.message : String(err);
      fail(res, status, { error: { name: "ValidationError", field: "body", message: `body: ${message}` } });
      return;
    }
    const name = err instanceof Error ? err.name : "Error";
    fail(res, 500, { error: { name, message: err instanceof Error ? err.message : String(err) } });
  });

  return app;
}
