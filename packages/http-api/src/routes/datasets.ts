// Datasets: list, read, register a prepared artifact directory, or make a
// synthetic one (the demo's data) on the server.
import { existsSync, mkdirSync, realpathSync } from "node:fs";
import { basename, isAbsolute, join, relative, resolve } from "node:path";
import { CampaignsQuery, RegisterDatasetBody, Responses, SyntheticDatasetBody } from "@drnn/contract";
import { loadDataset, prepareDataset, registeredStats, writeSyntheticLog } from "@drnn/data";
import type { Repositories } from "@drnn/db";
import { campaignDto, datasetDto } from "../dto.js";
import { ApiError, validationError } from "../errors.js";
import { route, type ApiDeps, type RouteDef } from "../types.js";
import { IdParam } from "./params.js";

/** Registers a prepared directory: through the artifact store when the server has one, else by its path. */
function register(deps: ApiDeps, dir: string, name?: string) {
  return deps.pushDataset ? deps.pushDataset(dir, name ?? basename(dir)) : registerPrepared(deps.repos, dir, name);
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** `path` resolved (symlinks too), or a refusal that says the same whether or not it exists. */
function insideRoots(deps: ApiDeps, path: string): string {
  const dir = real(path);
  const roots = [deps.config.dataDir, ...(deps.config.datasetRoots ?? [])].map(real);
  const inside = roots.some((root) => {
    const rel = relative(root, dir);
    return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
  });
  if (!inside) throw validationError([{ path: "path", message: "must be a directory inside the server's dataset roots" }]);
  return dir;
}

export async function registerPrepared(repos: Repositories, dir: string, name = basename(dir)) {
  const d = loadDataset(dir, { verify: true });
  const m = d.manifest;
  return repos.datasets.register({
    name,
    format: m.source.format,
    contentHash: m.contentHash,
    location: dir,
    stats: registeredStats(m),
  });
}

export function datasetRoutes(): RouteDef[] {
  return [
    route({
      method: "get",
      path: "/api/datasets",
      response: Responses.datasets,
      scope: "read",
      tag: "datasets",
      summary: "Registered datasets, newest first",
      handler: async ({ deps }) => ({ datasets: (await deps.repos.datasets.list()).map(datasetDto) }),
    }),
    route({
      method: "get",
      path: "/api/datasets/:id",
      response: Responses.dataset,
      scope: "read",
      tag: "datasets",
      summary: "One dataset",
      handler: async ({ deps, params }) => ({ dataset: datasetDto(await deps.repos.datasets.get(IdParam.parse(params).id)) }),
    }),
    route({
      method: "get",
      path: "/api/datasets/:id/campaigns",
      response: Responses.campaigns,
      scope: "read",
      tag: "datasets",
      summary: "The campaigns run on one dataset, newest first",
      query: CampaignsQuery,
      handler: async ({ deps, params, query }) => {
        const { id } = IdParam.parse(params);
        await deps.repos.datasets.get(id);
        return { campaigns: (await deps.repos.campaigns.list({ datasetId: id, take: query.take })).map(campaignDto) };
      },
    }),
    route({
      method: "post",
      path: "/api/datasets",
      response: Responses.dataset,
      scope: "write",
      tag: "datasets",
      summary: "Register a prepared dataset directory (same content hash: same dataset)",
      body: RegisterDatasetBody,
      status: 201,
      handler: async ({ deps, body }) => {
        const dir = insideRoots(deps, body.path);
        if (!existsSync(dir)) throw validationError([{ path: "path", message: `${dir} does not exist on the API's machine` }]);
        // A directory that is not a prepared dataset: the data package's ARTIFACT_CORRUPT, a 422.
        return { dataset: datasetDto(await register(deps, dir)) };
      },
    }),
    route({
      method: "post",
      path: "/api/datasets/synthetic",
      response: Responses.dataset,
      scope: "write",
      tag: "datasets",
      summary: "Synthesize a seeded shop log, prepare it and register it",
      body: SyntheticDatasetBody,
      status: 201,
      handler: async ({ deps, body }) => {
        const dir = resolve(deps.config.dataDir, `synthetic-s${body.seed}-n${body.sessions}`);
        mkdirSync(dir, { recursive: true });
        const out = join(dir, "dataset");
        if (!existsSync(join(out, "manifest.json"))) {
          await writeSyntheticLog(join(dir, "log.jsonl"), { sessions: body.sessions, seed: body.seed });
          await prepareDataset({ format: "jsonl", input: join(dir, "log.jsonl"), out });
        }
        if (!existsSync(join(out, "manifest.json"))) throw new ApiError("INTERNAL_ERROR", "dataset preparation wrote no manifest");
        return { dataset: datasetDto(await register(deps, out, `synthetic s${body.seed} n${body.sessions}`)) };
      },
    }),
  ];
}
