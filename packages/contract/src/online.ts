// What the online loop reports for one model name (`drnn online status`,
// GET /api/models/:name/online, the dashboard's models page): the batches,
// every decision with its lineage and both models' holdout metrics, and per
// decided batch the accuracy of the live model against a frozen copy of the
// first version, each scored on the whole batch before training on it.
import { z } from "zod";

const Iso = z.string().describe("an ISO-8601 time");

export const SlimMetricsSchema = z.object({ samples: z.int(), sessions: z.int(), hit1: z.number(), hit20: z.number(), mrr20: z.number(), reachable: z.number() });
export type SlimMetrics = z.infer<typeof SlimMetricsSchema>;

export const DecisionViewSchema = z.object({
  batchId: z.string(),
  batchSeq: z.int(),
  outcome: z.enum(["promoted", "kept"]),
  reason: z.string(),
  candidateVersion: z.int(),
  parentVersion: z.int().nullable(),
  margin: z.number(),
  metric: z.string(),
  /** Holdout (the batch's newest sessions) metrics of the candidate and of the live model. */
  candidate: SlimMetricsSchema,
  live: SlimMetricsSchema,
  /** Every batch the candidate's weights learned from, oldest first. */
  batchIds: z.array(z.string()),
  sessionCount: z.int(),
  addedPages: z.int(),
  addedGeneratorItems: z.int(),
  decidedAt: Iso,
});
export type DecisionView = z.infer<typeof DecisionViewSchema>;

export const BatchAccuracySchema = z.object({
  batchSeq: z.int(),
  batchId: z.string(),
  /** The version live when the batch came in. */
  liveVersion: z.int(),
  live: SlimMetricsSchema,
  /** The first version, never retrained. */
  frozen: SlimMetricsSchema,
  /** S-POP on the same samples (no training: the bar to clear); null for decisions recorded before it was kept. */
  spop: SlimMetricsSchema.nullable(),
});
export type BatchAccuracy = z.infer<typeof BatchAccuracySchema>;

export const OnlineStatusSchema = z.object({
  name: z.string(),
  liveVersion: z.int().nullable(),
  firstVersion: z.int().nullable(),
  batches: z.array(z.object({ seq: z.int(), id: z.string(), state: z.string(), sessionCount: z.int(), createdAt: Iso, decidedAt: Iso.nullable() })),
  decisions: z.array(DecisionViewSchema),
  accuracy: z.array(BatchAccuracySchema),
  /** Mean over decided batches of live hit@1 minus frozen hit@1; null before the first. */
  meanGain: z.number().nullable(),
});
export type OnlineStatus = z.infer<typeof OnlineStatusSchema>;
