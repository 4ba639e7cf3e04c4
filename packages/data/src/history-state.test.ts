import { describe, expect, it } from "vitest";
import { agingFactors, historyState } from "./history-state.js";
import { prefixSamples } from "./samples.js";

describe("the aging factor eps_i = theta(p_i) / sum_{j=i}^{m} theta(p_j)", () => {
  it("matches a worked example by hand", () => {
    // Pages p0..p2 collapse, dwell 10, 20, 30 s:
    //   eps_0 = 10 / (10 + 20 + 30) = 1/6
    //   eps_1 = 20 / (20 + 30)      = 0.4
    //   eps_2 = 30 / 30             = 1
    const eps = agingFactors([10, 20, 30, 40, 50], 3);
    expect(eps[0]).toBeCloseTo(1 / 6, 12);
    expect(eps[1]).toBeCloseTo(0.4, 12);
    expect(eps[2]).toBe(1);
  });

  it("V_bar merges a page seen twice by summing its weights", () => {
    // pages 7, 8, 7 with dwell 10, 30, 60: eps = 10/100, 30/90, 60/60
    const h = historyState([7, 8, 7, 9], [10, 30, 60, 5], 3);
    expect(Array.from(h.pages)).toEqual([7, 8]);
    expect(h.weights[0]).toBeCloseTo(0.1 + 1, 6);
    expect(h.weights[1]).toBeCloseTo(1 / 3, 6);
  });

  it("zero dwell falls back to the equal-dwell weights", () => {
    expect(Array.from(agingFactors([0, 0, 0], 3))).toEqual([1 / 3, 1 / 2, 1]);
  });
});

describe("prefix samples with window k", () => {
  it("gives one sample per prefix; the window keeps the last k pages, the rest is history", () => {
    const pages = [2, 3, 4, 5, 6];
    const dwell = [10, 20, 30, 40, 50];
    const samples = [...prefixSamples(pages, dwell, 2)];
    expect(samples.map((s) => Array.from(s.window))).toEqual([[0, 2], [2, 3], [3, 4], [4, 5], [5, 6]]);
    // The newest page's dwell is not known yet: the first prefix has no known dwell (the 60 s
    // fallback), later ones the median of what is known (p0, p1 -> 15).
    expect(Array.from(samples[0]?.dwell ?? [])).toEqual([0, 60]);
    expect(Array.from(samples[2]?.dwell ?? [])).toEqual([20, 15]);
    expect(samples.map((s) => s.history.pages.length)).toEqual([0, 0, 1, 2, 3]);
    // Prefix of 5 pages, k = 2: p0..p2 collapse with the weights of the worked example.
    const last = samples[4]?.history;
    expect(Array.from(last?.pages ?? [])).toEqual([2, 3, 4]);
    expect(last?.weights[0]).toBeCloseTo(1 / 6, 6);
    expect(last?.weights[1]).toBeCloseTo(0.4, 6);
    expect(last?.weights[2]).toBe(1);
  });
});
