import { describe, expect, it } from "vitest";
import { datasetRow, formatBytes } from "./dataset-view.js";

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
});
