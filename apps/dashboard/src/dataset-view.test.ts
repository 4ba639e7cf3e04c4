import { describe, expect, it } from "vitest";
import { datasetRow, datasetStats, formatBytes } from "./dataset-view.js";

const base = { id: "d1", name: "yc", format: "yoochoose", contentHash: "c".repeat(64), location: "/data/yc", stats: { samples: 12345 }, createdAt: "2026-12-01T09:30:00.000Z" };

describe("datasetRow", () => {
  it("shows a stored dataset's size and its artifact hash", () => {
    expect(datasetRow({ ...base, artifactHash: "ab".repeat(32), bytes: 3_500_000 })).toMatchObject({
      samples: "12,345",
      size: "3.3 MiB",
      stored: "artifact store · abababababab",
    });
  });

  it("says when a dataset exists only at the path it was prepared at", () => {
    const row = datasetRow({ ...base, artifactHash: null, bytes: null });
    expect(row).toMatchObject({ size: "–", stored: "path only" });
    expect(row.storedTitle).toContain("/data/yc");
  });

  it("formats sizes from bytes to GiB", () => {
    expect([formatBytes(500), formatBytes(2048), formatBytes(5 * 1024 ** 3)]).toEqual(["500 B", "2.0 KiB", "5.0 GiB"]);
  });

  it("lists the statistics a dataset row records, the reachable share once baselines are scored, and dashes for what an older row lacks", () => {
    const spop = { split: "test", samples: 40, sessions: 9, accuracy: 0.5, hit: { 1: 0.5, 5: 0.6, 10: 0.7, 20: 0.8 }, mrr20: 0.55, pathCompression: 1, sessionAccuracy: 0.2, reachable: 0.925 };
    const stats = { sessions: 1200, purchaseSessions: 300, sampleSessions: 290, pages: 802, items: 500, rankableItems: 640, samples: 1199, samplesBySplit: { train: 900, val: 150, test: 149 }, window: 4, baselines: { spop } };
    const items = Object.fromEntries(datasetStats({ ...base, stats, artifactHash: null, bytes: null }).map((i) => [i.label, i.value]));
    expect(items).toMatchObject({ sessions: "1,200", "purchase sessions": "300", "pages (M)": "802", "items (N)": "500", "train / val / test samples": "900 / 150 / 149", "reachable (test)": "92.5 %" });
    const old = Object.fromEntries(datasetStats({ ...base, artifactHash: null, bytes: null }).map((i) => [i.label, i.value]));
    expect(old).toMatchObject({ samples: "12,345", "train / val / test samples": "–", "reachable (test)": "–", sessions: "–" });
  });
});
