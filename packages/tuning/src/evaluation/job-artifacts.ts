// What a worker needs from the artifact store (@drnn/artifacts' NodeArtifacts
// provides it; the CLI wires it in): the job's dataset as a directory on this
// node, and a place for trained models worth keeping. Without it a worker
// reads the dataset from the path in the job and keeps models on its own disk.
import type { FitnessJobPayload } from "@drnn/queue";

export interface JobArtifacts {
  /** A local directory holding the job's dataset, fetched by hash when this node has none. */
  datasetOfJob(dataset: FitnessJobPayload["dataset"]): Promise<string>;
  /** Stores the trained model if it is worth keeping; its hash, or undefined when not kept. */
  keepModel(job: { campaignId: string; hash: string }, result: { fitness: number; artifact?: string }): Promise<string | undefined>;
}
