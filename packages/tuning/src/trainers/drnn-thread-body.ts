// The body of a training thread: one TF.js backend per thread, datasets
// cached by content hash, one evaluation at a time. It talks to the main
// thread only through messages (see drnn-thread.ts for the protocol).
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import { loadDataset, type Dataset } from "@drnn/data";
import { errorCodeOf, parseChromosome } from "@drnn/contract";
import { DatasetMismatchError, deviceMemory, saveModel, scoreSplit, selectBackend, trainModel, vocabulariesOf, type BackendInfo } from "@drnn/model";
import type { FitnessJobPayload, FitnessResult } from "@drnn/queue";
import type { ThreadRequest, ThreadResponse, ThreadOptions } from "./drnn-thread-protocol.js";

const port = parentPort;
if (!port) throw new Error("drnn-thread-body must run in a worker thread");
const options = workerData as ThreadOptions;
const datasets = new Map<string, Dataset>();
let current: AbortController | null = null;
/** Verdicts of the main thread on a pruned job's epochs, and the epoch waiting for one. */
const verdicts = new Map<number, boolean>();
let waiting: { epoch: number; resolve: (stop: boolean) => void } | null = null;

function verdictFor(epoch: number): Promise<boolean> {
  const known = verdicts.get(epoch);
  if (known !== undefined) return Promise.resolve(known);
  return new Promise((resolve) => {
    waiting = { epoch, resolve };
  });
}

function onVerdict(epoch: number, stop: boolean): void {
  if (waiting?.epoch === epoch) {
    const w = waiting;
    waiting = null;
    w.resolve(stop);
  } else verdicts.set(epoch, stop);
}

function post(message: ThreadResponse): void {
  port?.postMessage(message);
}

function datasetFor(payload: FitnessJobPayload): Dataset {
  const cached = datasets.get(payload.dataset.contentHash);
  if (cached) return cached;
  if (!existsSync(payload.dataset.location)) throw new Error(`dataset ${payload.dataset.contentHash} is not at ${payload.dataset.location} on this node`);
  const d = loadDataset(payload.dataset.location, { verify: true });
  if (d.manifest.contentHash !== payload.dataset.contentHash) throw new DatasetMismatchError(`dataset at ${payload.dataset.location} has hash ${d.manifest.contentHash}, the job wants ${payload.dataset.contentHash}`);
  datasets.set(payload.dataset.contentHash, d);
  return d;
}

async function evaluate(payload: FitnessJobPayload, backend: BackendInfo): Promise<FitnessResult> {
  const d = datasetFor(payload);
  current = new AbortController();
  // The coordinator validated it against the campaign's search space; the model needs the DRNN's genes.
  verdicts.clear();
  const t = payload.training;
  const result = await trainModel(d, parseChromosome(payload.chromosome), {
    rule: { policy: t.policy, maxEpochs: t.maxEpochs, pi: t.pi, patience: t.patience, unsettledFitness: t.unsettledFitness },
    seed: t.seed,
    ...(t.trainSamples == null ? {} : { trainSamplesPerEpoch: t.trainSamples }),
    ...(t.validationSamples == null ? {} : { validationSamples: t.validationSamples }),
    signal: current.signal,
    backend,
    keepModel: true,
    onEpoch: (report) => post({ type: "epoch", report }),
    ...(t.pruning === null ? {} : { shouldPrune: (report) => verdictFor(report.epoch) }),
  });
  const model = result.model;
  try {
    if (result.reason === "aborted") throw Object.assign(new Error("training aborted"), { name: "TrainingAbortedError" });
    const test = model && result.fitness > 0 ? scoreSplit(d, "test", await model.splitRanker(d, "test")) : undefined;
    let artifact: string | undefined;
    if (model && options.artifactsDir && result.fitness > 0) {
      artifact = join(options.artifactsDir, "candidates", payload.campaignId, payload.hash);
      mkdirSync(artifact, { recursive: true });
      await saveModel(model, artifact, { vocabularies: vocabulariesOf(d), dataset: d, training: payload.training });
    }
    const zero = result.reason === "nan-loss" || result.reason === "out-of-memory" || result.reason === "unsettled" ? result.reason : null;
    const stopReason = result.reason;
    return {
      fitness: result.fitness,
      accuracy: result.accuracy,
      loss: Number.isFinite(result.loss) ? result.loss : 0,
      converged: result.converged,
      epochs: result.epochs.length,
      backend: result.backend,
      device: result.device,
      trainSeconds: result.seconds,
      samplesPerSecond: result.samplesPerSecond,
      reason: zero,
      stopReason,
      bestEpoch: result.bestEpoch,
      ...(test ? { test: { ...test } } : {}),
      ...(artifact ? { artifact } : {}),
    };
  } finally {
    model?.dispose();
    current = null;
  }
}

const backend = await selectBackend(options.backend, options.webgpuFlags === undefined ? {} : { webgpuFlags: options.webgpuFlags });
post({ type: "ready", backend: backend.backend, device: backend.device, notes: backend.notes, memory: deviceMemory(backend, options.memoryBytes) });
port.on("message", (message: ThreadRequest) => {
  if (message.type === "abort") {
    current?.abort();
    // A job waiting for a verdict goes on to its next batch, which sees the abort.
    if (waiting) onVerdict(waiting.epoch, false);
    return;
  }
  if (message.type === "verdict") {
    onVerdict(message.epoch, message.stop);
    return;
  }
  evaluate(message.payload, backend).then(
    (result) => post({ type: "result", result }),
    (err: unknown) => post({ type: "error", name: err instanceof Error ? err.name : "Error", message: err instanceof Error ? err.message : String(err), code: errorCodeOf(err) }),
  );
});
