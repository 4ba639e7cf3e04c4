import { describe, expect, it } from "vitest";
import { validateChromosome } from "../chromosome/validate.js";
import { CHROMOSOME_DEFAULTS, parseChromosome } from "@drnn/contract";
import { cpuSearchSpace, defaultSearchSpace, paperSearchSpace } from "./builtin.js";
import { isGeneActive, geneByName, intBounds, UnknownGeneError } from "./genes.js";
import { InvalidSearchSpaceError, parseSearchSpace } from "./parse.js";

const TABLE_I = {
  w: 4, l: 3, h: 1, neurons: [1000, 1000, 100], learningRate: 0.1, optimizer: "sgd", activation: "relu",
  loss: "softmax", batchSize: 9000, init: "xavier", history: true, fnnLayers: 3, fnnNeurons: 1000, dropout: 0,
};

function issuesOf(doc: unknown): { path: string; message: string }[] {
  try {
    parseSearchSpace(doc);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidSearchSpaceError);
    expect((e as Error).name).toBe("InvalidSearchSpaceError");
    return [...(e as InvalidSearchSpaceError).issues];
  }
  throw new Error("expected the document to be refused");
}

describe("built-in search spaces", () => {
  it("are valid documents, also after a JSON round trip", () => {
    for (const space of [cpuSearchSpace(), paperSearchSpace(), defaultSearchSpace()]) {
      expect(parseSearchSpace(JSON.parse(JSON.stringify(space)))).toEqual(space);
    }
  });

  it("complete an empty chromosome to Table I exactly (DESIGN section 4) plus the pointer (copy) gene, on", () => {
    for (const space of [cpuSearchSpace(), paperSearchSpace()]) {
      expect(validateChromosome(space, {})).toEqual({ ...TABLE_I, pointer: true });
    }
    expect(CHROMOSOME_DEFAULTS).toEqual({ ...TABLE_I, pointer: true });
  });

  it("validate a chromosome exactly as the contract's schema parses it", () => {
    const docs = [{}, { w: 4, l: 2, neurons: [64, 32] }, { l: 2 }, { l: 5, h: 4 }, { init: "normal", fnnLayers: 0 }, { optimizer: "adagrad", dropout: 0.25 }];
    for (const space of [cpuSearchSpace(), paperSearchSpace()]) {
      for (const doc of docs) expect(validateChromosome(space, doc)).toEqual(parseChromosome(doc));
      for (const bad of [{ h: 4 }, { l: 2, neurons: [1, 2, 3] }, { init: "gauss" }, { wx: 1 }]) {
        expect(() => validateChromosome(space, bad)).toThrow(/invalid chromosome/);
        expect(() => parseChromosome(bad)).toThrow(/invalid chromosome/);
      }
    }
  });

  it("search ranges differ between CPU and paper scale; each call is a fresh copy", () => {
    const cpu = cpuSearchSpace();
    const paper = paperSearchSpace();
    expect(geneByName(cpu, "neurons")).toMatchObject({ search: { min: 16, max: 256 } });
    expect(geneByName(paper, "neurons")).toMatchObject({ search: { min: 50, max: 2000 } });
    cpu.genes.pop();
    expect(cpuSearchSpace().genes.length).toBe(paper.genes.length);
  });

  it("fnnNeurons is dormant when fnnLayers = 0; h is capped by l", () => {
    const space = cpuSearchSpace();
    const fnnNeurons = geneByName(space, "fnnNeurons");
    expect(isGeneActive(space, { fnnLayers: 0 }, fnnNeurons)).toBe(false);
    expect(isGeneActive(space, { fnnLayers: 2 }, fnnNeurons)).toBe(true);
    const h = geneByName(space, "h");
    expect(h.type === "int" && intBounds(h, { l: 2 }, "valid")).toEqual({ min: 1, max: 2 });
    expect(h.type === "int" && intBounds(h, { l: 8 }, "search")).toEqual({ min: 1, max: 3 });
    expect(() => geneByName(space, "nope")).toThrow(UnknownGeneError);
  });
});

describe("parseSearchSpace", () => {
  it("accepts a user-supplied space with conditions and lists", () => {
    const space = parseSearchSpace({
      name: "mine",
      genes: [
        { name: "depth", type: "int", min: 0, max: 4, default: 2 },
        { name: "widths", type: "int-list", lengthGene: "depth", min: 1, max: 64, default: [8, 8] },
        { name: "act", type: "categorical", choices: ["relu", "tanh"], default: "relu", when: [{ gene: "depth", op: "gt", value: 0 }] },
      ],
    });
    expect(validateChromosome(space, { depth: 1, widths: [3] })).toEqual({ depth: 1, widths: [3], act: "relu" });
  });

  it("names the field of each inconsistency", () => {
    const issues = issuesOf({
      name: "bad",
      genes: [
        { name: "a", type: "int", min: 5, max: 1, default: 9 },
        { name: "a", type: "bool", default: true },
        { name: "list", type: "int-list", lengthGene: "later", min: 1, max: 9, default: [1] },
        { name: "later", type: "int", min: 1, max: 3, default: 1, search: { min: 0, max: 5 } },
        { name: "lr", type: "log-float", min: 0, max: 1, default: 0.5 },
        { name: "c", type: "categorical", choices: ["x", "x"], default: "y", when: [{ gene: "zzz", op: "eq", value: 1 }] },
        { name: "h", type: "int", min: 1, max: 3, default: 3, maxGene: "later" },
      ],
    });
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "genes.0.max",
        "genes.0.default",
        "genes.1.name",
        "genes.2.lengthGene",
        "genes.3.search",
        "genes.4.min",
        "genes.5.choices",
        "genes.5.default",
        "genes.5.when",
        "genes.6.default",
      ]),
    );
    expect(issues.find((i) => i.path === "genes.2.lengthGene")?.message).toMatch(/earlier int gene/);
  });

  it("refuses unknown fields and types (typos must not pass silently)", () => {
    expect(issuesOf({ name: "x", genes: [{ name: "a", type: "int", min: 0, max: 1, default: 0, maxx: 3 }] })).not.toEqual([]);
    expect(issuesOf({ name: "x", genes: [{ name: "a", type: "complex", default: 0 }] })[0]?.path).toBe("genes.0.type");
    expect(issuesOf({ name: "x", genes: [] })[0]?.path).toBe("genes");
  });

  it("requires a list's default to match its length gene's default", () => {
    const issues = issuesOf({
      name: "x",
      genes: [
        { name: "l", type: "int", min: 1, max: 4, default: 2 },
        { name: "n", type: "int-list", lengthGene: "l", min: 1, max: 9, default: [1, 2, 3] },
      ],
    });
    expect(issues).toEqual([{ path: "genes.1.default", message: "default has 3 values but l's default is 2" }]);
  });
});
