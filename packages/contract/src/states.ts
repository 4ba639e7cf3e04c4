// The closed state sets of candidates and campaigns (DESIGN.md section 6).
// Which transitions are allowed is the database's rule (packages/db/src/states.ts
// owns the tables); which states are final is everyone's, so it lives here.

export const CANDIDATE_STATES = ["queued", "running", "completed", "failed", "cancelled"] as const;
export type CandidateStateName = (typeof CANDIDATE_STATES)[number];

export const CAMPAIGN_STATES = ["queued", "running", "completed", "cancelled", "failed"] as const;
export type CampaignStateName = (typeof CAMPAIGN_STATES)[number];

/** The states nothing leaves: a finished candidate or campaign never changes again. */
export const FINISHED_STATES = ["completed", "failed", "cancelled"] as const;
export type FinishedStateName = (typeof FINISHED_STATES)[number];

/** True for completed, failed and cancelled (candidates and campaigns alike). */
export function isFinished(state: string): state is FinishedStateName {
  return (FINISHED_STATES as readonly string[]).includes(state);
}

/**
 * A retraining batch of the online loop: queued once M purchase sessions are
 * in it, training while a worker holds it, decided once (promoted or kept).
 * "open" is the state of a batch row before its job is on the queue.
 */
export const ONLINE_BATCH_STATES = ["open", "queued", "training", "decided", "failed"] as const;
export type OnlineBatchStateName = (typeof ONLINE_BATCH_STATES)[number];
