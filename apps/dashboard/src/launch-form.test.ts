import { describe, expect, it } from "vitest";
import { buildLaunch, defaultForm, fieldOf } from "./launch-form.js";

describe("launch form", () => {
  it("is valid as pre-filled once a dataset is chosen, with the default search space", () => {
    const r = buildLaunch(defaultForm("3f0c5a1e-0000-4000-8000-000000000000"));
    expect(r.issues).toEqual([]);
    expect(r.body).toMatchObject({ strategy: "elitist", training: { maxEpochs: 10, pi: 0.001 }, searchSpace: { name: "drnn-cpu" } });
  });

  it("names each bad field before anything is sent", () => {
    const f = { ...defaultForm(""), populationSize: "1", mutationRate: "2", maxEpochs: "0", searchSpace: '{"name":"x","genes":[{"name":"w","type":"int","min":5,"max":1}]}' };
    const r = buildLaunch(f);
    expect(r.body).toBeNull();
    const fields = new Set(r.issues.map((i) => fieldOf(i.path)));
    for (const f of ["datasetId", "populationSize", "mutationRate", "maxEpochs", "searchSpace"]) expect(fields).toContain(f);
  });

  it("reports unparsable JSON in the search space", () => {
    const r = buildLaunch({ ...defaultForm("x"), searchSpace: "{" });
    expect(r.issues.map((i) => i.path)).toContain("searchSpace");
  });
});
