// A trainer that does not train: it derives a deterministic "fitness" from
// the chromosome's genes and sleeps a fixed time per epoch. It exists to
// exercise and benchmark the distribution machinery (queue, workers, crash
// recovery) without the cost of TF.js, and says so in every result: its
// backend is "simulated". It is never used to report model quality.
import { sha256Hex } from "@drnn/ga";
import type { FitnessResult } from "@drnn/queue";
import { TrainingAbortedError, type TrainRequest, type Trainer } from "../trainer.js";

export interface SimulatedTrainerOptions {
  /** Wall time per simulated epoch. */
  epochMs: number;
  epochs: number;
}

function pseudoAccuracy(hash: string): number {
  return parseInt(sha256Hex(hash).slice(0, 8), 16) / 0xffffffff;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(new TrainingAbortedError());
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(t), reject(new TrainingAbortedError())), { once: true });
  });

export class SimulatedTrainer implements Trainer {
  readonly backend = "simulated";
  readonly device = "none";
  constructor(private readonly options: SimulatedTrainerOptions = { epochMs: 10, epochs: 3 }) {}

  async train({ payload, onEpoch, signal }: TrainRequest): Promise<FitnessResult> {
    const target = pseudoAccuracy(payload.hash);
    const epochs = Math.min(this.options.epochs, payload.training.maxEpochs);
    let accuracy = 0;
    let loss = 2;
    let done = 0;
    let pruned = false;
    for (let epoch = 1; epoch <= epochs && !pruned; epoch++) {
      await sleep(this.options.epochMs, signal);
      accuracy = target * (epoch / epochs);
      loss = 2 - accuracy;
      done = epoch;
      pruned = (await onEpoch({ epoch, trainLoss: loss, valLoss: loss, valAccuracy: accuracy, seconds: this.options.epochMs / 1000 })) === "stop";
    }
    return {
      fitness: accuracy + 1 / (1 + loss),
      accuracy,
      loss,
      converged: !pruned,
      epochs: done,
      stopReason: pruned ? "pruned" : "converged",
      bestEpoch: done,
      backend: this.backend,
      device: this.device,
      trainSeconds: (done * this.options.epochMs) / 1000,
      samplesPerSecond: 0,
      reason: null,
    };
  }

  async close(): Promise<void> {}
}
