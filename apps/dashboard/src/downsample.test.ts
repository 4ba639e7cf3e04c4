import { describe, expect, it } from "vitest";
import { downsample } from "./downsample.js";

describe("downsample", () => {
  it("keeps short curves whole", () => {
    expect(downsample([1, 2, 3], 10, (v) => v)).toEqual([1, 2, 3]);
  });

  it("caps long curves, keeps the ends and the extreme points", () => {
    const pts = Array.from({ length: 10_000 }, (_, i) => ({ x: i, y: i === 5000 ? 100 : Math.sin(i / 50) }));
    const out = downsample(pts, 200, (p) => p.y);
    expect(out).toHaveLength(200);
    expect(out[0]?.x).toBe(0);
    expect(out.at(-1)?.x).toBe(9999);
    expect(out.some((p) => p.y === 100)).toBe(true);
    expect(out.map((p) => p.x)).toEqual([...out.map((p) => p.x)].sort((a, b) => a - b));
  });
});
