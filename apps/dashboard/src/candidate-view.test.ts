import { describe, expect, it } from "vitest";
import { CHROMOSOME_DEFAULTS, type Candidate, type Epoch } from "@drnn/contract";
import { chromosomeRows, formatSeconds, stopReasonText, timings } from "./candidate-view.js";

describe("candidate view", () => {
  it("lists every gene in table order, marks the ones off their default and keeps unknown ones", () => {
    const rows = chromosomeRows({ ...CHROMOSOME_DEFAULTS, l: 2, neurons: [64, 32], extra: 1 });
    expect(rows.map((r) => r.gene).slice(0, 4)).toEqual(["w", "l", "h", "neurons"]);
    expect(rows.filter((r) => r.changed).map((r) => r.gene)).toEqual(["l", "neurons", "extra"]);
    expect(rows.find((r) => r.gene === "neurons")).toMatchObject({ value: "64, 32", defaultValue: "1000, 1000, 100" });
  });

  it("says why a candidate stopped, and that a running one has not", () => {
    expect(stopReasonText("pruned")).toContain("rung");
    expect(stopReasonText(null)).toBe("not stopped yet");
    expect(stopReasonText("something-new")).toBe("something-new");
  });

  it("splits its time into waiting, training and the whole run", () => {
    const c = { queuedAt: "2026-01-01T00:00:00.000Z", startedAt: "2026-01-01T00:00:04.000Z", trainSeconds: 20, durationSeconds: 25 } as Candidate;
    const epochs = [{ seconds: 9, samplesPerSec: 100 }, { seconds: 11, samplesPerSec: null }] as Epoch[];
    expect(timings(c, epochs)).toEqual({ waitSeconds: 4, trainSeconds: 20, durationSeconds: 25, epochSecondsMean: 10, samplesPerSecMean: 100 });
    expect(timings({ ...c, startedAt: null }, []).waitSeconds).toBeNull();
    expect([formatSeconds(3.14159), formatSeconds(245), formatSeconds(3720), formatSeconds(null)]).toEqual(["3.14 s", "4 min 05 s", "1 h 02 min", "–"]);
  });
});
