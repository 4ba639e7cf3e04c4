// What an operator's tools read, outside the /api table (they answer text or
// their own JSON, not the API's DTOs):
//   GET /healthz   the process is up (no dependency checked)
//   GET /readyz    PostgreSQL and Redis answer, migrations applied (503 + the failing checks otherwise)
//   GET /metrics   Prometheus text: this process's registry (and the queue's counts)
//   /admin/queues  the BullMQ queue view (bull-board), for write-token holders only
import type express from "express";
import type { NextFunction, Request, Response } from "express";
import { checkReadiness, metricsHandler } from "@drnn/ops";
import { authorize } from "./auth.js";
import { ApiError } from "./errors.js";
import type { ApiDeps } from "./types.js";

export const QUEUE_BOARD_PATH = "/admin/queues";

/**
 * A browser opening the queue view cannot send a bearer header: it may sign
 * in with HTTP Basic, the token as the password (any user name). Answers
 * 401 with a Basic challenge, or 403 to a read-only token.
 */
function boardAuth(deps: ApiDeps) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    const basic = header ? /^Basic\s+(\S+)\s*$/i.exec(header) : null;
    const presented = basic?.[1] ? `Bearer ${Buffer.from(basic[1], "base64").toString("utf8").replace(/^[^:]*:/, "")}` : header;
    try {
      await authorize(deps.repos, "write", presented, false);
      next();
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError("UNAUTHORIZED", "a write token is needed");
      if (e.status === 401) res.setHeader("WWW-Authenticate", 'Basic realm="drnn queues", charset="UTF-8"');
      res.status(e.status).json(e.body());
    }
  };
}

export function mountOperations(app: express.Express, deps: ApiDeps): void {
  app.get("/healthz", (_req, res) => void res.json({ ok: true }));
  app.get("/readyz", async (_req, res) => {
    const r = await checkReadiness(deps.readiness ?? {});
    res.status(r.ready ? 200 : 503).json(r);
  });
  if (deps.metrics) {
    const handle = metricsHandler(deps.metrics);
    app.get("/metrics", (req, res) => handle(req, res));
  }
  if (deps.queueBoard) app.use(QUEUE_BOARD_PATH, boardAuth(deps), deps.queueBoard);
}
