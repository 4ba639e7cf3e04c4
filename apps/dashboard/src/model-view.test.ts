import { describe, expect, it } from "vitest";
import { genesSummary, historyRows, modelHref, modelNameOf, rollbackQuestion, shortHash, versionRows } from "./model-view.js";
import type { ModelDetail, ModelVersion } from "@drnn/contract";

const version = (n: number, over: Partial<ModelVersion> = {}): ModelVersion => ({
  id: `v${n}-id`,
  name: "drnn",
  version: n,
  campaignId: `c${n}-campaign`,
  candidateId: `k${n}-candidate`,
  chromosome: { layers: 2, lr: 0.012345, cells: [64, 32] },
  fitness: n / 10,
  metrics: null,
  createdAt: `2026-11-0${n}T10:00:00.000Z`,
  ...over,
});

const detail = (): ModelDetail => {
  const v1 = version(1, { metrics: { test: { accuracy: 0.31, hit: { 1: 0.1, 5: 0.2, 10: 0.3, 20: 0.42 }, mrr20: 0.17 }, datasetHash: "sha256:0123456789abcdef0123", origin: "artifact", promotedBy: "alice" } });
  const v2 = version(2, { campaignId: null, candidateId: null, chromosome: "not genes" });
  const v3 = version(3, { metrics: { test: { accuracy: "n/a" } } });
  return {
    name: "drnn",
    live: v2,
    versions: [v1, v2, v3],
    history: [
      { id: "p1", name: "drnn", modelVersionId: v1.id, action: "promote", actor: "alice", createdAt: "2026-11-01T10:00:01.000Z" },
      { id: "p2", name: "drnn", modelVersionId: v2.id, action: "promote", actor: "token:ci", createdAt: "2026-11-02T10:00:01.000Z" },
      { id: "p3", name: "drnn", modelVersionId: v3.id, action: "promote", actor: null, createdAt: "2026-11-03T10:00:01.000Z" },
      { id: "p4", name: "drnn", modelVersionId: v2.id, action: "rollback", actor: "token:me", createdAt: "2026-11-04T10:00:01.000Z" },
      { id: "p5", name: "drnn", modelVersionId: "gone", action: "rollback", actor: null, createdAt: "2026-11-05T10:00:01.000Z" },
    ],
  };
};

describe("models page rows", () => {
  it("lists versions newest first with the live one marked and what promotion stored", () => {
    const rows = versionRows(detail());
    expect(rows.map((r) => [r.version, r.live])).toEqual([[3, false], [2, true], [1, false]]);
    const v1 = rows[2];
    expect(v1).toMatchObject({ campaignId: "c1-campaign", candidateId: "k1-candidate", test: { accuracy: 0.31, hit20: 0.42, mrr20: 0.17 }, datasetHash: "0123456789ab", origin: "artifact", promotedBy: "alice" });
    expect(v1?.genes).toBe("layers=2 lr=0.0123 cells=[64,32]");
  });

  it("copes with versions that stored little: no metrics, no campaign, odd values", () => {
    const [v3, v2] = versionRows(detail());
    expect(v3).toMatchObject({ test: { accuracy: null, hit20: null, mrr20: null }, datasetHash: null, origin: null, promotedBy: null });
    // No promotedBy in metrics: the actor of its promote row.
    expect(v2).toMatchObject({ campaignId: null, test: null, genes: "–", promotedBy: "token:ci" });
  });

  it("shows the history newest first with version numbers", () => {
    expect(historyRows(detail()).map((h) => [h.action, h.version, h.actor])).toEqual([
      ["rollback", null, null],
      ["rollback", 2, "token:me"],
      ["promote", 3, null],
      ["promote", 2, "token:ci"],
      ["promote", 1, "alice"],
    ]);
  });

  it("marks nothing live before the first promotion", () => {
    expect(versionRows({ ...detail(), live: null }).some((r) => r.live)).toBe(false);
    expect(versionRows({ name: "x", live: null, versions: [], history: [] })).toEqual([]);
  });
});

describe("models page helpers", () => {
  it("reads the model name from the hash, defaulting to drnn", () => {
    expect(modelNameOf("#/models")).toBe("drnn");
    expect(modelNameOf("#/models/")).toBe("drnn");
    expect(modelNameOf("#/models/shop")).toBe("shop");
    expect(modelNameOf(modelHref("a b"))).toBe("a b");
    expect(modelNameOf("#/models/%E0%A4%A")).toBe("%E0%A4%A");
    expect(modelNameOf("#/campaigns/abc")).toBeNull();
    expect(modelNameOf("#/modelsx")).toBeNull();
    expect(modelNameOf("")).toBeNull();
  });

  it("shortens hashes and summarizes genes", () => {
    expect(shortHash("sha256:abcdef0123456789")).toBe("abcdef012345");
    expect(shortHash("abcdef", 4)).toBe("abcd");
    expect(shortHash(null)).toBeNull();
    expect(genesSummary({})).toBe("");
    expect(genesSummary([1, 2])).toBe("–");
  });

  it("asks before a rollback, naming both versions", () => {
    expect(rollbackQuestion("drnn", 3, 1)).toBe("Roll drnn back to v1? Servers following production switch from v3 to v1. The history keeps both.");
    expect(rollbackQuestion("drnn", null, 1)).toBe("Roll drnn back to v1? The history keeps both.");
  });
});
