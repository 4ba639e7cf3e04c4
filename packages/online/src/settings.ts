// The one home of the retrain half's defaults (the fine-tune's own, epochs
// and holdout share, are @drnn/model's FINE_TUNE_DEFAULTS).
export const ONLINE_DEFAULTS = {
  /**
   * The candidate goes live unless its holdout hit@1 is more than this below
   * the live model's: "not worse, by a margin". 0.01 = one point of hit@1,
   * about the noise of a holdout of a few hundred samples.
   */
  margin: 0.01,
  /** The lock scope of a retrain: one at a time per model name. */
  lockScope: "drnn-retrain",
  /** Retrains a worker runs at once (different model names; the lock orders one name's). */
  concurrency: 1,
  /** How often a retrain worker looks for batches without a job (a lost job, a job BullMQ gave up on), ms. */
  reconcileMs: 30_000,
} as const;
