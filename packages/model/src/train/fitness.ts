// The fitness rule of the tuning loop (paper IV.B, DESIGN.md section 5): the
// one place that decides, epoch by epoch, whether a candidate trains on, and
// which epoch its fitness fit = accuracy + 1 / (1 + loss) is taken at.
// The defaults (R, pi, patience, policy) live in @drnn/ga's tuning defaults;
// callers pass them in.
//
// Two policies:
//  - "paper", as written: after each epoch, if validation accuracy moved by
//    less than pi since the previous epoch, stop and score that epoch; a run
//    that never settles within R epochs scores `unsettledFitness` (0). Kept
//    for replication. Its failure mode: with the R a campaign can afford
//    (3-10), every model that is still learning is "unsettled" and scores 0,
//    while a model stuck near accuracy 0 "settles" at once and scores
//    1/(1 + loss); the GA then breeds non-learners. R = 1 always scores 0,
//    since the first epoch has nothing to compare with.
//  - "patience" (the default): the best validation epoch (highest fit) is
//    the scored one, and its weights are kept; training stops after
//    `patience` epochs without an improvement of at least pi in fit, or at
//    R, the hard cap. A run still improving at R is scored at its best epoch.

export const FITNESS_POLICY_NAMES = ["patience", "paper"] as const;
export type FitnessPolicyName = (typeof FITNESS_POLICY_NAMES)[number];

export interface FitnessRuleOptions {
  policy: FitnessPolicyName;
  /** R: the most epochs a candidate may train. */
  maxEpochs: number;
  /** pi: paper: the accuracy change that counts as settled; patience: the least improvement in fit that counts. */
  pi: number;
  /** patience: epochs without such an improvement before stopping. */
  patience: number;
  /** paper: fitness of a run that never settles (the paper: 0). */
  unsettledFitness: number;
}

/** How training ended, as far as the rule is concerned. */
export type RuleStop = "converged" | "unsettled" | "patience" | "max-epochs";

export interface EpochVerdict {
  /** This epoch is now the scored one: keep its weights. */
  keep: boolean;
  /** Undefined while training goes on. */
  stop?: RuleStop;
}

export interface ScoredEpoch {
  epoch: number;
  accuracy: number;
  loss: number;
}

export function fitnessOf(accuracy: number, loss: number): number {
  return accuracy + 1 / (1 + loss);
}

export class FitnessRule {
  private previousAccuracy: number | undefined;
  private epochs = 0;
  private scored: ScoredEpoch | null = null;
  /** patience: the fit the last real improvement reached, and the epochs since. */
  private reference = Number.NEGATIVE_INFINITY;
  private waited = 0;

  constructor(readonly options: FitnessRuleOptions) {}

  /** The epoch the fitness is taken at (and whose weights are kept), so far. */
  get best(): ScoredEpoch | null {
    return this.scored;
  }

  /** Records one epoch's validation metrics. */
  observe(accuracy: number, loss: number): EpochVerdict {
    this.epochs++;
    return this.options.policy === "paper" ? this.observePaper(accuracy, loss) : this.observePatience(accuracy, loss);
  }

  /** The fitness the run ends with, given why it ended. */
  fitness(stop: RuleStop | "pruned"): number {
    if (this.scored === null) return 0;
    if (stop === "unsettled") return this.options.unsettledFitness;
    return fitnessOf(this.scored.accuracy, this.scored.loss);
  }

  private observePaper(accuracy: number, loss: number): EpochVerdict {
    const settled = this.previousAccuracy !== undefined && Math.abs(accuracy - this.previousAccuracy) < this.options.pi;
    this.previousAccuracy = accuracy;
    // As written, the paper scores the epoch it stops at: always the latest.
    this.scored = { epoch: this.epochs, accuracy, loss };
    if (settled) return { keep: true, stop: "converged" };
    return this.epochs >= this.options.maxEpochs ? { keep: true, stop: "unsettled" } : { keep: true };
  }

  private observePatience(accuracy: number, loss: number): EpochVerdict {
    const fit = fitnessOf(accuracy, loss);
    const keep = this.scored === null || fit > fitnessOf(this.scored.accuracy, this.scored.loss);
    if (keep) this.scored = { epoch: this.epochs, accuracy, loss };
    if (fit >= this.reference + this.options.pi) {
      this.reference = fit;
      this.waited = 0;
    } else {
      this.waited++;
    }
    if (this.waited >= this.options.patience) return { keep, stop: "patience" };
    return this.epochs >= this.options.maxEpochs ? { keep, stop: "max-epochs" } : { keep };
  }
}
