// Fitness rules for this package's tests, which cannot reach @drnn/ga's
// TRAINING_DEFAULTS (the model depends on data only).
import type { FitnessRuleOptions } from "../train/fitness.js";

/** Exactly `epochs` epochs: the paper's rule with pi 0 never settles. */
export function fixedEpochs(epochs: number): FitnessRuleOptions {
  return { policy: "paper", maxEpochs: epochs, pi: 0, patience: 1, unsettledFitness: 0 };
}

export function patienceRule(overrides: Partial<FitnessRuleOptions> = {}): FitnessRuleOptions {
  return { policy: "patience", maxEpochs: 3, pi: 0.01, patience: 2, unsettledFitness: 0, ...overrides };
}
