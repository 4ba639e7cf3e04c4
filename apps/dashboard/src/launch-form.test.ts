import { describe, expect, it } from "vitest";
import { CAMPAIGN_DEFAULTS, TRAINING_DEFAULTS, defaultBudget } from "@drnn/ga";
import { buildLaunch, defaultForm, fieldOf } from "./launch-form.js";

const { unsettledFitness: _unsent, ...TRAINING_DEFAULTS_SENT } = { ...TRAINING_DEFAULTS, pruning: null };

describe("launch form", () => {
  it("is valid as pre-filled once a dataset is chosen, with the default search space", () => {
    const r = buildLaunch(defaultForm("3f0c5a1e-0000-4000-8000-000000000000"));
    expect(r.issues).toEqual([]);
    expect(r.body).toMatchObject({ strategy: "elitist", training: TRAINING_DEFAULTS_SENT, budget: defaultBudget(CAMPAIGN_DEFAULTS.populationSize, CAMPAIGN_DEFAULTS.generations), searchSpace: { name: "drnn-cpu" } });
  });

  it("sends pruning with its eta when switched on, and names a bad eta and patience", () => {
    const on = buildLaunch({ ...defaultForm("x"), pruning: "on", eta: "3", policy: "paper" });
    expect(on.body).toMatchObject({ training: { policy: "paper", pruning: { eta: 3, minEpochs: 1 } } });
    const bad = buildLaunch({ ...defaultForm("x"), pruning: "on", eta: "1", patience: "0" });
    expect(new Set(bad.issues.map((i) => fieldOf(i.path)))).toEqual(new Set(["eta", "patience"]));
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
