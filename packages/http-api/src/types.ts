// What createApi needs, and what one route is. Routes are data: the same
// table registers the Express handlers and writes the OpenAPI document.
import type { Request, Response, Router } from "express";
import type { Logger, MetricsEndpoint, ReadinessCheck } from "@drnn/ops";
import type { ApiToken, Dataset, Repositories } from "@drnn/db";
import type { z } from "zod";

export type Scope = "public" | "read" | "write";

export interface PromoteInput {
  campaignId: string;
  name: string;
  actor: string;
}

export interface RollbackInput {
  name: string;
  toVersion: number;
  actor: string;
}

export interface ApiConfig {
  /** Reads need no token when true; state changes always need a write token. */
  openReads: boolean;
  /** Largest JSON body accepted, as body-parser writes it ("256kb"). */
  bodyLimit: string;
  /** How often live streams look at the database for new rows. */
  ssePollMs: number;
  /** Event streams open at once per token (default 16); more answer 429. */
  sseMaxPerToken?: number;
  /** A worker whose heartbeat is older than this is shown as not alive. */
  workerLivenessMs: number;
  /** Built dashboard (index.html and assets) to serve at "/"; absent: API only. */
  dashboardDir?: string;
  /** Where POST /api/datasets/synthetic writes logs and prepared datasets. */
  dataDir: string;
  /**
   * Directories a dataset registered by path must lie in (dataDir is always
   * one). A path outside them gets one answer whether or not it exists, so
   * a token cannot probe the server's filesystem.
   */
  datasetRoots?: readonly string[];
}

export interface ApiDeps {
  repos: Repositories;
  config: ApiConfig;
  /** The model registry's promotion (packages/serving); absent: promote answers 501. */
  promote?: (repos: Repositories, input: PromoteInput) => Promise<unknown>;
  /** The model registry's rollback (packages/serving); absent: rollback answers 501. */
  rollback?: (repos: Repositories, input: RollbackInput) => Promise<unknown>;
  /** Stores a prepared directory in the artifact store and registers it; absent: registered by its path only. */
  pushDataset?: (dir: string, name: string) => Promise<Dataset>;
  /** Describes who runs campaigns launched here (shown by GET /api/health). */
  coordinator?: { owner: string; executor: string };
  /** GET /metrics: the process's registry and extra sources; absent: no /metrics. */
  metrics?: MetricsEndpoint;
  /** GET /readyz: the checks that must pass (PostgreSQL, migrations, Redis); absent: always ready. */
  readiness?: Record<string, ReadinessCheck>;
  /** The queue view (bull-board's router, built for base path QUEUE_BOARD_PATH), mounted for write tokens. */
  queueBoard?: Router;
  /** Internal errors; absent: stderr. */
  logger?: Logger;
}

export interface HandlerContext<B = unknown, Q = unknown> {
  deps: ApiDeps;
  params: Record<string, string>;
  body: B;
  query: Q;
  token: ApiToken | null;
}

export interface RouteDef<B = unknown, Q = unknown, R = unknown> {
  method: "get" | "post" | "delete";
  /** Express path syntax, e.g. "/api/campaigns/:id". */
  path: string;
  scope: Scope;
  summary: string;
  tag: string;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  /** The success body (the contract's `Responses`): it types the handler and documents the route. */
  response?: z.ZodType<R>;
  /** 200 unless said otherwise (201 for creations). */
  status?: number;
  /** An event stream instead of a JSON body. */
  stream?: (ctx: HandlerContext<B, Q>, req: Request, res: Response) => Promise<void>;
  handler?: (ctx: HandlerContext<B, Q>) => Promise<R>;
}

/** Keeps each route's body, query and response types tied to its handler. */
export function route<B = unknown, Q = unknown, R = unknown>(def: RouteDef<B, Q, R>): RouteDef {
  return def as unknown as RouteDef;
}
