import { describe, expect, it } from "vitest";
import { CHROMOSOME_DEFAULTS, InvalidChromosomeError, parseChromosome } from "./chromosome.js";
import { DRNN_GENES, INITS } from "./genes.js";
import { API_CODE_OF, ERROR_CODES, HTTP_STATUS, apiAnswerOf } from "./errors.js";
import { isFinished, CANDIDATE_STATES, CAMPAIGN_STATES } from "./states.js";

const TABLE_I = {
  w: 4, l: 3, h: 1, neurons: [1000, 1000, 100], learningRate: 0.1, optimizer: "sgd", activation: "relu",
  loss: "softmax", batchSize: 9000, init: "xavier", history: true, fnnLayers: 3, fnnNeurons: 1000, dropout: 0,
};

function issues(json: unknown) {
  try {
    parseChromosome(json);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidChromosomeError);
    expect((e as InvalidChromosomeError).code).toBe("INVALID_CHROMOSOME");
    return (e as InvalidChromosomeError).issues;
  }
  throw new Error("expected the chromosome to be refused");
}

describe("the chromosome schema", () => {
  it("completes {} to Table I (DESIGN.md section 4) with the copy mechanism on", () => {
    expect(parseChromosome({})).toEqual({ ...TABLE_I, pointer: true });
    expect(CHROMOSOME_DEFAULTS).toEqual({ ...TABLE_I, pointer: true });
    expect(Object.isFrozen(CHROMOSOME_DEFAULTS) && Object.isFrozen(CHROMOSOME_DEFAULTS.neurons)).toBe(true);
  });

  it("accepts the small chromosome of the design, and fits list defaults to l and caps h", () => {
    expect(parseChromosome({ w: 4, l: 2, neurons: [64, 32] })).toMatchObject({ w: 4, l: 2, h: 1, neurons: [64, 32] });
    expect(parseChromosome({ l: 2 }).neurons).toEqual([1000, 1000]);
    expect(parseChromosome({ l: 5 }).neurons).toEqual([1000, 1000, 100, 100, 100]);
    expect(parseChromosome({ init: "normal" }).init).toBe("normal");
  });

  it("reports every problem at once, by gene, with what is allowed", () => {
    const found = issues({ w: 0, l: 2, h: 3, neurons: [64, 5000], optimizer: "nope", wx: 1 });
    expect(found.map((i) => i.gene).sort()).toEqual(["h", "neurons[1]", "optimizer", "w", "wx"].sort());
    expect(found.find((i) => i.gene === "h")?.allowed).toMatch(/at most l = 2/);
    expect(found.find((i) => i.gene === "wx")?.allowed).toMatch(/one of the genes/);
    expect(issues({ l: 2, neurons: [1, 2, 3] })[0]).toMatchObject({ gene: "neurons", allowed: expect.stringMatching(/a list of 2 values/) });
    expect(issues([1])[0]?.gene).toBe("(chromosome)");
  });

  it("lists each gene once, every default valid", () => {
    expect(new Set(DRNN_GENES.map((g) => g.name)).size).toBe(DRNN_GENES.length);
    expect(INITS).toContain("normal");
  });
});

describe("state sets", () => {
  it("finished is completed, failed and cancelled, for candidates and campaigns", () => {
    expect(CANDIDATE_STATES.filter(isFinished)).toEqual(["completed", "failed", "cancelled"]);
    expect(CAMPAIGN_STATES.filter(isFinished).sort()).toEqual(["cancelled", "completed", "failed"]);
  });
});

describe("error codes", () => {
  it("map every package code to an API code with a status, and only the server's own broken state to 500", () => {
    expect(Object.keys(API_CODE_OF).sort()).toEqual([...ERROR_CODES].sort());
    const fiveHundreds = ERROR_CODES.filter((c) => HTTP_STATUS[API_CODE_OF[c]] === 500).sort();
    expect(fiveHundreds).toEqual(["INVALID_CONFIG", "INVALID_FITNESS", "INVALID_RNG_STATE", "INVALID_SNAPSHOT", "PERMANENT_FAILURE", "UNKNOWN_CANDIDATE"]);
    for (const c of ["DATA_FORMAT", "ARTIFACT_CORRUPT", "DATASET_MISMATCH", "MODEL_ARTIFACT", "INVALID_SPEC", "INVALID_CHROMOSOME", "BAD_INPUT"] as const) {
      expect(HTTP_STATUS[API_CODE_OF[c]]).toBeGreaterThanOrEqual(400);
      expect(HTTP_STATUS[API_CODE_OF[c]]).toBeLessThan(500);
    }
    expect(apiAnswerOf(new InvalidChromosomeError([{ gene: "w", value: 0, allowed: "integer" }]))).toMatchObject({ status: 400, body: { error: { code: "VALIDATION_FAILED" } } });
    expect(apiAnswerOf(new Error("plain"))).toBeNull();
  });
});
