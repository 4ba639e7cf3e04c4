// Request bounds: every numeric launch setting has a maximum (a tournament
// of 2e9 once froze the API's event loop for minutes), the seed must fit the
// bigint column, and initial chromosomes must fit the search space; each
// refusal is a 400 naming the field, and nothing is stored.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { ErrorBody } from "@drnn/http-api";
import { openTestApi, type TestApi } from "./testing.js";

let api: TestApi;
beforeAll(async () => {
  api = await openTestApi(inject("databaseUrl"));
});
afterAll(async () => {
  await api?.close();
});

const body = (extra: Record<string, unknown> = {}, ga: Record<string, unknown> = {}, training: Record<string, unknown> = {}) => ({
  datasetId: api.datasetId,
  strategy: "elitist",
  seed: 7,
  budget: 4,
  ga: { populationSize: 2, generations: 1, ...ga },
  training: { maxEpochs: 2, pi: 0.01, ...training },
  ...extra,
});

async function refusal(payload: unknown): Promise<ErrorBody["error"]> {
  const before = (await api.repos.campaigns.list()).length;
  const res = await api.call("POST", "/api/campaigns", { token: api.writeToken, body: payload });
  expect(res.status, JSON.stringify(payload)).toBe(400);
  expect((await api.repos.campaigns.list()).length).toBe(before);
  return ((await res.json()) as ErrorBody).error;
}

describe("launch bounds", () => {
  it("refuses a tournament of 2e9 with a 400 naming ga.tournamentSize", async () => {
    const e = await refusal(body({}, { tournamentSize: 2e9 }));
    expect(e.code).toBe("VALIDATION_FAILED");
    expect(e.issues?.map((i) => i.path)).toEqual(["ga.tournamentSize"]);
  });

  it.each([
    ["budget", () => body({ budget: 1e9 })],
    ["maxSeconds", () => body({ maxSeconds: 1e12 })],
    ["ga.populationSize", () => body({}, { populationSize: 1e7 })],
    ["ga.generations", () => body({}, { generations: 1e9 })],
    ["ga.noveltyRetries", () => body({}, { noveltyRetries: 1e9 })],
    ["ga.maxIdleGenerations", () => body({}, { maxIdleGenerations: 1e9 })],
    ["training.maxEpochs", () => body({}, {}, { maxEpochs: 1e9 })],
    ["training.patience", () => body({}, {}, { patience: 1e9 })],
    ["training.unsettledFitness", () => body({}, {}, { unsettledFitness: 1e300 })],
    ["training.pruning.eta", () => body({}, {}, { pruning: { eta: 1e9, minEpochs: 1 } })],
    ["training.pruning.minEpochs", () => body({}, {}, { pruning: { eta: 3, minEpochs: 1e9 } })],
  ])("refuses an unbounded %s", async (path, payload) => {
    expect((await refusal(payload())).issues?.map((i) => i.path)).toContain(path);
  });

  it("refuses a seed beyond the bigint range with a 400 naming seed, and takes the largest one", async () => {
    const e = await refusal(body({ seed: "9999999999999999999" }));
    expect(e.issues?.map((i) => i.path)).toEqual(["seed"]);
    const ok = await api.call("POST", "/api/campaigns", { token: api.writeToken, body: body({ seed: "9223372036854775807" }) });
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as { campaign: { seed: string } }).campaign.seed).toBe("9223372036854775807");
  });

  it("refuses initial chromosomes that do not fit the search space, naming the gene", async () => {
    const e = await refusal(body({}, { initial: [{ w: 2 }, { w: "zzz" }] }));
    expect(e.issues?.map((i) => i.path)).toEqual(["ga.initial.1.w"]);
    expect(e.message).toMatch(/w = "zzz"/);
    const warm = await refusal(body({ warmStart: { initial: [{ w: "zzz" }] } }));
    expect(warm.issues?.map((i) => i.path)).toEqual(["w"]);
  });
});
