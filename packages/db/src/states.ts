// The closed state machines of the domain. The state sets are the contract's
// (@drnn/contract); the transitions are the database's rule, and live here.
// Repositories consult these tables before writing; a finished candidate or
// campaign never changes again (the database refuses it too, see the
// finished_candidates_immutable migration).
import { CAMPAIGN_STATES, CANDIDATE_STATES, ONLINE_BATCH_STATES, type CampaignStateName, type CandidateStateName, type OnlineBatchStateName } from "@drnn/contract";

export { CAMPAIGN_STATES, CANDIDATE_STATES, ONLINE_BATCH_STATES, isFinished, type CampaignStateName, type CandidateStateName, type OnlineBatchStateName } from "@drnn/contract";

export const CANDIDATE_TRANSITIONS: Readonly<Record<CandidateStateName, readonly CandidateStateName[]>> = {
  // queued -> failed: the queue gave up on the job (attempts exhausted) before a worker reported.
  queued: ["running", "cancelled", "failed"],
  // running -> queued: the worker died or stalled and the job goes back to the queue.
  running: ["completed", "failed", "cancelled", "queued"],
  completed: [],
  failed: [],
  cancelled: [],
};

export const CAMPAIGN_TRANSITIONS: Readonly<Record<CampaignStateName, readonly CampaignStateName[]>> = {
  queued: ["running", "cancelled", "failed"],
  running: ["completed", "cancelled", "failed"],
  completed: [],
  cancelled: [],
  failed: [],
};

export const ONLINE_BATCH_TRANSITIONS: Readonly<Record<OnlineBatchStateName, readonly OnlineBatchStateName[]>> = {
  open: ["queued", "failed"],
  queued: ["training", "failed"],
  // training -> queued: the retraining worker died and the batch runs again.
  training: ["decided", "queued", "failed"],
  decided: [],
  failed: [],
};

/** The states from which `to` may be entered. */
export function candidateSourcesOf(to: CandidateStateName): CandidateStateName[] {
  return CANDIDATE_STATES.filter((from) => CANDIDATE_TRANSITIONS[from].includes(to));
}

export function campaignSourcesOf(to: CampaignStateName): CampaignStateName[] {
  return CAMPAIGN_STATES.filter((from) => CAMPAIGN_TRANSITIONS[from].includes(to));
}

export function onlineBatchSourcesOf(to: OnlineBatchStateName): OnlineBatchStateName[] {
  return ONLINE_BATCH_STATES.filter((from) => ONLINE_BATCH_TRANSITIONS[from].includes(to));
}
