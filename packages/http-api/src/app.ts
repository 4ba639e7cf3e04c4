// createApi: the Express application of the platform. Routes come from one
// table (routes/*.ts); each is authorized, validated and answered the same
// way here, and every error leaves through one handler in one format.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import express, { type NextFunction, type Request, type Response } from "express";
import { authorize } from "./auth.js";
import { ApiError, toApiError, validationError, zodIssues } from "./errors.js";
import { LiveFeeds } from "./live.js";
import { openApiDocument } from "./openapi.js";
import { campaignRoutes } from "./routes/campaigns.js";
import { datasetRoutes } from "./routes/datasets.js";
import { eventRoutes } from "./routes/events.js";
import { modelRoutes } from "./routes/models.js";
import { systemRoutes } from "./routes/system.js";
import { mountOperations } from "./operations.js";
import { route, type ApiDeps, type HandlerContext, type RouteDef } from "./types.js";

export interface Api {
  app: express.Express;
  routes: readonly RouteDef[];
  openApi: ReturnType<typeof openApiDocument>;
  /** Ends live feeds; the HTTP server itself belongs to the caller. */
  close(): void;
  /** Live feeds open now (each polls the database) and their listeners. */
  liveStats(): { feeds: number; listeners: number };
}

function parsePart<T>(schema: RouteDef["body"], value: unknown, what: "body" | "query"): T {
  if (!schema) return value as T;
  const r = schema.safeParse(value);
  if (!r.success) throw validationError(zodIssues(r.error, what === "query" ? ["query"] : []), what === "query" ? "query" : "request body");
  return r.data as T;
}

function handle(deps: ApiDeps, r: RouteDef) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const token = await authorize(deps.repos, r.scope, req.headers.authorization, deps.config.openReads);
      const hasBody = Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"] !== undefined;
      if (r.body && hasBody && !req.is("application/json")) throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "send the body as application/json");
      const ctx: HandlerContext = {
        deps,
        token,
        params: req.params as Record<string, string>,
        body: parsePart(r.body, req.body ?? {}, "body"),
        query: parsePart(r.query, { ...(req.query as Record<string, unknown>) }, "query"),
      };
      if (r.stream) return await r.stream(ctx, req, res);
      const result = await r.handler?.(ctx);
      res.status(r.status ?? 200).json(result ?? {});
    } catch (err) {
      next(err);
    }
  };
}

export function createApi(deps: ApiDeps): Api {
  const feeds = new LiveFeeds(deps.repos, deps.config.ssePollMs);
  const routes: RouteDef[] = [...systemRoutes(), ...datasetRoutes(), ...campaignRoutes(), ...modelRoutes(), ...eventRoutes(feeds, deps.config.sseMaxPerToken)];
  const openApi = openApiDocument([
    ...routes,
    route({ method: "get", path: "/api/openapi.json", scope: "public", tag: "system", summary: "This document" }),
  ]);
  routes.push(route({ method: "get", path: "/api/openapi.json", scope: "public", tag: "system", summary: "This document", handler: async () => openApi }));

  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  app.use((_req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    next();
  });
  mountOperations(app, deps);
  app.use("/api", express.json({ limit: deps.config.bodyLimit, type: ["application/json", "application/*+json"] }));
  for (const r of routes) app[r.method](r.path, handle(deps, r));
  app.use("/api", (req, _res, next) => next(new ApiError("NOT_FOUND", `no route ${req.method} ${req.originalUrl}`)));

  const dir = deps.config.dashboardDir ? resolve(deps.config.dashboardDir) : undefined;
  if (dir && existsSync(join(dir, "index.html"))) {
    app.use(express.static(dir, { index: "index.html", maxAge: "1h", setHeaders: (res, path) => path.endsWith(".html") && res.setHeader("Cache-Control", "no-cache") }));
    // Client-side routes (/campaigns/:id) load the app shell.
    app.get("/{*page}", (_req, res) => res.setHeader("Cache-Control", "no-cache").sendFile(join(dir, "index.html")));
  }

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = toApiError(err);
    if (e.code === "INTERNAL_ERROR") {
      if (deps.logger) deps.logger.error({ err }, "internal error");
      else console.error("drnn api: internal error:", err);
    }
    if (res.headersSent) return res.end();
    res.status(e.status).json(e.body());
  });

  return { app, routes, openApi, close: () => feeds.close(), liveStats: () => feeds.stats() };
}
