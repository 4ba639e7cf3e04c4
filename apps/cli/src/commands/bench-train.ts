// `drnn bench train`: the reference workload of ../shared/bench/drnn_torch.py
// (M = 3,000 pages, N = 1,500 items, k = 4, layers 256,256,64, batch 256,
// Adam 1e-3, history as a bag of 16 ids) trained by the project's own
// trainModel on a synthetic seeded dataset of that shape, on each backend
// that loads: one epoch of warm-up steps, then one timed epoch (the figure; each step as in training, loss read back),
// then a short run with every kernel timed (where the time goes per step).
// With --reference it also runs the PyTorch script in the same command, when
// /usr/bin/python3 has torch, and reports the ratio.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { resolve } from "node:path";
import { Rng } from "@drnn/contract";
import { type Dataset, type DatasetManifest } from "@drnn/data";
import { TRAINING_DEFAULTS } from "@drnn/ga";
import { BACKEND_CHOICES, parseBackendChoice, selectBackend, trainModel, type BackendChoice, type ChromosomeInput } from "@drnn/model";
import type { CommandContext, Result } from "../command.js";
import { UsageError } from "../errors.js";
import { intOption } from "../options.js";

export interface TrainBenchFlags {
  steps: string;
  warmup: string;
  profileSteps: string;
  backends?: string;
  reference?: boolean;
  torchSeconds: string;
  stock?: boolean;
}

interface BenchRun {
  choice: BackendChoice;
  /** OpenBLAS and the fused kernels' native library, where they load. */
  native: boolean;
  /** The fused kernels at all (false: stock TF.js ops). */
  fused: boolean;
}

/**
 * Each cpu/wasm backend runs with its native libraries where they load, then
 * without either (the pure path a machine without them falls back to), and
 * with --stock on OpenBLAS with the stock TF.js ops (the before).
 */
function benchRuns(wanted: readonly BackendChoice[], stock: boolean): BenchRun[] {
  return wanted.flatMap((choice): BenchRun[] => {
    if (choice !== "wasm" && choice !== "cpu") return [{ choice, native: true, fused: true }];
    const runs = [{ choice, native: true, fused: true }, { choice, native: false, fused: true }];
    return stock ? [...runs, { choice, native: true, fused: false }] : runs;
  });
}

export const REFERENCE = { pages: 3000, items: 1500, window: 4, layers: [256, 256, 64], batch: 256, historyBag: 16 } as const;

/** The torch script's model: history state on, no FNN, no pointer, one shortcut, ReLU, softmax, Adam 1e-3, no dropout. */
export const REFERENCE_CHROMOSOME: ChromosomeInput = {
  w: REFERENCE.window,
  l: REFERENCE.layers.length,
  h: 1,
  neurons: [...REFERENCE.layers],
  learningRate: 1e-3,
  optimizer: "adam",
  activation: "relu",
  loss: "softmax",
  batchSize: REFERENCE.batch,
  init: "xavier",
  history: true,
  fnnLayers: 0,
  fnnNeurons: 0,
  dropout: 0,
  pointer: false,
};

const TORCH_SCRIPT = "../shared/bench/drnn_torch.py";
const PYTHON = "/usr/bin/python3";

/**
 * A seeded synthetic dataset of the reference shapes: one sample per session,
 * a full window of random pages (no padding, so every state has a loss), a
 * history bag of 16 random pages with random weights, one random target item.
 */
export function syntheticDataset(trainSamples: number, valSamples: number, seed = 1): Dataset {
  const rng = Rng.fromSeed(seed);
  const { pages, items, window: k, historyBag: h } = REFERENCE;
  const n = trainSamples + valSamples;
  const page = () => 2 + rng.int(0, pages - 2 - 1);
  const manifest = {
    kind: "drnn-dataset",
    version: 2,
    options: { window: k },
    pageVocabulary: pages,
    itemVocabulary: items,
    rankableItems: items,
    samples: n,
    splits: {
      train: { sessions: [0, trainSamples], samples: [0, trainSamples] },
      val: { sessions: [trainSamples, n], samples: [trainSamples, n] },
      test: { sessions: [n, n], samples: [n, n] },
    },
    contentHash: `synthetic-reference-${seed}-${n}`,
  } as unknown as DatasetManifest;
  const seq = (len: number, f: (i: number) => number) => Int32Array.from({ length: len }, (_, i) => f(i));
  const sampleWindow = seq(n * k, page);
  const sampleDwell = Float32Array.from({ length: n * k }, () => 5 + rng.int(0, 119));
  return {
    dir: "(memory)",
    manifest,
    columns: {
      sampleSession: seq(n, (i) => i),
      samplePrefix: seq(n, () => k),
      sampleWindow,
      sampleDwell,
      historyOffsets: seq(n + 1, (i) => i * h),
      historyPages: seq(n * h, page),
      historyWeights: Float32Array.from({ length: n * h }, () => rng.float()),
      sessionStart: Float64Array.from({ length: n }, (_, i) => i * 1000),
      sessionSplit: Uint8Array.from({ length: n }, (_, i) => (i < trainSamples ? 0 : 1)),
      sessionUser: seq(n, () => -1),
      sessionLength: seq(n, () => k),
      sampleOffsets: seq(n + 1, (i) => i),
      targetOffsets: seq(n + 1, (i) => i),
      targetItems: seq(n, () => rng.int(0, items - 1)),
      purchaseOffsets: seq(n + 1, () => 0),
      purchaseItems: new Int32Array(0),
      pageItems: new Int32Array(pages).fill(-1),
      // Each sample is a session of exactly its window.
      sessionPageOffsets: seq(n + 1, (i) => i * k),
      sessionPages: sampleWindow,
      sessionDwell: sampleDwell,
      itemTrainViews: new Int32Array(items),
      itemTrainBuys: new Int32Array(items),
    },
    pages: Array.from({ length: pages }, (_, i) => `p${i}`),
    items: Array.from({ length: items }, (_, i) => `item${i}`),
    users: [],
    sessionIds: Array.from({ length: n }, (_, i) => `s${i}`),
  };
}

interface TorchFigures {
  engine: string;
  samplesPerSecond: number;
  msPerStep: number;
}

function runTorch(c: CommandContext, seconds: number): TorchFigures | { unavailable: string } {
  const script = resolve(process.cwd(), TORCH_SCRIPT);
  if (!existsSync(script)) return { unavailable: `${TORCH_SCRIPT} not found` };
  if (!existsSync(PYTHON)) return { unavailable: `${PYTHON} not found` };
  const probe = spawnSync(PYTHON, ["-c", "import torch"], { encoding: "utf8" });
  if (probe.status !== 0) return { unavailable: `${PYTHON} has no torch (apt-get install -y python3-torch libopenblas0-pthread)` };
  c.out.progress(`pytorch reference: ${PYTHON} ${TORCH_SCRIPT} --json --seconds ${seconds}`);
  const r = spawnSync(PYTHON, [script, "--json", "--seconds", String(seconds)], { encoding: "utf8" });
  const last = r.stdout.trim().split("\n").pop() ?? "";
  if (r.status !== 0 || last === "") return { unavailable: `the torch script failed: ${r.stderr.trim().split("\n").pop() ?? `exit ${r.status}`}` };
  const j = JSON.parse(last) as TorchFigures;
  return { engine: j.engine, samplesPerSecond: j.samplesPerSecond, msPerStep: j.msPerStep };
}

function maxRelativeDifference(a: number[], b: number[]): number | null {
  if (a.length === 0 || a.length !== b.length) return null;
  return Number(Math.max(...a.map((x, i) => Math.abs(x - (b[i] ?? Number.NaN)) / Math.abs(b[i] ?? 1))).toExponential(2));
}

// eslint-disable-next-line max-lines-per-function -- one benchmark run read top to bottom: setup, warm-up, timed steps, report
export async function runTrainBench(c: CommandContext, f: TrainBenchFlags): Promise<Result> {
  const steps = intOption("--steps", f.steps, 1);
  const warmup = intOption("--warmup", f.warmup, 1);
  const profileSteps = intOption("--profile-steps", f.profileSteps, 0);
  const torchSeconds = intOption("--torch-seconds", f.torchSeconds, 1);
  const wanted = f.backends === undefined || f.backends === "" ? [...BACKEND_CHOICES] : f.backends.split(",").map((b) => parseBackendChoice(b));
  if (wanted.length === 0) throw new UsageError("--backends needs at least one backend");
  const B = REFERENCE.batch;
  const results: Record<string, unknown>[] = [];
  // Every backend trains the same seeded model on the same batches: their losses should agree.
  const losses = new Map<Record<string, unknown>, number[]>();
  for (const { choice, native, fused } of benchRuns(wanted, f.stock === true)) {
    let backend;
    try {
      backend = await selectBackend(choice, { timeKernels: profileSteps > 0, blas: native, native, fused, webgpuFlags: c.config.DRNN_WEBGPU_FLAGS });
    } catch (err) {
      if (!native || !fused) continue;
      c.out.progress(`${choice}: did not load (${err instanceof Error ? err.message : String(err)})`);
      results.push({ choice, loaded: false });
      continue;
    }
    // Where no native library loads, the pure run repeats the first one: skipped.
    if (results.some((r) => r["choice"] === choice && r["matmul"] === backend.matmul && r["fused"] === backend.fused)) continue;
    c.out.progress(`${choice} (matmul: ${backend.matmul}; fused kernels: ${backend.fused}): ${warmup} warm-up + ${steps} timed steps of batch ${B}`);
    const d = syntheticDataset(B * Math.max(warmup, steps, profileSteps), B, 1);
    // A warm-up run (first kernel calls, wasm heap growth), then the timed run: one epoch of `steps` training steps.
    const first = await trainModel(d, REFERENCE_CHROMOSOME, { seed: 1, rule: { ...TRAINING_DEFAULTS, maxEpochs: 1 }, trainSamplesPerEpoch: B * warmup, validationSamples: B, backend });
    const timed = await trainModel(d, REFERENCE_CHROMOSOME, { seed: 1, rule: { ...TRAINING_DEFAULTS, maxEpochs: 1 }, trainSamplesPerEpoch: B * steps, validationSamples: B, backend });
    const epochs = [...first.epochs, ...timed.epochs];
    const best = timed.samplesPerSecond;
    const entry: Record<string, unknown> = {
      choice,
      loaded: true,
      backend: backend.backend,
      device: backend.device,
      fixedKernels: backend.fixedKernels,
      matmul: backend.matmul,
      fused: backend.fused,
      samplesPerSecond: Number(best.toFixed(1)),
      msPerStep: Number(((1000 * B) / best).toFixed(2)),
      runs: epochs.map((e, i) => ({ run: i === 0 ? "warm-up" : "timed", samplesPerSecond: Number(e.samplesPerSecond.toFixed(1)), seconds: Number(e.seconds.toFixed(3)), trainLoss: Number(e.trainLoss.toFixed(4)) })),
    };
    losses.set(entry, epochs.map((e) => e.trainLoss));
    c.out.progress(`  ${entry["samplesPerSecond"] as number} samples/s, ${entry["msPerStep"] as number} ms/step, train loss ${epochs.map((e) => e.trainLoss.toFixed(6)).join(", ")}`);
    const timer = backend.kernelTimer;
    if (timer !== undefined && profileSteps > 0) {
      timer.reset();
      timer.enabled = true;
      const t0 = performance.now();
      try {
        await trainModel(d, REFERENCE_CHROMOSOME, { seed: 1, rule: { ...TRAINING_DEFAULTS, maxEpochs: 1 }, trainSamplesPerEpoch: B * profileSteps, validationSamples: B, backend });
      } finally {
        timer.enabled = false;
      }
      const wall = performance.now() - t0;
      const totals = timer.totals();
      const kernelMs = totals.reduce((a, t) => a + t.ms, 0);
      entry["perStep"] = {
        steps: profileSteps,
        note: "kernel wall time per training step with every kernel timed (validation forward included); ms and calls per step",
        wallMs: Number((wall / profileSteps).toFixed(2)),
        kernelMs: Number((kernelMs / profileSteps).toFixed(2)),
        kernelCalls: Math.round(totals.reduce((a, t) => a + t.calls, 0) / profileSteps),
        kernels: totals.map((t) => ({ kernel: t.kernel, ms: Number((t.ms / profileSteps).toFixed(2)), calls: Math.round(t.calls / profileSteps), share: Number((t.ms / kernelMs).toFixed(3)) })),
      };
      timer.reset();
      c.out.progress(`  per step: ${totals.slice(0, 5).map((t) => `${t.kernel} ${(t.ms / profileSteps).toFixed(1)} ms`).join(", ")}`);
    }
    results.push(entry);
  }
  const loaded = results.filter((r) => r["loaded"] === true);
  const fastest = loaded.reduce<Record<string, unknown> | undefined>((a, r) => (a === undefined || (r["samplesPerSecond"] as number) > (a["samplesPerSecond"] as number) ? r : a), undefined);
  const reference = loaded.find((r) => r["choice"] === "wasm") ?? loaded[0];
  const base = reference === undefined ? undefined : losses.get(reference);
  const agreement = Object.fromEntries(
    loaded.filter((r) => r !== reference).map((r) => [`${r["choice"] as string} (${r["matmul"] as string}; ${r["fused"] as string})`, maxRelativeDifference(losses.get(r) ?? [], base ?? [])]),
  );
  const out: Result = {
    workload: "train",
    lossAgreement: reference === undefined ? null : { note: "largest relative difference of the warm-up and timed runs' train loss from the reference backend's (same seed, same batches)", reference: `${reference["choice"] as string} (${reference["matmul"] as string}; ${reference["fused"] as string})`, ...agreement },
    config: { ...REFERENCE, optimizer: "adam", learningRate: 1e-3, history: "bag", warmupSteps: warmup, timedSteps: steps },
    samplesPerSecond: fastest?.["samplesPerSecond"] ?? null,
    msPerStep: fastest?.["msPerStep"] ?? null,
    fastest: fastest === undefined ? null : `${fastest["choice"] as string} (matmul: ${fastest["matmul"] as string}; fused kernels: ${fastest["fused"] as string})`,
    backends: results,
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? "unknown", loadAverage: loadavg().map((l) => Number(l.toFixed(2))), node: process.version },
  };
  if (f.reference === true) {
    const torch = runTorch(c, torchSeconds);
    out["reference"] = torch;
    if ("samplesPerSecond" in torch && fastest !== undefined) out["ratioToPytorch"] = Number(((fastest["samplesPerSecond"] as number) / torch.samplesPerSecond).toFixed(3));
  }
  return out;
}
