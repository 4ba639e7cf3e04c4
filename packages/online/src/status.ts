// What the online loop has done for one model name: the lineage of its
// versions (each candidate with its parent, the batches it learned from and
// the decision), the batches and their states, and per decided batch the
// accuracy (hit@1 on the whole batch, scored before training on it) of the
// model that was live against a frozen copy of the first version. The CLI's
// `drnn online status` and the API's models page read the same object.
import type { BatchAccuracy, DecisionView, OnlineStatus, SlimMetrics } from "@drnn/contract";
import type { Repositories } from "@drnn/db";

export type { BatchAccuracy, DecisionView, OnlineStatus, SlimMetrics };

interface Details {
  batchSeq?: number;
  growth?: { addedPages?: number; addedGeneratorItems?: number };
  prequential?: { liveVersion: number; firstVersion: number; live: SlimMetrics; frozen: SlimMetrics; spop?: SlimMetrics };
}

export async function onlineStatus(repos: Repositories, name: string): Promise<OnlineStatus> {
  const [live, batches, decisions] = await Promise.all([repos.models.live(name), repos.onlineBatches.list(name), repos.decisions.list(name)]);
  const seqOf = new Map(batches.map((b) => [b.id, b.seq]));
  const views: DecisionView[] = decisions.map((d) => {
    const details = d.details as Details;
    return {
      batchId: d.batchId,
      batchSeq: seqOf.get(d.batchId) ?? details.batchSeq ?? 0,
      outcome: d.outcome,
      reason: d.reason,
      candidateVersion: d.candidateVersion.version,
      parentVersion: d.parentVersion,
      margin: d.margin,
      metric: d.metric,
      candidate: d.candidateMetrics as unknown as SlimMetrics,
      live: d.liveMetrics as unknown as SlimMetrics,
      batchIds: d.batchIds,
      sessionCount: d.sessionCount,
      addedPages: details.growth?.addedPages ?? 0,
      addedGeneratorItems: details.growth?.addedGeneratorItems ?? 0,
      decidedAt: d.createdAt.toISOString(),
    };
  });
  const accuracy: BatchAccuracy[] = decisions.flatMap((d) => {
    const p = (d.details as Details).prequential;
    return p ? [{ batchSeq: seqOf.get(d.batchId) ?? 0, batchId: d.batchId, liveVersion: p.liveVersion, live: p.live, frozen: p.frozen, spop: p.spop ?? null }] : [];
  });
  accuracy.sort((a, b) => a.batchSeq - b.batchSeq);
  const firstDetails = decisions[0]?.details as Details | undefined;
  return {
    name,
    liveVersion: live?.version ?? null,
    firstVersion: firstDetails?.prequential?.firstVersion ?? live?.version ?? null,
    batches: batches.map((b) => ({ seq: b.seq, id: b.id, state: b.state, sessionCount: b.sessionCount, createdAt: b.createdAt.toISOString(), decidedAt: b.decidedAt?.toISOString() ?? null })),
    decisions: views,
    accuracy,
    meanGain: accuracy.length === 0 ? null : accuracy.reduce((s, a) => s + a.live.hit1 - a.frozen.hit1, 0) / accuracy.length,
  };
}
