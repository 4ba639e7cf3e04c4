import { describe, expect, it } from "vitest";
import { cpuSearchSpace, paperSearchSpace } from "../search-space/builtin.js";
import { InvalidChromosomeError, type ChromosomeIssue } from "./errors.js";
import { checkChromosome, validateChromosome } from "./validate.js";

const space = cpuSearchSpace();

function issues(json: unknown): ChromosomeIssue[] {
  const result = checkChromosome(space, json);
  if (result.ok) throw new Error("expected the chromosome to be refused");
  return [...result.issues];
}

describe("validateChromosome", () => {
  it('accepts {"w":4,"l":2,"neurons":[64,32]} and fills the rest from Table I', () => {
    for (const s of [space, paperSearchSpace()]) {
      const c = validateChromosome(s, { w: 4, l: 2, neurons: [64, 32] });
      expect(c).toMatchObject({ w: 4, l: 2, h: 1, neurons: [64, 32], learningRate: 0.1, batchSize: 9000, fnnLayers: 3, pointer: true });
    }
  });

  it("does not alias the caller's arrays", () => {
    const input = { l: 2, neurons: [64, 32] };
    const c = validateChromosome(space, input);
    (c.neurons as number[])[0] = 1;
    expect(input.neurons).toEqual([64, 32]);
  });

  it("names gene, value and allowed range for each problem, all at once", () => {
    expect(issues({ w: 0, l: 2, h: 3, neurons: [64, 0.5], optimizer: "lbfgs", learningRate: -1, history: "yes" })).toEqual([
      { gene: "w", value: 0, allowed: "integer in [1, 32]" },
      { gene: "h", value: 3, allowed: "integer in [1, 2] (at most l = 2)" },
      { gene: "neurons[1]", value: 0.5, allowed: "integer in [1, 4096]" },
      { gene: "learningRate", value: -1, allowed: "number in [0.000001, 10]" },
      { gene: "optimizer", value: "lbfgs", allowed: "one of sgd, momentum, adam, adagrad, rmsprop" },
      { gene: "history", value: "yes", allowed: "true or false" },
    ]);
  });

  it("throws InvalidChromosomeError with a stable name and a readable message", () => {
    let caught: unknown;
    try {
      validateChromosome(space, { l: 2, neurons: [64, 32, 16] });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InvalidChromosomeError);
    const err = caught as InvalidChromosomeError;
    expect(err.name).toBe("InvalidChromosomeError");
    expect(err.issues).toEqual([
      { gene: "neurons", value: [64, 32, 16], allowed: "a list of 2 values (one per l = 2), each an integer in [1, 4096]" },
    ]);
    expect(err.message).toContain("neurons = [64,32,16], allowed: a list of 2 values");
  });

  it("refuses unknown genes and non-objects", () => {
    expect(issues({ learning_rate: 0.1 })).toEqual([
      { gene: "learning_rate", value: 0.1, allowed: expect.stringContaining("learningRate") },
    ]);
    for (const bad of [null, 3, "w=4", [1, 2]]) {
      expect(issues(bad)).toEqual([{ gene: "(chromosome)", value: bad, allowed: "a JSON object of genes" }]);
    }
  });

  it("derives a left-out list from the default, cut or padded to l", () => {
    expect(validateChromosome(space, { l: 2 }).neurons).toEqual([1000, 1000]);
    expect(validateChromosome(space, { l: 5 }).neurons).toEqual([1000, 1000, 100, 100, 100]);
    expect(validateChromosome(space, { l: 1 }).h).toBe(1);
  });

  it("skips checks that hang on an invalid gene instead of piling up noise", () => {
    expect(issues({ l: 0, neurons: [] }).map((i) => i.gene)).toEqual(["l"]);
  });

  it("validates dormant genes too, so a later mutation may switch them on safely", () => {
    expect(validateChromosome(space, { fnnLayers: 0, fnnNeurons: 7 }).fnnNeurons).toBe(7);
    expect(issues({ fnnLayers: 0, fnnNeurons: 0 })).toEqual([{ gene: "fnnNeurons", value: 0, allowed: "integer in [1, 4096]" }]);
  });
});
