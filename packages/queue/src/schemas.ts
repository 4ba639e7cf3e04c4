// The wire contract between the coordinator and the workers. Both sides parse
// with these schemas, so a version skew fails loudly at the boundary instead
// of training the wrong thing.
import { z } from "zod";

const chromosome = z.record(z.string(), z.unknown());

export const fitnessJobPayload = z.object({
  campaignId: z.uuid(),
  candidateId: z.uuid(),
  /** Canonical chromosome hash; with campaignId it is the job id. */
  hash: z.string().min(1),
  chromosome,
  dataset: z.object({
    id: z.uuid(),
    contentHash: z.string().min(1),
    /** Artifact location a worker can read or fetch. */
    location: z.string().min(1),
  }),
  /** The fitness rule (see @drnn/model's train/fitness.ts); the coordinator fills every field from the campaign. */
  training: z.object({
    policy: z.enum(["patience", "paper"]),
    maxEpochs: z.int().min(1),
    /** patience: least improvement of fit that counts; paper: accuracy change that counts as settled. */
    pi: z.number().min(0),
    patience: z.int().min(1),
    /** paper: fitness of a run that never settles within maxEpochs (the paper: 0). */
    unsettledFitness: z.number().default(0),
    /** Successive halving across the campaign's candidates; null: none. */
    pruning: z.object({ eta: z.int().min(2), minEpochs: z.int().min(1) }).nullable().default(null),
    /** Training samples per epoch and validation samples (null: all). */
    trainSamples: z.int().min(1).nullish(),
    validationSamples: z.int().min(1).nullish(),
    seed: z.int(),
  }),
});
export type FitnessJobPayload = z.infer<typeof fitnessJobPayload>;

export const fitnessProgress = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("started"),
    workerId: z.string(),
    backend: z.string(),
    device: z.string(),
  }),
  z.object({
    kind: z.literal("epoch"),
    epoch: z.int().min(1),
    trainLoss: z.number(),
    valLoss: z.number(),
    valAccuracy: z.number().min(0).max(1),
    seconds: z.number().min(0),
    samplesPerSecond: z.number().min(0).optional(),
  }),
]);
export type FitnessProgress = z.infer<typeof fitnessProgress>;

/** Why a run scored 0 without crashing: recorded, never thrown. */
export const zeroFitnessReason = z.enum(["nan-loss", "out-of-memory", "unsettled"]);

/** Why training stopped (the model's StopReason less "aborted", which is not a result). */
export const stopReason = z.enum(["converged", "unsettled", "patience", "max-epochs", "pruned", "nan-loss", "out-of-memory"]);
export type StopReasonName = z.infer<typeof stopReason>;

export const fitnessResult = z.object({
  fitness: z.number().min(0),
  accuracy: z.number().min(0).max(1),
  loss: z.number(),
  converged: z.boolean(),
  epochs: z.int().min(0),
  backend: z.string(),
  device: z.string(),
  trainSeconds: z.number().min(0),
  samplesPerSecond: z.number().min(0),
  reason: zeroFitnessReason.nullable().default(null),
  stopReason: stopReason.optional(),
  /** The scored epoch, whose weights were kept. */
  bestEpoch: z.int().min(0).optional(),
  /** The highest pruning rung reached (epochs), when pruning is on. */
  rung: z.int().min(1).nullable().optional(),
  test: z.record(z.string(), z.unknown()).optional(),
  artifact: z.string().optional(),
});
export type FitnessResult = z.infer<typeof fitnessResult>;

/** A retraining job of the online loop: the batch to train on and the live model it feeds. */
export const RetrainJobSchema = z.object({ batchId: z.string(), modelName: z.string() });
export type RetrainJobPayload = z.infer<typeof RetrainJobSchema>;
