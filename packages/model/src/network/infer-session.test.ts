// The serving forward (SessionScorer) against the TF.js forward's last state,
// for random chromosomes covering every gene the network reads, on both
// product engines. No timings here: speed is docs/BENCHMARKS.md's business.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { createRng, type Rng } from "@drnn/data";
import { selectBackend } from "../backend.js";
import { DrnnModel } from "../model.js";
import type { ChromosomeInput, ModelDims, ModelSpec } from "../spec.js";
import { lastState } from "./forward.js";
import { SessionScorer, type SessionRow } from "./infer-session.js";
import { inputLayout, type DrnnInputs } from "./inputs.js";
import { rowProducts, type RowProductsChoice } from "./row-products.js";

const dims: ModelDims = { pages: 30, items: 11, historyBag: 5, purchaseBag: 4 };

function randomChromosome(rng: Rng): ChromosomeInput {
  const l = 1 + rng.int(3);
  const neurons = Array.from({ length: l }, () => 3 + rng.int(14));
  return {
    w: 1 + rng.int(5),
    l,
    h: 1 + rng.int(l),
    neurons,
    learningRate: 0.01,
    optimizer: "adam",
    activation: (["relu", "tanh", "sigmoid"] as const)[rng.int(3)] ?? "relu",
    loss: rng.int(2) === 0 ? "softmax" : "sigmoid",
    batchSize: 8,
    init: (["xavier", "he", "lecun", "normal"] as const)[rng.int(4)] ?? "xavier",
    history: rng.int(2) === 0,
    fnnLayers: rng.int(3),
    fnnNeurons: 2 + rng.int(9),
    dropout: rng.int(2) === 0 ? 0 : 0.3,
    pointer: rng.int(2) === 0,
  };
}

/** A row as serving builds them: left padding, OOV pages, possibly no history and no purchases; `cold` = all padding. */
function randomRow(rng: Rng, k: number, cold: boolean): SessionRow {
  const pad = cold ? k : rng.int(k);
  const window = Int32Array.from({ length: k }, (_, t) => (t < pad ? 0 : 1 + rng.int(dims.pages - 1)));
  const historyCount = pad > 0 || cold ? 0 : rng.int(dims.historyBag + 1);
  const historyPages = new Int32Array(dims.historyBag);
  const historyWeights = new Float32Array(dims.historyBag);
  const historyItems = new Map<number, number>();
  for (let s = 0; s < historyCount; s++) {
    historyPages[s] = 1 + rng.int(dims.pages - 1);
    historyWeights[s] = 0.05 + rng.next();
    const item = rng.int(dims.items);
    historyItems.set(item, (historyItems.get(item) ?? 0) + (historyWeights[s] ?? 0));
  }
  const bought = rng.int(dims.purchaseBag + 1);
  return {
    window,
    dwell: Float32Array.from(window, (p) => (p === 0 ? 0 : rng.next())),
    historyPages,
    historyWeights,
    purchaseItems: Int32Array.from({ length: dims.purchaseBag }, (_, s) => (s < bought ? rng.int(dims.items) : 0)),
    purchaseMask: Float32Array.from({ length: dims.purchaseBag }, (_, s) => (s < bought ? 1 : 0)),
    windowItems: Int32Array.from(window, (p) => (p === 0 || rng.int(3) === 0 ? -1 : rng.int(dims.items))),
    historyItems,
  };
}

/** The rows as the TF.js batch: every input the spec's layout has (what ServingModel.pack builds). */
function tensorsOf(rows: readonly SessionRow[], spec: ModelSpec): DrnnInputs {
  const k = spec.window;
  const b = rows.length;
  const flat = (pick: (r: SessionRow) => ArrayLike<number>, width: number, dtype: "int32" | "float32") =>
    tf.tensor2d(rows.flatMap((r) => Array.from(pick(r))), [b, width], dtype);
  const mass = rows.flatMap((r) => Array.from({ length: dims.items }, (_, i) => r.historyItems.get(i) ?? 0));
  const all: DrnnInputs = {
    window: flat((r) => r.window, k, "int32"),
    dwell: flat((r) => r.dwell, k, "float32"),
    historyPages: flat((r) => r.historyPages, dims.historyBag, "int32"),
    historyWeights: flat((r) => r.historyWeights, dims.historyBag, "float32"),
    purchaseItems: flat((r) => r.purchaseItems, dims.purchaseBag, "int32"),
    purchaseMask: flat((r) => r.purchaseMask, dims.purchaseBag, "float32"),
    windowItems: flat((r) => r.windowItems, k, "int32"),
    historyItemMass: tf.tensor2d(mass, [b, dims.items]),
  };
  const x: DrnnInputs = { window: all.window, dwell: all.dwell };
  for (const slot of inputLayout(spec, dims)) {
    const t = all[slot.name];
    if (t !== undefined) x[slot.name] = t;
  }
  return x;
}

function reference(m: DrnnModel, rows: readonly SessionRow[]): { logits: Float32Array; probs: Float32Array } {
  const [logits, probs] = tf.tidy(() => {
    const x = tensorsOf(rows, m.spec);
    return [lastState(m.logits(x)), m.predict(x)];
  });
  const out = { logits: logits.dataSync() as Float32Array, probs: probs.dataSync() as Float32Array };
  tf.dispose([logits, probs]);
  return out;
}

function expectClose(actual: Float32Array, expected: Float32Array, tol: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  let worst = 0;
  expected.forEach((e, i) => (worst = Math.max(worst, Math.abs((actual[i] ?? NaN) - e) / Math.max(1, Math.abs(e)))));
  expect(worst, what).toBeLessThan(tol);
}

const engines: RowProductsChoice[] = ["js", "auto"];

beforeAll(async () => {
  await selectBackend("wasm");
});

describe("SessionScorer (the serving forward)", () => {
  it.each(engines)("equals the TF.js forward's last state for random chromosomes (%s products)", (engine) => {
    const rng = createRng(engine === "js" ? 101 : 202);
    for (let trial = 0; trial < 12; trial++) {
      const chromosome = randomChromosome(rng);
      const m = DrnnModel.create(chromosome, dims, 1 + trial);
      try {
        const scorer = new SessionScorer(m.layer.roles(), m.spec, m.dims, { products: engine });
        const rows = Array.from({ length: 6 }, (_, i) => randomRow(rng, m.spec.window, i === 0));
        const ref = reference(m, rows);
        const n = dims.items;
        rows.forEach((row, r) => {
          const what = `${JSON.stringify(chromosome)} row ${r}`;
          // Twice: the second call hits the FNN cache and reuses every buffer.
          for (let again = 0; again < 2; again++) {
            expectClose(scorer.logits(row).slice(), ref.logits.subarray(r * n, (r + 1) * n), 1e-5, what);
            expectClose(scorer.probabilities(row).slice(), ref.probs.subarray(r * n, (r + 1) * n), 1e-6, what);
          }
        });
      } finally {
        m.dispose();
      }
    }
  });

  it("leaves no tensor behind: it reads the weights once and never calls TF.js again", () => {
    const rng = createRng(5);
    const m = DrnnModel.create({ ...randomChromosome(rng), history: true, fnnLayers: 2, pointer: true }, dims, 9);
    try {
      const before = tf.memory().numTensors;
      const scorer = new SessionScorer(m.layer.roles(), m.spec, m.dims);
      for (let i = 0; i < 50; i++) scorer.probabilities(randomRow(rng, m.spec.window, i % 10 === 0));
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      m.dispose();
    }
  });

  it("names its product engine, OpenBLAS when it loads and pure JS otherwise", () => {
    expect(rowProducts("js").name).toBe("js");
    expect(rowProducts("auto").name).toMatch(/^(openblas \(.+\)|js)$/);
  });

  it("refuses a page id outside the vocabulary instead of reading past the embedding", () => {
    const m = DrnnModel.create({ ...randomChromosome(createRng(3)), w: 2 }, dims, 2);
    try {
      const scorer = new SessionScorer(m.layer.roles(), m.spec, m.dims, { products: "js" });
      const row = randomRow(createRng(4), 2, false);
      expect(() => scorer.logits({ ...row, window: Int32Array.from([dims.pages, 3]) })).toThrow(RangeError);
    } finally {
      m.dispose();
    }
  });
});
