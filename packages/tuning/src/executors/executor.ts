// How the coordinator hands fitness evaluations to workers. Two backends
// implement it and pass one conformance suite (executors.conformance.ts):
// BullMQ on Redis, for workers on many nodes, and an in-process runner for
// the one-machine demo. Results never travel back through the executor:
// workers write them to the database, which the coordinator reads.
import type { FitnessJobPayload } from "@drnn/queue";

export interface FitnessExecutor {
  readonly kind: "bullmq" | "in-process";
  /** Queues an evaluation; submitting the same (campaign, hash) again is a no-op. */
  submit(payload: FitnessJobPayload): Promise<void>;
  close(): Promise<void>;
}
