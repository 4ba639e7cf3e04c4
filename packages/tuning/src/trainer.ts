// What a worker asks of a trainer: one fitness evaluation of one chromosome,
// reporting each epoch. Training itself (TF.js) runs off the event loop; a
// Trainer only awaits it, so BullMQ lock renewal and heartbeats keep going.
import { DrnnError } from "@drnn/contract";
import type { FitnessJobPayload, FitnessProgress, FitnessResult } from "@drnn/queue";

/** One epoch as the queue contract describes it (its `epoch` progress event). */
export type EpochReport = Omit<Extract<FitnessProgress, { kind: "epoch" }>, "kind">;

export type EpochDecision = "continue" | "stop";

export interface TrainRequest {
  payload: FitnessJobPayload;
  /**
   * Awaited before the next epoch starts: a slow database slows training
   * rather than losing epochs. "stop" ends training there as pruned (the
   * trainer waits for the answer only when the job's training.pruning is set).
   */
  onEpoch: (epoch: EpochReport) => Promise<EpochDecision>;
  signal: AbortSignal;
}

export interface Trainer {
  /** Where this trainer runs, recorded with every result. */
  readonly backend: string;
  readonly device: string;
  /** Why better backends were passed over at start-up (e.g. "webgpu: no WebGPU adapter ..."). */
  readonly notes?: readonly string[];
  train(request: TrainRequest): Promise<FitnessResult>;
  close(): Promise<void>;
}

/** Thrown by a trainer that stopped because its signal was aborted. */
export class TrainingAbortedError extends DrnnError {
  override readonly name = "TrainingAbortedError";
  readonly code = "TRAINING_ABORTED" as const;
  constructor() {
    super("training aborted");
  }
}
