// The real trainer: the DRNN of @drnn/model, trained in worker threads so the
// event loop that renews BullMQ locks and heartbeats never blocks. One thread
// per concurrent evaluation; each keeps its TF.js backend (on a GPU: its own
// WebGPU device on the same card) and its datasets. Before a job starts its
// memory is estimated from its genes: one that cannot fit the device at all
// ends as out-of-memory at once, one that does not fit next to the running
// jobs waits for memory.
import { Worker } from "node:worker_threads";
import { parseChromosome, RemoteError } from "@drnn/contract";
import { readManifest } from "@drnn/data";
import { dimsFor, memoryRefusal, trainingFootprint, type DeviceMemory, type TrainingFootprint } from "@drnn/model";
import type { FitnessJobPayload, FitnessResult } from "@drnn/queue";
import { MemoryGate } from "./memory-gate.js";
import { TrainingAbortedError, type TrainRequest, type Trainer } from "../trainer.js";
import type { ThreadOptions, ThreadRequest, ThreadResponse } from "./drnn-thread-protocol.js";

const ENTRY = new URL("./drnn-thread-entry.mjs", import.meta.url);

class TrainingThread {
  private constructor(
    readonly worker: Worker,
    readonly backend: string,
    readonly device: string,
    readonly notes: string[],
    readonly memory: DeviceMemory,
  ) {}

  static start(options: ThreadOptions): Promise<TrainingThread> {
    const worker = new Worker(ENTRY, { workerData: options });
    return new Promise((resolve, reject) => {
      const onMessage = (m: ThreadResponse) => {
        if (m.type !== "ready") return;
        worker.off("error", reject);
        worker.off("message", onMessage);
        resolve(new TrainingThread(worker, m.backend, m.device, m.notes, m.memory));
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
          if (m.name === "TrainingAbortedError") reject(new TrainingAbortedError());
          else reject(m.code ? new RemoteError(m.code, m.name, m.message) : Object.assign(new Error(m.message), { name: m.name }));
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

/** The candidate's estimated footprint; undefined when its dataset or genes cannot say (the thread then reports the error). */
function footprintOf(payload: FitnessJobPayload): TrainingFootprint | undefined {
  try {
    return trainingFootprint(parseChromosome(payload.chromosome), dimsFor({ manifest: readManifest(payload.dataset.location) }));
  } catch {
    return undefined;
  }
}

export class DrnnThreadTrainer implements Trainer {
  private readonly idle: TrainingThread[];
  private readonly waiters: ((t: TrainingThread) => void)[] = [];
  private readonly gate: MemoryGate;
  private readonly running = new Set<Promise<unknown>>();

  private constructor(
    private readonly threads: TrainingThread[],
    private readonly options: ThreadOptions,
  ) {
    this.idle = [...threads];
    this.gate = new MemoryGate(this.memory.bytes);
  }

  /** Starts the threads and waits until each has its backend. */
  static async start(options: DrnnThreadTrainerOptions): Promise<DrnnThreadTrainer> {
    const threads = await Promise.all(Array.from({ length: options.threads }, () => TrainingThread.start(options)));
    return new DrnnThreadTrainer(threads, options);
  }

  get backend(): string {
    return this.threads[0]?.backend ?? "none";
  }

  get device(): string {
    return this.threads[0]?.device ?? "none";
  }

  /** Why the backend ahead of this one in the preference list was passed over. */
  get notes(): readonly string[] {
    return this.threads[0]?.notes ?? [];
  }

  /** What the jobs share (every thread sees the same device). */
  get memory(): DeviceMemory {
    return this.threads[0]?.memory ?? { bytes: 0, source: "no threads" };
  }

  async train(request: TrainRequest): Promise<FitnessResult> {
    const need = footprintOf(request.payload);
    if (need !== undefined && memoryRefusal(need, this.memory) !== undefined) return this.outOfMemory();
    const release = await this.gate.acquire(need?.bytes ?? 0);
    let thread = this.idle.pop() ?? (await new Promise<TrainingThread>((r) => this.waiters.push(r)));
    try {
      if (request.signal.aborted) throw new TrainingAbortedError();
      const run = thread.run(request);
      this.running.add(run);
      const result = await run.finally(() => this.running.delete(run));
      // A wasm heap that ran out leaves the thread's backend unusable: the next candidate gets a fresh thread.
      if (result.stopReason === "out-of-memory") thread = await this.replace(thread);
      return result;
    } finally {
      release();
      const next = this.waiters.shift();
      if (next) next(thread);
      else this.idle.push(thread);
    }
  }

  private async replace(old: TrainingThread): Promise<TrainingThread> {
    await old.worker.terminate();
    const fresh = await TrainingThread.start(this.options);
    this.threads.splice(this.threads.indexOf(old), 1, fresh);
    return fresh;
  }

  /** A candidate too large for the device: fitness 0, reason out-of-memory, nothing trained. */
  private outOfMemory(): FitnessResult {
    return { fitness: 0, accuracy: 0, loss: 0, converged: false, epochs: 0, backend: this.backend, device: this.device, trainSeconds: 0, samplesPerSecond: 0, reason: "out-of-memory", stopReason: "out-of-memory" };
  }

  /**
   * Stops running jobs at their next batch and waits (at most `graceMs`) before
   * ending the threads: terminating a thread in the middle of WebGPU work
   * takes the whole process down (Dawn's bindings throw a fatal N-API error).
   */
  async close(graceMs = 30_000): Promise<void> {
    for (const t of this.threads) t.worker.postMessage({ type: "abort" } satisfies ThreadRequest);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.allSettled([...this.running]), grace]);
    clearTimeout(timer);
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }
}
