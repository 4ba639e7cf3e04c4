// The coordinator node: runs every runnable campaign (queued, or running with
// no live lease) and keeps looking for new ones. It holds no state of its
// own; killed and restarted, it resumes from the database.
import { randomUUID } from "node:crypto";
import type { Repositories } from "@drnn/db";
import type { FitnessExecutor } from "../executors/executor.js";
import { runCampaign, type CampaignProgress, type RunOutcome } from "../coordinator/run-campaign.js";

export interface CoordinatorServiceOptions {
  repos: Repositories;
  executor: FitnessExecutor;
  /** How often the database is scanned for campaigns to run. */
  scanMs?: number;
  pollMs?: number;
  owner?: string;
  leaseMs?: number;
  onProgress?: (p: CampaignProgress) => void;
  onOutcome?: (campaignId: string, outcome: RunOutcome | Error) => void;
}

export interface CoordinatorService {
  readonly owner: string;
  /** Stops scanning and every campaign loop; campaigns stay resumable. */
  close(): Promise<void>;
}

export function startCoordinatorService(o: CoordinatorServiceOptions): CoordinatorService {
  const owner = o.owner ?? `coordinator-${randomUUID()}`;
  const stop = new AbortController();
  const running = new Map<string, Promise<void>>();

  const launch = (id: string) => {
    const run = runCampaign(id, { repos: o.repos, executor: o.executor, signal: stop.signal, owner, pollMs: o.pollMs ?? 250, ...(o.leaseMs ? { leaseMs: o.leaseMs } : {}), ...(o.onProgress ? { onProgress: o.onProgress } : {}) })
      .then((outcome) => o.onOutcome?.(id, outcome))
      .catch((err: unknown) => o.onOutcome?.(id, err instanceof Error ? err : new Error(String(err))))
      .finally(() => running.delete(id));
    running.set(id, run);
  };

  const scan = async () => {
    while (!stop.signal.aborted) {
      try {
        for (const c of await o.repos.campaigns.runnable()) if (!running.has(c.id)) launch(c.id);
      } catch (err) {
        o.onOutcome?.("(scan)", err instanceof Error ? err : new Error(String(err)));
      }
      await new Promise((r) => setTimeout(r, o.scanMs ?? 2000));
    }
  };
  const scanning = scan();

  return {
    owner,
    close: async () => {
      stop.abort();
      await scanning;
      await Promise.allSettled([...running.values()]);
    },
  };
}
