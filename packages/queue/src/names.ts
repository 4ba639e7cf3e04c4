// Queue names and job ids. Every key BullMQ writes starts with the prefix, so
// one Redis can host several deployments (and test runs) side by side.

export const FITNESS_QUEUE = "fitness";

/** Retraining jobs of the online loop: one per batch, jobId = the batch id. */
export const RETRAIN_QUEUE = "drnn-retrain";

/**
 * One job per (campaign, chromosome hash): adding the same evaluation twice
 * is a no-op in BullMQ, so a restarted coordinator cannot double-train.
 * BullMQ reserves ':' in keys, hence '.'.
 */
export function fitnessJobId(campaignId: string, hash: string): string {
  return `${campaignId}.${hash}`;
}
