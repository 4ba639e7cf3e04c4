// The serving forward (SessionScorer) against the TF.js model (DrnnModel.outputs
// and DrnnModel.rank), for random chromosomes covering every gene the network
// reads, the copy on and off with random copy weights (not only its S-POP
// start), on both product engines. No timings here: speed is
// docs/BENCHMARKS.md's business.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { Rng } from "@drnn/contract";
import { COPY_FEATURE_COUNT, PAGE_OOV, itemPopularity, sessionItems } from "@drnn/data";
import { selectBackend } from "../backend.js";
import { copyInputsOf } from "../feed/batch.js";
import { DrnnModel, disposeInputs } from "../model.js";
import type { ChromosomeInput, ModelDims, ModelSpec } from "../spec.js";
import { lastState } from "./forward.js";
import { SessionScorer, type SessionRow } from "./infer-session.js";
import { inputLayout, type DrnnInputs } from "./inputs.js";
import { rowProducts, type RowProductsChoice } from "./row-products.js";

const dims: ModelDims = { pages: 30, items: 11, historyBag: 5, purchaseBag: 4, copySlots: 4 };
/** Item ids the pages show: [0, N) are generator items, [N, RANKABLE) only reachable through the copy. */
const RANKABLE = dims.items + 6;
const popularity = itemPopularity(
  Int32Array.from({ length: RANKABLE }, (_, i) => (i * 7) % 5),
  Int32Array.from({ length: RANKABLE }, (_, i) => (i * 3) % 11),
);

function randomChromosome(rng: Rng): ChromosomeInput {
  const l = 1 + rng.int(0, 2);
  const neurons = Array.from({ length: l }, () => 3 + rng.int(0, 13));
  return {
    w: 1 + rng.int(0, 4),
    l,
    h: 1 + rng.int(0, l - 1),
    neurons,
    learningRate: 0.01,
    optimizer: "adam",
    activation: (["relu", "tanh", "sigmoid"] as const)[rng.int(0, 2)] ?? "relu",
    loss: rng.int(0, 1) === 0 ? "softmax" : "sigmoid",
    batchSize: 8,
    init: (["xavier", "he", "lecun", "normal"] as const)[rng.int(0, 3)] ?? "xavier",
    history: rng.int(0, 1) === 0,
    fnnLayers: rng.int(0, 2),
    fnnNeurons: 2 + rng.int(0, 8),
    dropout: rng.int(0, 1) === 0 ? 0 : 0.3,
    pointer: rng.int(0, 1) === 0,
  };
}

/** A row as serving builds them: left padding, OOV pages, possibly no history, no purchases, no slots; `cold` = all padding. */
function randomRow(rng: Rng, k: number, cold: boolean): SessionRow {
  const pad = cold ? k : rng.int(0, k - 1);
  const window = Int32Array.from({ length: k }, (_, t) => (t < pad ? 0 : 1 + rng.int(0, dims.pages - 1 - 1)));
  const historyCount = pad > 0 || cold ? 0 : rng.int(0, dims.historyBag + 1 - 1);
  const historyPages = new Int32Array(dims.historyBag);
  const historyWeights = new Float32Array(dims.historyBag);
  for (let s = 0; s < historyCount; s++) {
    historyPages[s] = 1 + rng.int(0, dims.pages - 1 - 1);
    historyWeights[s] = 0.05 + rng.float();
  }
  const bought = rng.int(0, dims.purchaseBag + 1 - 1);
  // The session's page items: repeats, pages without an item (-1), more distinct items than slots.
  const shown = cold ? 0 : rng.int(0, 8);
  const items = Int32Array.from({ length: shown }, () => (rng.int(0, 3) === 0 ? -1 : rng.int(0, RANKABLE - 1)));
  return {
    window,
    dwell: Float32Array.from(window, (p) => (p === 0 ? 0 : rng.float())),
    historyPages,
    historyWeights,
    purchaseItems: Int32Array.from({ length: dims.purchaseBag }, (_, s) => (s < bought ? rng.int(0, dims.items - 1) : 0)),
    purchaseMask: Float32Array.from({ length: dims.purchaseBag }, (_, s) => (s < bought ? 1 : 0)),
    slots: sessionItems(items, Float32Array.from(items, () => 600 * rng.float()), popularity, dims.copySlots),
  };
}

/** Random copy weights: the test must not pass only at the S-POP start (H = 0, v = 0). */
function randomiseCopy(m: DrnnModel, rng: Rng): void {
  if (!m.spec.pointer) return;
  const top = m.spec.layers[m.spec.layers.length - 1] ?? 1;
  const values = (n: number, scale: number) => Float32Array.from({ length: n }, () => scale * (2 * rng.float() - 1));
  m.layer.variable("copyFeature").write(tf.tensor1d(values(COPY_FEATURE_COUNT, 2)));
  m.layer.variable("copyContext").write(tf.tensor2d(values(top * COPY_FEATURE_COUNT, 1), [top, COPY_FEATURE_COUNT]));
  m.layer.variable("copyGate").write(tf.tensor2d(values(top, 1), [top, 1]));
  m.layer.variable("copyGateBias").write(tf.tensor1d(values(1, 2)));
}

/** The rows as the TF.js batch: every input the spec's layout has (what ServingModel.pack builds). */
function tensorsOf(rows: readonly SessionRow[], spec: ModelSpec): DrnnInputs {
  const k = spec.window;
  const b = rows.length;
  const flat = (pick: (r: SessionRow) => ArrayLike<number>, width: number, dtype: "int32" | "float32") =>
    tf.tensor2d(rows.flatMap((r) => Array.from(pick(r))), [b, width], dtype);
  const all: DrnnInputs = {
    window: flat((r) => r.window, k, "int32"),
    dwell: flat((r) => r.dwell, k, "float32"),
    historyPages: flat((r) => r.historyPages, dims.historyBag, "int32"),
    historyWeights: flat((r) => r.historyWeights, dims.historyBag, "float32"),
    purchaseItems: flat((r) => r.purchaseItems, dims.purchaseBag, "int32"),
    purchaseMask: flat((r) => r.purchaseMask, dims.purchaseBag, "float32"),
  };
  const x: DrnnInputs = { window: all.window, dwell: all.dwell };
  for (const slot of inputLayout(spec, dims)) {
    const t = all[slot.name];
    if (t !== undefined) x[slot.name] = t;
  }
  if (spec.pointer) x.copy = copyInputsOf(rows.map((r) => r.slots), dims);
  return x;
}

interface Reference {
  logits: Float32Array;
  /** p_gen, [B, N]. */
  generator: Float32Array;
  /** exp(logSlot) [B, C] and g [B] with the copy. */
  slots?: Float32Array;
  gate?: Float32Array;
  ranked: Int32Array[];
}

function reference(m: DrnnModel, rows: readonly SessionRow[], depth: number): Reference {
  const x = tensorsOf(rows, m.spec);
  const tensors = tf.tidy(() => {
    const out = m.outputs(x);
    const last = lastState(out.logits);
    const copy = out.copy === undefined ? [] : [tf.exp(out.copy.logSlot), tf.exp(out.copy.logGate)];
    return [last, tf.softmax(last), ...copy];
  });
  const [logits, generator, slots, gate] = tensors.map((t) => t.dataSync() as Float32Array);
  const ranked = m.rank(x, m.spec.pointer ? rows.map((r) => r.slots) : undefined, depth);
  tf.dispose(tensors);
  disposeInputs(x);
  return { logits: logits as Float32Array, generator: generator as Float32Array, ...(slots === undefined ? {} : { slots, gate: gate as Float32Array }), ranked };
}

/** Equal rankings, except that two items whose reference probabilities tie within float32 rounding may swap (or trade places at the cut). */
function expectSameRanking(actual: Int32Array, expected: Int32Array, probOf: (item: number) => number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  expected.forEach((item, r) => {
    const other = actual[r] ?? -1;
    if (other === item) return;
    const [a, b] = [probOf(other), probOf(item)];
    expect(Math.abs(a - b), `${what} rank ${r}: ${other} (${a}) vs ${item} (${b})`).toBeLessThanOrEqual(1e-5 * Math.max(a, b));
  });
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
  it.each(engines)("equals the TF.js model's outputs and ranking for random chromosomes, copy on and off (%s products)", (engine) => {
    const rng = Rng.fromSeed(engine === "js" ? 101 : 202);
    const depth = 7;
    for (let trial = 0; trial < 16; trial++) {
      const chromosome = { ...randomChromosome(rng), pointer: trial % 2 === 0 };
      const m = DrnnModel.create(chromosome, dims, 1 + trial);
      try {
        randomiseCopy(m, rng);
        const scorer = new SessionScorer(m.layer.roles(), m.spec, m.dims, { products: engine });
        const rows = Array.from({ length: 6 }, (_, i) => randomRow(rng, m.spec.window, i === 0));
        const ref = reference(m, rows, depth);
        const n = dims.items;
        const C = dims.copySlots;
        rows.forEach((row, r) => {
          const what = `${JSON.stringify(chromosome)} row ${r}`;
          const pGen = ref.generator.subarray(r * n, (r + 1) * n);
          // Twice: the second call hits the FNN cache and reuses every buffer.
          for (let again = 0; again < 2; again++) {
            expectClose(scorer.logits(row).slice(), ref.logits.subarray(r * n, (r + 1) * n), 1e-5, what);
            expectClose(scorer.probabilities(row).slice(), pGen, 1e-6, what);
            const mix = scorer.mixture(row);
            const g = ref.gate?.[r] ?? 1;
            const slots = ref.slots?.subarray(r * C, r * C + row.slots.count) ?? new Float32Array(0);
            expectClose(Float32Array.from(mix.slotProb), slots, 1e-5, `${what} slots`);
            expectClose(Float32Array.from(mix.generatorProb), pGen.map((p) => g * p), 1e-6, `${what} generator`);
            const ranked = scorer.rank(row, depth);
            const slotOf = (item: number) => (m.spec.pointer ? Array.from(row.slots.items.subarray(0, row.slots.count)).indexOf(item) : -1);
            const probOf = (item: number) => (slotOf(item) >= 0 ? (slots[slotOf(item)] ?? 0) : g * (pGen[item] ?? 0));
            expectSameRanking(ranked.items, ref.ranked[r] ?? new Int32Array(0), probOf, `${what} ranking`);
            ranked.items.forEach((item, i) => expect(ranked.scores[i] ?? NaN, what).toBeCloseTo(probOf(item), 5));
          }
          // With the copy an item the generator never had is ranked when the session showed it.
          if (m.spec.pointer && row.slots.count > 0) expect(Array.from(scorer.rank(row, n + C).items)).toEqual(expect.arrayContaining(Array.from(row.slots.items.subarray(0, row.slots.count))));
        });
      } finally {
        m.dispose();
      }
    }
  });

  it("leaves no tensor behind: it reads the weights once and never calls TF.js again", () => {
    const rng = Rng.fromSeed(5);
    const m = DrnnModel.create({ ...randomChromosome(rng), history: true, fnnLayers: 2, pointer: true }, dims, 9);
    try {
      const before = tf.memory().numTensors;
      const scorer = new SessionScorer(m.layer.roles(), m.spec, m.dims);
      for (let i = 0; i < 50; i++) scorer.rank(randomRow(rng, m.spec.window, i % 10 === 0), 5);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      m.dispose();
    }
  });

  it("names its product engine, OpenBLAS when it loads and pure JS otherwise", () => {
    expect(rowProducts("js").name).toBe("js");
    expect(rowProducts("auto").name).toMatch(/^(openblas \(.+\)|js)$/);
  });

  it("reads a page id past the vocabulary as <oov> instead of reading past the embedding, and refuses a negative one", () => {
    const m = DrnnModel.create({ ...randomChromosome(Rng.fromSeed(3)), w: 2 }, dims, 2);
    try {
      const scorer = new SessionScorer(m.layer.roles(), m.spec, m.dims, { products: "js" });
      const row = randomRow(Rng.fromSeed(4), 2, false);
      const asOov = Array.from(scorer.logits({ ...row, window: Int32Array.from([PAGE_OOV, 3]) }));
      expect(Array.from(scorer.logits({ ...row, window: Int32Array.from([dims.pages, 3]) }))).toEqual(asOov);
      expect(Array.from(scorer.logits({ ...row, window: Int32Array.from([dims.pages + 7, 3]) }))).toEqual(asOov);
      expect(() => scorer.logits({ ...row, window: Int32Array.from([-1, 3]) })).toThrow(RangeError);
    } finally {
      m.dispose();
    }
  });
});
