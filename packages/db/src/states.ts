// The closed state machines of the domain. Repositories consult these tables
// before writing; a finished candidate or campaign never changes again (the
// database refuses it too, see the finished_candidates_immutable migration).

export const CANDIDATE_STATES = ["queued", "running", "completed", "failed", "cancelled"] as const;
export type CandidateStateName = (typeof CANDIDATE_STATES)[number];

export const CANDIDATE_TRANSITIONS: Readonly<Record<CandidateStateName, readonly CandidateStateName[]>> = {
  // queued -> failed: the queue gave up on the job (attempts exhausted) before a worker reported.
  queued: ["running", "cancelled", "failed"],
  // running -> queued: the worker died or stalled and the job goes back to the queue.
  running: ["completed", "failed", "cancelled", "queued"],
  completed: [],
  failed: [],
  cancelled: [],
};

export const CAMPAIGN_STATES = ["queued", "running", "completed", "cancelled", "failed"] as const;
export type CampaignStateName = (typeof CAMPAIGN_STATES)[number];

export const CAMPAIGN_TRANSITIONS: Readonly<Record<CampaignStateName, readonly CampaignStateName[]>> = {
  queued: ["running", "cancelled", "failed"],
  running: ["completed", "cancelled", "failed"],
  completed: [],
  cancelled: [],
  failed: [],
};

/** The states from which `to` may be entered. */
export function candidateSourcesOf(to: CandidateStateName): CandidateStateName[] {
  return CANDIDATE_STATES.filter((from) => CANDIDATE_TRANSITIONS[from].includes(to));
}

export function campaignSourcesOf(to: CampaignStateName): CampaignStateName[] {
  return CAMPAIGN_STATES.filter((from) => CAMPAIGN_TRANSITIONS[from].includes(to));
}
