// The one home of the tuning defaults: how each candidate is trained (the
// fitness policy, R, pi, patience), pruning across candidates, and the
// campaign's size and budget. The CLI, the API, the dashboard's launch form,
// the coordinator and the workers all read them from here, so no entry point
// drifts. (Here because @drnn/ga is the lowest package all of those already
// depend on; the policy behaviour itself lives in @drnn/model's fitness.ts.)
import { z } from "zod";

/** Fitness policies (see @drnn/model's train/fitness.ts): the default first. */
export const FITNESS_POLICIES = ["patience", "paper"] as const;
export type FitnessPolicy = (typeof FITNESS_POLICIES)[number];

export const TRAINING_DEFAULTS = {
  policy: "patience",
  /** R: the hard cap on epochs per candidate; 9 is the top rung of the default pruning ladder 1, 3, 9. */
  maxEpochs: 9,
  /** pi: patience: the least improvement of fit that counts; paper: the accuracy change that counts as settled. */
  pi: 0.01,
  /** patience: epochs without such an improvement before a candidate stops. */
  patience: 2,
  /** paper: the fitness of a run that never settles within R (the paper: 0). */
  unsettledFitness: 0,
} as const satisfies { policy: FitnessPolicy; maxEpochs: number; pi: number; patience: number; unsettledFitness: number };

/** Asynchronous successive halving: rungs at minEpochs * eta^k epochs; the top 1/eta at a rung go on. */
export const PRUNING_DEFAULTS = { eta: 3, minEpochs: 1 } as const;

export const PruningSettingsSchema = z.strictObject({
  eta: z.int().min(2).max(100).default(PRUNING_DEFAULTS.eta),
  minEpochs: z.int().min(1).max(10_000).default(PRUNING_DEFAULTS.minEpochs),
});
export type PruningSettings = z.output<typeof PruningSettingsSchema>;

export const TrainingSettingsSchema = z.strictObject({
  policy: z.enum(FITNESS_POLICIES).default(TRAINING_DEFAULTS.policy),
  maxEpochs: z.int().min(1).max(10_000).default(TRAINING_DEFAULTS.maxEpochs),
  pi: z.number().min(0).max(1).default(TRAINING_DEFAULTS.pi),
  patience: z.int().min(1).max(10_000).default(TRAINING_DEFAULTS.patience),
  unsettledFitness: z.number().min(0).max(1_000).default(TRAINING_DEFAULTS.unsettledFitness),
  /** Pruning across candidates; null: every candidate trains until its own rule stops it. */
  pruning: PruningSettingsSchema.nullable().default(null),
  /** Each epoch trains on a seeded random subset of this many training samples (null: all): cheaper evaluations on large logs. */
  trainSamples: z.int().min(1).nullable().default(null),
  /** Validation (the fitness) scores this many evenly spread samples (null: all). */
  validationSamples: z.int().min(1).nullable().default(null),
});
export type TrainingSettings = z.output<typeof TrainingSettingsSchema>;
export type TrainingSettingsInput = z.input<typeof TrainingSettingsSchema>;

export const CAMPAIGN_DEFAULTS = { strategy: "elitist", populationSize: 8, generations: 4, seed: 1 } as const;

/**
 * The default budget: the initial population plus G bred generations
 * (GaSettings.generations counts those after generation 0), so P x (G + 1);
 * P x G cut the last generation off.
 */
export function defaultBudget(populationSize: number, generations: number): number {
  return populationSize * (generations + 1);
}

/** The epochs at which a pruned campaign's candidates are compared: below R, since R ends the run anyway. */
export function rungEpochs(pruning: PruningSettings, maxEpochs: number): number[] {
  const rungs: number[] = [];
  for (let e = pruning.minEpochs; e < maxEpochs; e *= pruning.eta) rungs.push(e);
  return rungs;
}
