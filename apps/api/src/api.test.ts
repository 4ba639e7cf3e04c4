// The API against the run's real PostgreSQL: tokens (401/403), validation
// with field paths, the one error format, and the OpenAPI document's truth.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { API_ERROR_CODES, HTTP_STATUS, createApi, openApiPath, type ErrorBody } from "@drnn/http-api";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NothingToPromoteError, promoteCampaign, rollbackModel } from "@drnn/serving";
import { openTestApi, type TestApi } from "./testing.js";

let api: TestApi;
beforeAll(async () => {
  api = await openTestApi(inject("databaseUrl"));
});
afterAll(async () => {
  await api?.close();
});

const launchBody = () => ({
  name: "api test",
  datasetId: api.datasetId,
  strategy: "elitist",
  seed: 7,
  budget: 4,
  ga: { populationSize: 2, generations: 1 },
  training: { maxEpochs: 2, pi: 0.01 },
});

async function errorOf(res: Response): Promise<ErrorBody["error"]> {
  const body = (await res.json()) as ErrorBody;
  expect(Object.keys(body)).toEqual(["error"]);
  expect(API_ERROR_CODES).toContain(body.error.code);
  expect(res.status).toBe(HTTP_STATUS[body.error.code]);
  return body.error;
}

describe("auth", () => {
  it("answers 401 without a token, for reads and writes", async () => {
    expect((await errorOf(await api.call("GET", "/api/campaigns"))).code).toBe("UNAUTHORIZED");
    const res = await api.call("POST", "/api/campaigns", { body: launchBody() });
    expect(res.status).toBe(401);
    expect((await errorOf(res)).message).toMatch(/drnn token create/);
  });

  it("answers 401 for an unknown, malformed or revoked token", async () => {
    expect((await api.call("GET", "/api/campaigns", { token: "drnn_nope" })).status).toBe(401);
    expect((await api.call("GET", "/api/campaigns", { headers: { authorization: "Basic abc" } })).status).toBe(401);
    const { token, record } = await api.repos.tokens.create("short-lived", ["write"]);
    expect((await api.call("GET", "/api/campaigns", { token })).status).toBe(200);
    await api.repos.tokens.revoke(record.id);
    expect((await api.call("GET", "/api/campaigns", { token })).status).toBe(401);
  });

  it("answers 403 to a read-only token on a write, and lets it read", async () => {
    const res = await api.call("POST", "/api/campaigns", { token: api.readToken, body: launchBody() });
    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe("FORBIDDEN");
    expect((await api.call("GET", "/api/campaigns", { token: api.readToken })).status).toBe(200);
    expect((await api.call("GET", "/api/session", { token: api.readToken }).then((r) => r.json())) as unknown).toMatchObject({ token: { name: "test-read", scopes: ["read"] } });
  });

  it("keeps health and the OpenAPI document public", async () => {
    expect((await api.call("GET", "/api/health")).status).toBe(200);
    expect((await api.call("GET", "/api/openapi.json")).status).toBe(200);
  });

  it("opens reads when configured, never writes", async () => {
    const open = await openTestApi(inject("databaseUrl"), { openReads: true });
    try {
      expect((await open.call("GET", "/api/campaigns")).status).toBe(200);
      expect((await open.call("POST", "/api/campaigns", { body: launchBody() })).status).toBe(401);
    } finally {
      await open.close();
    }
  });
});

describe("validation and errors", () => {
  it("names every bad field of a launch body", async () => {
    const res = await api.call("POST", "/api/campaigns", {
      token: api.writeToken,
      body: { datasetId: "not-a-uuid", strategy: "hill-climb", training: { maxEpochs: 0, pi: 0.1 }, extra: 1 },
    });
    const err = await errorOf(res);
    expect(err.code).toBe("VALIDATION_FAILED");
    expect(res.status).toBe(400);
    const paths = err.issues?.map((i) => i.path) ?? [];
    expect(paths).toEqual(expect.arrayContaining(["datasetId", "strategy", "training.maxEpochs", ""]));
  });

  it("reports GA settings and search-space problems under their own paths", async () => {
    const ga = await errorOf(await api.call("POST", "/api/campaigns", { token: api.writeToken, body: { ...launchBody(), ga: { populationSize: 1, mutationRate: 2 } } }));
    expect(ga.code).toBe("VALIDATION_FAILED");
    expect(ga.issues?.map((i) => i.path)).toEqual(expect.arrayContaining(["ga.populationSize", "ga.mutationRate"]));
    const space = await errorOf(await api.call("POST", "/api/campaigns", { token: api.writeToken, body: { ...launchBody(), searchSpace: { name: "x", genes: [{ name: "w", type: "int", min: 5, max: 1 }] } } }));
    expect(space.code).toBe("VALIDATION_FAILED");
    expect(space.issues?.every((i) => i.path.startsWith("searchSpace"))).toBe(true);
  });

  it("rejects bad JSON, wrong media types and bodies over the limit", async () => {
    expect((await errorOf(await api.call("POST", "/api/campaigns", { token: api.writeToken, body: "{nope" }))).code).toBe("BAD_REQUEST");
    const text = await api.call("POST", "/api/campaigns", { token: api.writeToken, headers: { "content-type": "text/plain" }, body: "x" });
    expect((await errorOf(text)).code).toBe("UNSUPPORTED_MEDIA_TYPE");
    const big = await api.call("POST", "/api/campaigns", { token: api.writeToken, body: { ...launchBody(), name: "x".repeat(100_000) } });
    expect((await errorOf(big)).code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("maps missing rows to 404 and refused transitions to 409", async () => {
    expect((await errorOf(await api.call("GET", "/api/campaigns/00000000-0000-0000-0000-000000000000", { token: api.readToken }))).code).toBe("NOT_FOUND");
    expect((await errorOf(await api.call("GET", "/api/campaigns/not-an-id", { token: api.readToken }))).code).toBe("NOT_FOUND");
    expect((await errorOf(await api.call("GET", "/api/nothing-here", { token: api.readToken }))).code).toBe("NOT_FOUND");
    const created = await api.call("POST", "/api/campaigns", { token: api.writeToken, body: launchBody() });
    expect(created.status).toBe(201);
    const { campaign } = (await created.json()) as { campaign: { id: string; state: string; seed: string } };
    expect(campaign).toMatchObject({ state: "queued", seed: "7" });
    expect((await api.call("POST", `/api/campaigns/${campaign.id}/cancel`, { token: api.writeToken })).status).toBe(200);
    expect((await errorOf(await api.call("POST", `/api/campaigns/${campaign.id}/cancel`, { token: api.writeToken }))).code).toBe("ILLEGAL_TRANSITION");
    expect((await errorOf(await api.call("POST", `/api/campaigns/${campaign.id}/resume`, { token: api.writeToken }))).code).toBe("ILLEGAL_TRANSITION");
  });

  it("answers 501 to promote when the server has no model registry", async () => {
    const created = (await (await api.call("POST", "/api/campaigns", { token: api.writeToken, body: launchBody() })).json()) as { campaign: { id: string } };
    const err = await errorOf(await api.call("POST", `/api/campaigns/${created.campaign.id}/promote`, { token: api.writeToken, body: {} }));
    expect(err.code).toBe("NOT_IMPLEMENTED");
  });

  it("pages candidates and reads a campaign with its generations", async () => {
    const { campaign } = (await (await api.call("POST", "/api/campaigns", { token: api.writeToken, body: launchBody() })).json()) as { campaign: { id: string } };
    for (const h of ["a", "b", "c"]) await api.repos.candidates.create({ campaignId: campaign.id, chromosome: { w: h.charCodeAt(0) % 4 + 1 }, hash: h });
    const hashes: string[] = [];
    for (const offset of [0, 1, 2]) {
      const page = (await (await api.call("GET", `/api/campaigns/${campaign.id}/candidates?offset=${offset}&limit=1`, { token: api.readToken })).json()) as { total: number; candidates: { hash: string }[] };
      expect(page.total).toBe(3);
      expect(page.candidates).toHaveLength(1);
      hashes.push(...page.candidates.map((c) => c.hash));
    }
    expect(hashes.sort()).toEqual(["a", "b", "c"]);
    const bad = await errorOf(await api.call("GET", `/api/campaigns/${campaign.id}/candidates?limit=0`, { token: api.readToken }));
    expect(bad.issues?.[0]?.path).toBe("query.limit");
    const detail = (await (await api.call("GET", `/api/campaigns/${campaign.id}`, { token: api.readToken })).json()) as { counts: Record<string, number>; generations: unknown[] };
    expect(detail.counts["queued"]).toBe(3);
    expect(detail.generations).toEqual([]);
  });
});

describe("candidate and dataset pages", () => {
  const metrics = (hit1: number) => ({ split: "test", samples: 40, sessions: 9, accuracy: hit1, hit: { 1: hit1, 5: 0.5, 10: 0.6, 20: 0.7 }, mrr20: 0.4, pathCompression: 1.2, sessionAccuracy: 0.3, reachable: 0.9 });

  it("reads one candidate with its curve, campaign, worker and the dataset's baselines", async () => {
    const { campaign } = (await (await api.call("POST", "/api/campaigns", { token: api.writeToken, body: launchBody() })).json()) as { campaign: { id: string } };
    await api.repos.datasets.setStats(api.datasetId, { sessions: 12, baselines: { spop: metrics(0.3) } });
    await api.repos.workers.register({ id: "w-page", hostname: "box", backend: "simulated", device: "cpu", concurrency: 1 });
    const created = await api.repos.candidates.create({ campaignId: campaign.id, chromosome: { w: 2 }, hash: "page" });
    await api.repos.candidates.start(created.id, { workerId: "w-page", backend: "simulated", device: "cpu" });
    await api.repos.epochs.record(created.id, { epoch: 1, trainLoss: 2, valLoss: 1.9, valAccuracy: 0.2, seconds: 1 });
    await api.repos.candidates.complete(created.id, { fitness: 0.2, accuracy: 0.2, loss: 1.9, converged: true, epochs: 1, trainSeconds: 1, testMetrics: metrics(0.35) });
    const res = await api.call("GET", `/api/candidates/${created.id}`, { token: api.readToken });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      candidate: { id: created.id, state: "completed", attempts: 1, workerId: "w-page", testMetrics: { hit: { 1: 0.35 } } },
      epochs: [{ epoch: 1, valAccuracy: 0.2 }],
      campaign: { id: campaign.id, name: "api test", strategy: "elitist" },
      dataset: { id: api.datasetId, name: "api-test" },
      baselines: { spop: { hit: { 1: 0.3 } } },
      worker: { id: "w-page", hostname: "box", alive: true },
    });
    expect((await errorOf(await api.call("GET", "/api/candidates/3f0c5a1e-0000-4000-8000-000000000000", { token: api.readToken }))).code).toBe("NOT_FOUND");
  });

  it("lists the campaigns run on a dataset, and no other's", async () => {
    const other = await api.repos.datasets.register({ name: "other", format: "jsonl", contentHash: "sha256:other-dataset", location: "/nowhere", stats: {} });
    const { campaign } = (await (await api.call("POST", "/api/campaigns", { token: api.writeToken, body: { ...launchBody(), datasetId: other.id, name: "on other" } })).json()) as { campaign: { id: string } };
    const mine = (await (await api.call("GET", `/api/datasets/${api.datasetId}/campaigns`, { token: api.readToken })).json()) as { campaigns: { id: string; datasetId: string }[] };
    expect(mine.campaigns.length).toBeGreaterThan(0);
    expect(mine.campaigns.every((c) => c.datasetId === api.datasetId)).toBe(true);
    const theirs = (await (await api.call("GET", `/api/datasets/${other.id}/campaigns`, { token: api.readToken })).json()) as { campaigns: { id: string }[] };
    expect(theirs.campaigns.map((c) => c.id)).toEqual([campaign.id]);
  });
});

describe("OpenAPI document", () => {
  it("lists exactly the routes Express serves, and every error code has one status", () => {
    const built = createApi({ repos: api.repos, config: { openReads: false, bodyLimit: "1kb", ssePollMs: 250, workerLivenessMs: 1000, dataDir: "/tmp" } });
    const stack = (built.app as unknown as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router.stack;
    const served = stack
      .filter((l) => l.route && l.route.path.startsWith("/api/"))
      .flatMap((l) => Object.keys(l.route?.methods ?? {}).map((m) => `${m.toUpperCase()} ${openApiPath(l.route?.path ?? "")}`))
      .sort();
    const documented = Object.entries(built.openApi.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(served.length).toBeGreaterThan(10);
    expect(documented).toEqual(served);
    expect(Object.keys(HTTP_STATUS).sort()).toEqual([...API_ERROR_CODES].sort());
    for (const ops of Object.values(built.openApi.paths)) {
      for (const op of Object.values(ops) as { responses: Record<string, unknown> }[]) {
        for (const status of Object.keys(op.responses)) expect(Number(status)).toBeGreaterThanOrEqual(200);
      }
    }
    built.close();
  });

  it("is what GET /api/openapi.json serves, with the launch body's fields", async () => {
    const doc = (await (await api.call("GET", "/api/openapi.json")).json()) as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } }>> };
    const launch = doc.paths["/api/campaigns"]?.["post"]?.requestBody?.content["application/json"]?.schema.properties ?? {};
    expect(Object.keys(launch)).toEqual(expect.arrayContaining(["datasetId", "strategy", "seed", "budget", "searchSpace", "ga", "training"]));
  });
});

describe("promote", () => {
  it("calls the registry's promotion with the token as actor, and maps its refusal to 409", async () => {
    const calls: unknown[] = [];
    const withRegistry = await openTestApi(inject("databaseUrl"), {}, {
      promote: async (_repos, input) => {
        calls.push(input);
        if (input.name === "empty") throw new NothingToPromoteError("campaign has no completed candidate");
        return { name: input.name, version: 1 };
      },
    });
    try {
      const body = { datasetId: withRegistry.datasetId, strategy: "random", budget: 2, ga: { populationSize: 2, generations: 1 } };
      const { campaign } = (await (await withRegistry.call("POST", "/api/campaigns", { token: withRegistry.writeToken, body })).json()) as { campaign: { id: string } };
      const ok = await withRegistry.call("POST", `/api/campaigns/${campaign.id}/promote`, { token: withRegistry.writeToken, body: { name: "shop" } });
      expect(ok.status).toBe(201);
      expect(await ok.json()).toEqual({ promotion: { name: "shop", version: 1 } });
      expect(calls[0]).toEqual({ campaignId: campaign.id, name: "shop", actor: "token:test-write" });
      const refused = await withRegistry.call("POST", `/api/campaigns/${campaign.id}/promote`, { token: withRegistry.writeToken, body: { name: "empty" } });
      expect((await errorOf(refused)).code).toBe("ILLEGAL_TRANSITION");
      expect((await withRegistry.call("POST", `/api/campaigns/${campaign.id}/promote`, { token: withRegistry.readToken, body: {} })).status).toBe(403);
    } finally {
      await withRegistry.close();
    }
  });
});

describe("package errors in routes", () => {
  it("answer a data error with its own 4xx (422 UNPROCESSABLE), not 500: registering, and deep inside a real promotion", async () => {
    const notADataset = mkdtempSync(join(tmpdir(), "drnn-not-a-dataset-"));
    const withRegistry = await openTestApi(inject("databaseUrl"), { datasetRoots: [notADataset] }, { promote: (repos, input) => promoteCampaign(repos, { ...input, artifactsDir: join(notADataset, "store") }) });
    try {
      const registered = await withRegistry.call("POST", "/api/datasets", { token: withRegistry.writeToken, body: { path: notADataset } });
      expect(registered.status).toBe(422);
      expect(await errorOf(registered)).toMatchObject({ code: "UNPROCESSABLE", message: expect.stringMatching(/not a prepared dataset/) });

      // A campaign whose dataset row points at that directory: the registry's loadDataset raises ARTIFACT_CORRUPT.
      const { repos } = withRegistry;
      const dataset = await repos.datasets.register({ name: "broken", format: "jsonl", contentHash: `sha256:broken-${Date.now()}`, location: notADataset, stats: {} });
      const campaign = await repos.campaigns.create({ datasetId: dataset.id, strategy: "random", searchSpace: {}, gaSettings: {}, seed: 1n, budget: 1 });
      const row = await repos.candidates.create({ campaignId: campaign.id, chromosome: { w: 2, l: 1, neurons: [8] }, hash: "h1" });
      await repos.candidates.start(row.id);
      await repos.candidates.complete(row.id, { fitness: 0.5, accuracy: 0.2, loss: 1, converged: true, epochs: 1, trainSeconds: 1 });
      const promoted = await withRegistry.call("POST", `/api/campaigns/${campaign.id}/promote`, { token: withRegistry.writeToken, body: { name: "broken" } });
      expect(promoted.status).toBe(422);
      expect((await errorOf(promoted)).code).toBe("UNPROCESSABLE");
    } finally {
      await withRegistry.close();
      rmSync(notADataset, { recursive: true, force: true });
    }
  });
});

describe("rollback", () => {
  it("moves the live version back through the registry's real rollback, and says who did it", async () => {
    const withRegistry = await openTestApi(inject("databaseUrl"), {}, { rollback: (repos, input) => rollbackModel(repos, input) });
    try {
      const { repos } = withRegistry;
      const v1 = await repos.models.addVersion({ name: "shop", chromosome: { w: 1 }, fitness: 0.2, metrics: { datasetHash: "sha256:abc" }, artifact: "/nowhere/1" });
      const v2 = await repos.models.addVersion({ name: "shop", chromosome: { w: 2 }, fitness: 0.3, artifact: "/nowhere/2" });
      await repos.models.promote(v2.id, "shop", "cli");
      const before = (await (await withRegistry.call("GET", "/api/models/shop", { token: withRegistry.readToken })).json()) as { live: { version: number } };
      expect(before.live.version).toBe(2);

      const res = await withRegistry.call("POST", "/api/models/shop/rollback", { token: withRegistry.writeToken, body: { toVersion: 1 } });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ rollback: { name: "shop", version: 1, previousVersion: 2, modelVersionId: v1.id, actor: "token:test-write" } });
      const after = (await (await withRegistry.call("GET", "/api/models/shop", { token: withRegistry.readToken })).json()) as {
        live: { version: number };
        versions: { version: number }[];
        history: { action: string; modelVersionId: string; actor: string | null }[];
      };
      expect(after.live.version).toBe(1);
      expect(after.versions.map((v) => v.version)).toEqual([1, 2]);
      expect(after.history.map((h) => [h.action, h.modelVersionId, h.actor])).toEqual([
        ["promote", v2.id, "cli"],
        ["rollback", v1.id, "token:test-write"],
      ]);
    } finally {
      await withRegistry.close();
    }
  });

  it("answers 404 to an unknown version or name, 400 naming toVersion, 403 to a read-only token", async () => {
    const withRegistry = await openTestApi(inject("databaseUrl"), {}, { rollback: (repos, input) => rollbackModel(repos, input) });
    try {
      const v1 = await withRegistry.repos.models.addVersion({ name: "shop", chromosome: { w: 1 }, fitness: 0.2, artifact: "/nowhere/1" });
      await withRegistry.repos.models.promote(v1.id, "shop");
      const write = { token: withRegistry.writeToken };
      expect((await errorOf(await withRegistry.call("POST", "/api/models/shop/rollback", { ...write, body: { toVersion: 7 } }))).code).toBe("NOT_FOUND");
      expect((await errorOf(await withRegistry.call("POST", "/api/models/nobody/rollback", { ...write, body: { toVersion: 1 } }))).code).toBe("NOT_FOUND");
      for (const body of [{}, { toVersion: "1" }, { toVersion: 0 }, { toVersion: 1.5 }]) {
        const res = await withRegistry.call("POST", "/api/models/shop/rollback", { ...write, body });
        expect(res.status).toBe(400);
        const err = await errorOf(res);
        expect(err.code).toBe("VALIDATION_FAILED");
        expect(err.issues?.map((i) => i.path)).toEqual(["toVersion"]);
        expect(err.message).toContain("toVersion");
      }
      const forbidden = await withRegistry.call("POST", "/api/models/shop/rollback", { token: withRegistry.readToken, body: { toVersion: 1 } });
      expect(forbidden.status).toBe(403);
      expect((await errorOf(forbidden)).code).toBe("FORBIDDEN");
      expect((await withRegistry.call("POST", "/api/models/shop/rollback", { body: { toVersion: 1 } })).status).toBe(401);
      // Nothing above changed the history.
      expect(await withRegistry.repos.models.history("shop")).toHaveLength(1);
    } finally {
      await withRegistry.close();
    }
  });

  it("answers 501 when the server has no model registry, and is in the OpenAPI document", async () => {
    expect((await errorOf(await api.call("POST", "/api/models/drnn/rollback", { token: api.writeToken, body: { toVersion: 1 } }))).code).toBe("NOT_IMPLEMENTED");
    const doc = (await (await api.call("GET", "/api/openapi.json")).json()) as { paths: Record<string, Record<string, { "x-scope"?: string; requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown>; required?: string[] } }> } }>> };
    const op = doc.paths["/api/models/{name}/rollback"]?.["post"];
    expect(op?.["x-scope"]).toBe("write");
    expect(op?.requestBody?.content["application/json"]?.schema.required).toEqual(["toVersion"]);
  });
});

describe("online status", () => {
  it("shows a name's batches, decisions with lineage and the per-batch accuracy the retrain recorded", async () => {
    const t = await openTestApi(inject("databaseUrl"));
    try {
      const { repos } = t;
      const v1 = await repos.models.addVersion({ name: "stream", chromosome: { w: 1 }, fitness: 0.2, artifact: "/nowhere/1" });
      await repos.models.promote(v1.id, "stream", "online");
      const at = new Date("2024-03-01T10:00:00Z");
      await repos.ingest.commit({ source: "s", position: 1n, closed: [{ modelName: "stream", sourceKey: "a", records: [], firstEventAt: at, lastEventAt: at, hasPurchase: true }], open: [], removedOpenKeys: [] });
      const [batch] = await repos.onlineBatches.cutReady("stream", 1);
      if (!batch) throw new Error("no batch");
      await repos.onlineBatches.startTraining(batch.id);
      const m = (hit1: number) => ({ samples: 10, sessions: 2, hit1, hit20: 0.9, mrr20: hit1, reachable: 1 });
      await repos.decisions.record({
        modelName: "stream", batchId: batch.id, version: { chromosome: { w: 1 }, fitness: 0.3, artifact: "/nowhere/2" }, parentVersionId: v1.id, parentVersion: 1, batchIds: [batch.id], sessionCount: 1,
        outcome: "promoted", reason: "better", metric: "hit1", margin: 0.01, candidateMetrics: m(0.6), liveMetrics: m(0.4),
        details: { growth: { addedPages: 3, addedGeneratorItems: 2 }, prequential: { liveVersion: 1, firstVersion: 1, live: m(0.5), frozen: m(0.5) } },
      });
      const res = await t.call("GET", "/api/models/stream/online", { token: t.readToken });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        name: "stream", liveVersion: 2, firstVersion: 1, batches: [{ seq: 1, state: "decided" }],
        decisions: [{ batchSeq: 1, outcome: "promoted", candidateVersion: 2, parentVersion: 1, addedPages: 3, addedGeneratorItems: 2, candidate: { hit1: 0.6 }, live: { hit1: 0.4 } }],
        accuracy: [{ batchSeq: 1, liveVersion: 1, live: { hit1: 0.5 }, frozen: { hit1: 0.5 } }], meanGain: 0,
      });
    } finally {
      await t.close();
    }
  });
});
