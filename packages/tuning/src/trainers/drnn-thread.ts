// The real trainer: the DRNN of @drnn/model, trained in worker threads so the
// event loop that renews BullMQ locks and heartbeats never blocks. One thread
// per concurrent evaluation; each keeps its TF.js backend and its datasets.
import { Worker } from "node:worker_threads";
import type { FitnessResult } from "@drnn/queue";
import { TrainingAbortedError, type TrainRequest, type Trainer } from "../trainer.js";
import type { ThreadOptions, ThreadRequest, ThreadResponse } from "./drnn-thread-protocol.js";

const ENTRY = new URL("./drnn-thread-entry.mjs", import.meta.url);

class TrainingThread {
  private constructor(
    readonly worker: Worker,
    readonly backend: string,
    readonly device: string,
  ) {}

  static start(options: ThreadOptions): Promise<TrainingThread> {
    const worker = new Worker(ENTRY, { workerData: options });
    return new Promise((resolve, reject) => {
      const onMessage = (m: ThreadResponse) => {
        if (m.type !== "ready") return;
        worker.off("error", reject);
        worker.off("message", onMessage);
        resolve(new TrainingThread(worker, m.backend, m.device));
      };
      worker.on("message", onMessage);
      worker.once("error", reject);
    });
  }

  run(request: TrainRequest): Promise<FitnessResult> {
    return new Promise<FitnessResult>((resolve, reject) => {
      let epochs: Promise<void> = Promise.resolve();
      const onAbort = () => this.worker.postMessage({ type: "abort" } satisfies ThreadRequest);
      const cleanup = () => {
        this.worker.off("message", onMessage);
        this.worker.off("error", onError);
        request.signal.removeEventListener("abort", onAbort);
      };
      const onError = (err: Error) => (cleanup(), reject(err));
      let epochError: unknown;
      const onMessage = (m: ThreadResponse) => {
        // Epochs are written in order and before the result is returned; a
        // failed write (the candidate was cancelled) stops the training.
        if (m.type === "epoch") {
          epochs = epochs
            .then(() => (epochError === undefined ? request.onEpoch(m.report) : "continue"))
            .then((decision) => this.worker.postMessage({ type: "verdict", epoch: m.report.epoch, stop: decision === "stop" } satisfies ThreadRequest))
            .catch((err: unknown) => {
              epochError ??= err;
              onAbort();
            });
        } else if (m.type === "result") {
          void epochs.then(() => {
            cleanup();
            if (epochError !== undefined) reject(epochError);
            else resolve(m.result);
          });
        }
        else if (m.type === "error") {
          cleanup();
          reject(m.name === "TrainingAbortedError" ? new TrainingAbortedError() : Object.assign(new Error(m.message), { name: m.name }));
        }
      };
      this.worker.on("message", onMessage);
      this.worker.on("error", onError);
      request.signal.addEventListener("abort", onAbort, { once: true });
      this.worker.postMessage({ type: "train", payload: request.payload } satisfies ThreadRequest);
    });
  }
}

export interface DrnnThreadTrainerOptions extends ThreadOptions {
  /** Threads, i.e. evaluations at the same time. */
  threads: number;
}

export class DrnnThreadTrainer implements Trainer {
  private readonly idle: TrainingThread[];
  private readonly waiters: ((t: TrainingThread) => void)[] = [];

  private constructor(private readonly threads: TrainingThread[]) {
    this.idle = [...threads];
  }

  /** Starts the threads and waits until each has its backend. */
  static async start(options: DrnnThreadTrainerOptions): Promise<DrnnThreadTrainer> {
    const threads = await Promise.all(Array.from({ length: options.threads }, () => TrainingThread.start(options)));
    return new DrnnThreadTrainer(threads);
  }

  get backend(): string {
    return this.threads[0]?.backend ?? "none";
  }

  get device(): string {
    return this.threads[0]?.device ?? "none";
  }

  async train(request: TrainRequest): Promise<FitnessResult> {
    const thread = this.idle.pop() ?? (await new Promise<TrainingThread>((r) => this.waiters.push(r)));
    try {
      return await thread.run(request);
    } finally {
      const next = this.waiters.shift();
      if (next) next(thread);
      else this.idle.push(thread);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }
}
