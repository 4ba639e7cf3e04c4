// Reconciliation of a campaign's unfinished candidates with their jobs: the
// database says what should be running, the queue what is. Whatever the
// queue lost or gave up on is re-dispatched with a fresh job, or failed with
// the queue's reason, so no candidate waits forever:
//  - job pending (waiting, active, delayed)               -> nothing to do
//  - job failed for the candidate's sake (attempts spent,
//    stalled more than allowed, unrecoverable)             -> candidate failed with that reason
//  - job failed because a service was away, or missing
//    (Redis restarted empty), or completed without a result -> re-dispatched
//  - a running candidate whose worker still heartbeats keeps its worker: its
//    result reaches the database even when Redis lost the job.
import { IllegalTransitionError, type Candidate, type Repositories } from "@drnn/db";
import type { FitnessJobPayload } from "@drnn/queue";
import type { FitnessExecutor } from "../executors/executor.js";

export interface ReconcileDeps {
  repos: Repositories;
  executor: FitnessExecutor;
  payload: (c: Candidate) => FitnessJobPayload;
  /** A running candidate with a heartbeat newer than this is left to its worker. */
  aliveSince: Date;
  /** Re-dispatches so far per candidate id; a candidate past `maxRedispatches` is failed. */
  redispatched: Map<string, number>;
  maxRedispatches: number;
}

const ignoreRace = (err: unknown) => {
  // The worker moved the candidate on meanwhile: its own transition wins.
  if (err instanceof IllegalTransitionError) return null;
  throw err;
};

/** Returns how many candidates were re-dispatched or failed. */
export async function reconcileCandidates(campaignId: string, d: ReconcileDeps): Promise<number> {
  let changed = 0;
  for (const c of await d.repos.candidates.listPending(campaignId)) {
    const job = await d.executor.status(d.payload(c));
    if (job.state === "pending") continue;
    if (job.state === "failed" && !job.retryable) {
      await d.repos.candidates.fail(c.id, `job failed: ${job.reason}`).catch(ignoreRace);
      changed++;
      continue;
    }
    const alive = c.state === "running" && c.heartbeatAt !== null && c.heartbeatAt >= d.aliveSince;
    if (alive && job.state !== "failed") continue;
    const why = job.state === "failed" ? `job failed: ${job.reason}` : job.state === "missing" ? "job lost by the queue" : "job finished without a result";
    const count = (d.redispatched.get(c.id) ?? 0) + 1;
    d.redispatched.set(c.id, count);
    changed++;
    if (count > d.maxRedispatches) {
      await d.repos.candidates.fail(c.id, `${why} (re-dispatched ${d.maxRedispatches} times)`).catch(ignoreRace);
      continue;
    }
    const row = c.state === "running" ? await d.repos.candidates.requeue(c.id, why).catch(ignoreRace) : c;
    if (row) await d.executor.submit(d.payload(row));
  }
  return changed;
}
