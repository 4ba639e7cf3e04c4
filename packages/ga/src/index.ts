// @drnn/ga: the pure, seeded genetic-algorithm library (search space,
// chromosome, operators, strategies). Depends on nothing of ours.

export { Rng, InvalidRngStateError, type RngState } from "./rng/rng.js";
export { sha256Hex } from "./hash/sha256.js";
export { canonicalJson, type JsonValue } from "./hash/canonical-json.js";

export {
  SearchSpaceSchema,
  GeneSpecSchema,
  ConditionSchema,
  consistencyIssues,
  type SearchSpace,
  type GeneSpec,
  type GeneType,
  type Condition,
  type IntGeneSpec,
  type FloatGeneSpec,
  type CategoricalGeneSpec,
  type BoolGeneSpec,
  type IntListGeneSpec,
} from "./search-space/schema.js";
export { parseSearchSpace, InvalidSearchSpaceError, type SearchSpaceIssue } from "./search-space/parse.js";
export {
  geneByName,
  geneNames,
  isGeneActive,
  intBounds,
  numericBounds,
  listLength,
  UnknownGeneError,
  type Bounds,
} from "./search-space/genes.js";
export { cpuSearchSpace, paperSearchSpace, defaultSearchSpace } from "./search-space/builtin.js";

export type { Chromosome, GeneValue } from "./chromosome/types.js";
export { InvalidChromosomeError, formatIssue, type ChromosomeIssue } from "./chromosome/errors.js";
export { validateChromosome, checkChromosome, defaultValue } from "./chromosome/validate.js";
export { canonicalChromosome, chromosomeHash, sameModel } from "./chromosome/canonical.js";

export { makeIndividual, deriveIndividual, isEvaluated, fitnessKey, type Individual } from "./operators/individual.js";
export { sampleChromosome, sampleGene } from "./operators/sample.js";
export { mutate, mutateGene, type MutateOptions } from "./operators/mutate.js";
export { crossover, crossoverUniform, crossoverOnePoint, type CrossoverKind } from "./operators/crossover.js";
export { selectTournament, selectBest, selectRandom } from "./operators/select.js";
export { repairStructure, resizeList, type ListFiller } from "./operators/structure.js";

export {
  GaSettingsSchema,
  parseGaSettings,
  InvalidGaSettingsError,
  STRATEGY_NAMES,
  MAX_SEED,
  GA_LIMITS,
  type GaSettings,
  type GaSettingsInput,
  type StrategyName,
} from "./strategies/settings.js";
export type {
  Strategy,
  BreedContext,
  Candidate,
  GenerationSummary,
  BestSoFar,
  EnginePhase,
  DoneReason,
} from "./strategies/types.js";
export { strategyFor } from "./strategies/registry.js";
export { paperStrategy } from "./strategies/paper.js";
export { elitistStrategy } from "./strategies/elitist.js";
export { randomStrategy } from "./strategies/random.js";
export { initialPopulation, sampleFresh } from "./strategies/population.js";
export { GaEngine, createEngine, restoreEngine, UnknownCandidateError, InvalidFitnessError } from "./strategies/engine.js";
export {
  EngineSnapshotSchema,
  parseSnapshot,
  InvalidSnapshotError,
  SNAPSHOT_FORMAT,
  type EngineSnapshot,
} from "./strategies/snapshot.js";
export { summarizeGeneration } from "./strategies/summary.js";
export { runToCompletion, runToCompletionAsync, replayEngine, type FitnessFunction } from "./strategies/run.js";
export { oneMaxSpace, oneMax, sphereSpace, sphere, distanceFitness } from "./benchmarks/functions.js";
export {
  FITNESS_POLICIES,
  TRAINING_DEFAULTS,
  PRUNING_DEFAULTS,
  CAMPAIGN_DEFAULTS,
  PruningSettingsSchema,
  TrainingSettingsSchema,
  defaultBudget,
  rungEpochs,
  type FitnessPolicy,
  type PruningSettings,
  type TrainingSettings,
  type TrainingSettingsInput,
} from "./tuning-defaults.js";
