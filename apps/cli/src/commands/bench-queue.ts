// `drnn bench queue`: the queue and bookkeeping overhead per fitness job and
// throughput scaling over simulated workers, on the configured PostgreSQL
// and Redis (benchmark rows go into a campaign named "bench queue").
import { cpus } from "node:os";
import { runQueueBenchmark } from "@drnn/tuning";
import type { CommandContext, Result } from "../command.js";
import { UsageError } from "../errors.js";
import { intOption } from "../options.js";
import { createRepositories } from "@drnn/db";
import { openServicesDb } from "../platform.js";
import { reachableRedis } from "../services.js";

export interface QueueBenchFlags {
  jobs: string;
  workers: string;
  jobMs: string;
}

export async function runQueueBench(c: CommandContext, f: QueueBenchFlags): Promise<Result> {
  if (!c.config.DATABASE_URL || !c.config.REDIS_URL) throw new UsageError("bench queue measures the services: set DATABASE_URL and REDIS_URL");
  const workerCounts = f.workers.split(",").map((w) => intOption("--workers", w.trim(), 1));
  const redisUrl = await reachableRedis(c.config);
  // One pool for all in-process workers: sized so it is not what limits them
  // (each real worker process has its own).
  const db = await openServicesDb(c.config, Math.max(...workerCounts) + 4);
  try {
    const result = await runQueueBenchmark({
      repos: createRepositories(db.prisma),
      redisUrl,
      prefix: `${c.config.DRNN_QUEUE_PREFIX}-bench`,
      jobs: intOption("--jobs", f.jobs, 1),
      workerCounts,
      jobMs: intOption("--job-ms", f.jobMs, 1),
      onProgress: (l) => c.out.progress(l),
    });
    return { workload: "queue", machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? "unknown" }, ...result };
  } finally {
    await db.close();
  }
}
