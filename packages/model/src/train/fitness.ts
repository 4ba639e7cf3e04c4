// The fitness rule of the tuning loop (paper IV.B, DESIGN.md section 5):
// train at most R epochs; after each, if validation accuracy moved by less
// than pi since the previous epoch, stop and return
//   fit = accuracy + 1 / (1 + loss);
// a run that never settles within R epochs gets `unsettledFitness` (0).

export interface FitnessRuleOptions {
  /** R: the most epochs a candidate may train. */
  maxEpochs: number;
  /** pi: the accuracy bound that counts as settled. */
  pi: number;
  /** Fitness of a run that never settles (the paper: 0). */
  unsettledFitness: number;
}

export type EpochVerdict = "continue" | "converged" | "unsettled";

export function fitnessOf(accuracy: number, loss: number): number {
  return accuracy + 1 / (1 + loss);
}

export class FitnessRule {
  private previous: number | undefined;
  private epochs = 0;

  constructor(readonly options: FitnessRuleOptions) {}

  /** Records one epoch's validation accuracy; the first epoch has nothing to compare with. */
  observe(accuracy: number): EpochVerdict {
    this.epochs++;
    const settled = this.previous !== undefined && Math.abs(accuracy - this.previous) < this.options.pi;
    this.previous = accuracy;
    if (settled) return "converged";
    return this.epochs >= this.options.maxEpochs ? "unsettled" : "continue";
  }

  fitness(verdict: EpochVerdict, accuracy: number, loss: number): number {
    return verdict === "converged" ? fitnessOf(accuracy, loss) : this.options.unsettledFitness;
  }
}
