// The replay's pacing: after each ingest commit, every batch ingest cut is
// waited for until its decision, and a promoted version until `drnn serve`
// answers page views with it; each batch's timings become a ReplayBatch.
import type { Repositories } from "@drnn/db";
import type { ReplayBatch } from "./replay-report.js";
import { firstAnswerBy, type ServeNode } from "./replay-serve.js";

export class BatchPace {
  private handled = 0;

  constructor(
    private readonly repos: Repositories,
    private readonly name: string,
    private readonly serve: ServeNode | null,
    private readonly rows: ReplayBatch[],
    private readonly say: (line: string) => void,
  ) {}

  async settle(): Promise<void> {
    for (const b of await this.repos.onlineBatches.list(this.name)) {
      if (b.seq <= this.handled) continue;
      const decision = await this.decisionOf(b.id, b.seq);
      const sessions = await this.repos.onlineSessions.ofBatch(b.id);
      const closedAt = Math.max(...sessions.map((s) => s.closedAt.getTime()));
      const version = (await this.repos.models.byId(decision.candidateVersionId)).version;
      const page = sessions.flatMap((s) => s.records as unknown as { event: string; page: string }[]).find((r) => r.event === "view")?.page ?? "probe";
      const answeredAt = this.serve !== null && decision.outcome === "promoted" ? await firstAnswerBy(this.serve, page, version) : null;
      this.rows.push({
        seq: b.seq, closedAt, decidedAt: decision.createdAt.getTime(), answeredAt,
        firstEventAt: Math.min(...sessions.map((s) => s.firstEventAt.getTime())), lastEventAt: Math.max(...sessions.map((s) => s.lastEventAt.getTime())),
      });
      this.handled = b.seq;
      this.say(`batch ${b.seq}: ${decision.outcome} (version ${version})${answeredAt === null ? "" : `; answering ${((answeredAt - closedAt) / 1000).toFixed(1)} s after its last session closed`}`);
    }
  }

  private async decisionOf(batchId: string, seq: number) {
    const end = Date.now() + 30 * 60_000;
    for (;;) {
      const d = await this.repos.decisions.forBatch(batchId);
      if (d !== null) return d;
      if ((await this.repos.onlineBatches.get(batchId)).state === "failed") throw new Error(`batch ${seq} failed`);
      if (Date.now() > end) throw new Error(`no decision on batch ${seq} after 30 min`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
