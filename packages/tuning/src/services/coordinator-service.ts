// The coordinator node: runs every runnable campaign (queued, or running with
// no live lease) and keeps looking for new ones. It holds no state of its
// own; killed and restarted, it resumes from the database.
import { randomUUID } from "node:crypto";
import { isDatabaseUnavailable, type Repositories } from "@drnn/db";
import type { FitnessExecutor } from "../executors/executor.js";
import { runCampaign, type CampaignProgress, type RunOutcome } from "../coordinator/run-campaign.js";
import { silentLogger, type CoordinatorMetrics, type Logger } from "@drnn/ops";
import { OutageLog } from "./outage-log.js";

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
  /** Structured logs, bound to this coordinator's name: database outages (one warning when it goes, one when it is back), leases taken and released, requeues, with campaign and candidate ids. */
  logger?: Logger;
  metrics?: CoordinatorMetrics;
  reconcileMs?: number;
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
  const logger = (o.logger ?? silentLogger()).child({ coordinator: owner });
  const outages = new OutageLog((line) => logger.warn(line));
  const failed = (id: string, err: unknown) => {
    // A campaign interrupted by an outage is picked up again by the next scan once the database is back.
    if (isDatabaseUnavailable(err)) outages.down("PostgreSQL", err);
    else o.onOutcome?.(id, err instanceof Error ? err : new Error(String(err)));
  };

  const launch = (id: string) => {
    o.metrics?.runStarted();
    const run = runCampaign(id, {
      logger,
      repos: o.repos,
      executor: o.executor,
      signal: stop.signal,
      owner,
      outages,
      pollMs: o.pollMs ?? 250,
      ...(o.leaseMs ? { leaseMs: o.leaseMs } : {}),
      ...(o.reconcileMs ? { reconcileMs: o.reconcileMs } : {}),
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    })
      .then((outcome) => o.onOutcome?.(id, outcome))
      .catch((err: unknown) => failed(id, err))
      .finally(() => {
        o.metrics?.runEnded();
        running.delete(id);
      });
    running.set(id, run);
  };

  const scan = async () => {
    while (!stop.signal.aborted) {
      try {
        const runnable = await o.repos.campaigns.runnable();
        outages.up("PostgreSQL");
        for (const c of runnable) if (!running.has(c.id)) launch(c.id);
      } catch (err) {
        failed("(scan)", err);
      }
      await new Promise((r) => setTimeout(r, o.scanMs ?? 2000));
    }
  };
  const scanning = scan();

  return {
    owner,
    close: async () => {
      logger.info({ campaigns: running.size }, "coordinator stopping: releasing campaign leases");
      stop.abort();
      await scanning;
      await Promise.allSettled([...running.values()]);
      logger.info("coordinator stopped");
    },
  };
}
