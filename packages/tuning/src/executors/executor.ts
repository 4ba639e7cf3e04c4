// How the coordinator hands fitness evaluations to workers. Two backends
// implement it and pass one conformance suite (executors.conformance.ts):
// BullMQ on Redis, for workers on many nodes, and an in-process runner for
// the one-machine demo. Results never travel back through the executor:
// workers write them to the database, which the coordinator reads.
import type { FitnessJobPayload, JobStatus } from "@drnn/queue";

export interface FitnessExecutor {
  readonly kind: "bullmq" | "in-process";
  /**
   * Queues an evaluation. Submitting the same (campaign, hash) again is a
   * no-op while its job is pending; a failed, finished or lost job is replaced.
   */
  submit(payload: FitnessJobPayload): Promise<void>;
  /** Where the evaluation's job stands, for the coordinator's reconciliation. */
  status(payload: FitnessJobPayload): Promise<JobStatus>;
  close(): Promise<void>;
}
