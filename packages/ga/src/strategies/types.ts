import type { Chromosome } from "../chromosome/types.js";
import type { Individual } from "../operators/individual.js";
import type { Rng } from "../rng/rng.js";
import type { SearchSpace } from "../search-space/schema.js";
import type { GaSettings, StrategyName } from "./settings.js";

/** What a strategy may use while breeding; all randomness comes from rng. */
export interface BreedContext {
  readonly space: SearchSpace;
  readonly settings: GaSettings;
  readonly rng: Rng;
  /** Whether this hash already has a fitness in this run. */
  isKnown(hash: string): boolean;
}

/**
 * A strategy only breeds populations; the engine owns evaluation
 * bookkeeping (cache, budget, best, summaries), so strategies stay small.
 */
export interface Strategy {
  readonly name: StrategyName;
  initial(ctx: BreedContext): Individual[];
  next(ctx: BreedContext, population: readonly Individual[]): Individual[];
}

/** One chromosome the caller must evaluate, then `tell(hash, fitness)`. */
export interface Candidate {
  readonly hash: string;
  readonly genes: Chromosome;
  readonly generation: number;
}

/** Per-generation numbers for charts (fitness over evaluated slots). */
export interface GenerationSummary {
  readonly generation: number;
  readonly size: number;
  readonly evaluated: number;
  /** Evaluations spent on this generation (cache hits are free). */
  readonly newEvaluations: number;
  /** Evaluations spent so far in the run. */
  readonly evaluations: number;
  readonly best: number | null;
  readonly mean: number | null;
  readonly worst: number | null;
  readonly bestSoFar: number | null;
}

export interface BestSoFar {
  readonly hash: string;
  readonly genes: Chromosome;
  readonly fitness: number;
}

export type EnginePhase = "evaluating" | "done";
export type DoneReason = "generations" | "budget" | "exhausted";
