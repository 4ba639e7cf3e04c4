import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { cpuSearchSpace, paperSearchSpace } from "../search-space/builtin.js";
import { canonicalChromosome, chromosomeHash, sameModel } from "./canonical.js";
import { InvalidChromosomeError } from "./errors.js";

const space = cpuSearchSpace();

describe("canonical form and hash", () => {
  it("is sha256 of the sorted-key JSON of the active genes", () => {
    const canon = canonicalChromosome(space, { w: 4, l: 2, neurons: [64, 32], fnnLayers: 0 });
    expect(canon).not.toHaveProperty("fnnNeurons");
    expect(Object.keys(canon)).toContain("neurons");
    const sorted = JSON.stringify(Object.fromEntries(Object.entries(canon).sort(([a], [b]) => (a < b ? -1 : 1))));
    expect(chromosomeHash(space, canon)).toBe(createHash("sha256").update(sorted).digest("hex"));
  });

  it("ignores key order and genes spelled out at their defaults", () => {
    const a = chromosomeHash(space, { w: 4, l: 2, neurons: [64, 32] });
    expect(chromosomeHash(space, { neurons: [64, 32], l: 2, w: 4 })).toBe(a);
    expect(chromosomeHash(space, { w: 4, l: 2, neurons: [64, 32], optimizer: "sgd", dropout: 0, pointer: true })).toBe(a);
    expect(chromosomeHash(space, {})).toBe(chromosomeHash(space, { w: 4, l: 3, h: 1, neurons: [1000, 1000, 100] }));
  });

  it("hashes dormant genes away: FNN width does not matter without FNN layers", () => {
    expect(sameModel(space, { fnnLayers: 0, fnnNeurons: 16 }, { fnnLayers: 0, fnnNeurons: 256 })).toBe(true);
    expect(sameModel(space, { fnnLayers: 1, fnnNeurons: 16 }, { fnnLayers: 1, fnnNeurons: 256 })).toBe(false);
  });

  it("tells apart every gene that changes the model", () => {
    const base = { w: 4, l: 2, neurons: [64, 32] };
    const variants = [
      { w: 5 }, { l: 3, neurons: [64, 32, 32] }, { neurons: [64, 33] }, { h: 2 }, { learningRate: 0.01 },
      { optimizer: "adam" }, { activation: "tanh" }, { loss: "sigmoid" }, { batchSize: 256 }, { init: "he" },
      { history: false }, { fnnLayers: 1 }, { fnnNeurons: 999 }, { dropout: 0.1 }, { pointer: false }, { init: "normal" },
    ];
    const hashes = variants.map((v) => chromosomeHash(space, { ...base, ...v }));
    expect(new Set([chromosomeHash(space, base), ...hashes]).size).toBe(variants.length + 1);
  });

  it("depends on the chromosome, not on which space's search ranges validated it", () => {
    expect(chromosomeHash(paperSearchSpace(), { w: 4, l: 2, neurons: [64, 32] })).toBe(
      chromosomeHash(space, { w: 4, l: 2, neurons: [64, 32] }),
    );
  });

  it("refuses to hash an invalid chromosome", () => {
    expect(() => chromosomeHash(space, { w: -1 })).toThrow(InvalidChromosomeError);
  });
});
