import type { Worker } from "../generated/prisma/client.js";
import type { Db } from "../client.js";

export interface WorkerInfo {
  id: string;
  hostname: string;
  backend: string;
  device: string;
  concurrency: number;
}

export class WorkerRepository {
  constructor(private readonly db: Db) {}

  register(info: WorkerInfo): Promise<Worker> {
    const now = new Date();
    return this.db.worker.upsert({
      where: { id: info.id },
      create: { ...info, startedAt: now, heartbeatAt: now },
      update: { ...info, heartbeatAt: now, stoppedAt: null },
    });
  }

  async heartbeat(id: string): Promise<void> {
    await this.db.worker.update({ where: { id }, data: { heartbeatAt: new Date() } });
  }

  async stop(id: string): Promise<void> {
    await this.db.worker.update({ where: { id }, data: { stoppedAt: new Date() } });
  }

  get(id: string): Promise<Worker | null> {
    return this.db.worker.findUnique({ where: { id } });
  }

  /** Workers that reported since `since` and have not stopped. */
  listAlive(since: Date): Promise<Worker[]> {
    return this.db.worker.findMany({ where: { stoppedAt: null, heartbeatAt: { gte: since } }, orderBy: { id: "asc" } });
  }
}
