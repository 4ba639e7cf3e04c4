// GA settings as a validated JSON document: the dashboard's launch form and
// the campaign row (gaSettings) hold exactly this.
import { DrnnError } from "@drnn/contract";
import { STRATEGY_NAMES } from "@drnn/contract";
import { z } from "zod";
import { CAMPAIGN_DEFAULTS } from "../tuning-defaults.js";

export { STRATEGY_NAMES, type StrategyName } from "@drnn/contract";

/** Campaign seeds are stored in a PostgreSQL bigint. */
export const MAX_SEED = 2n ** 63n - 1n;

/**
 * Upper bounds on every setting: the coordinator runs the engine on an event
 * loop it may share with the API (`drnn api`), so no setting may make one
 * generation's work unbounded (a tournament of 2e9 froze the API for minutes).
 */
export const GA_LIMITS = {
  populationSize: 10_000,
  generations: 100_000,
  maxEvaluations: 1_000_000,
  tournamentSize: 64,
  noveltyRetries: 100,
  maxIdleGenerations: 10_000,
} as const;

export const GaSettingsSchema = z
  .object({
    strategy: z.enum(STRATEGY_NAMES),
    /** Campaign seed; a string carries seeds beyond 2^53 (e.g. a BigInt column). */
    seed: z.union([z.int(), z.string().regex(/^-?\d{1,20}$/, "an integer")]).refine((s) => BigInt(s) >= 0n && BigInt(s) <= MAX_SEED, "a seed from 0 to 2^63 - 1"),
    populationSize: z.int().min(2).max(GA_LIMITS.populationSize).default(CAMPAIGN_DEFAULTS.populationSize),
    /** N: generations bred after the initial population (random: extra batches). */
    generations: z.int().min(0).max(GA_LIMITS.generations).default(CAMPAIGN_DEFAULTS.generations),
    /** Budget: distinct fitness evaluations; null leaves only N as the limit. */
    maxEvaluations: z.int().min(1).max(GA_LIMITS.maxEvaluations).nullable().default(null),
    /** p_c: chance a pair is crossed over. */
    crossoverRate: z.number().min(0).max(1).default(0.8),
    /** p_m: chance an individual is mutated (paper's r < p_m, DEAP's mutpb). */
    mutationRate: z.number().min(0).max(1).default(0.3),
    /** Within a mutation, each active gene changes with this probability. */
    geneMutationRate: z.number().min(0).max(1).default(0.2),
    crossover: z.enum(["uniform", "one-point"]).default("uniform"),
    tournamentSize: z.int().min(1).max(GA_LIMITS.tournamentSize).default(3),
    eliteCount: z.int().min(0).default(1),
    /** elitist: re-mutate a child that repeats a known chromosome up to this often. */
    noveltyRetries: z.int().min(0).max(GA_LIMITS.noveltyRetries).default(3),
    /** Stop ("exhausted") after this many generations in a row with nothing new to evaluate. */
    maxIdleGenerations: z.int().min(1).max(GA_LIMITS.maxIdleGenerations).default(50),
    /** Chromosomes placed first in the initial population (e.g. the paper's defaults). */
    initial: z.array(z.record(z.string(), z.unknown())).default([]),
  })
  .strict()
  .refine((s) => s.eliteCount < s.populationSize, {
    path: ["eliteCount"],
    message: "eliteCount must be below populationSize",
  })
  .refine((s) => s.initial.length <= s.populationSize, {
    path: ["initial"],
    message: "more initial chromosomes than populationSize",
  });

export type GaSettingsInput = z.input<typeof GaSettingsSchema>;
export type GaSettings = z.output<typeof GaSettingsSchema>;

export class InvalidGaSettingsError extends DrnnError {
  override readonly name = "InvalidGaSettingsError";
  readonly code = "INVALID_GA_SETTINGS" as const;
  constructor(readonly issues: readonly { path: string; message: string }[]) {
    super(`invalid GA settings: ${issues.map((i) => `${i.path || "(settings)"}: ${i.message}`).join("; ")}`);
  }
}

export function parseGaSettings(json: unknown): GaSettings {
  const result = GaSettingsSchema.safeParse(json);
  if (result.success) return result.data;
  throw new InvalidGaSettingsError(
    result.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })),
  );
}
