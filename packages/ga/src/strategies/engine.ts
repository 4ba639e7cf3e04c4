// The ask/tell engine. Strategies breed; the engine decides what needs
// evaluating and keeps the books: a fitness cache keyed by canonical hash
// (nothing is evaluated twice in a run), the budget, the best so far and a
// summary per generation. Randomness is consumed only while breeding, never
// while telling, so the order in which results arrive cannot change what is
// asked next: same seed + same results = same chromosomes.
import { DrnnError } from "@drnn/contract";
import type { Chromosome } from "../chromosome/types.js";
import type { Individual } from "../operators/individual.js";
import { Rng } from "../rng/rng.js";
import { parseSearchSpace } from "../search-space/parse.js";
import type { SearchSpace } from "../search-space/schema.js";
import { strategyFor } from "./registry.js";
import { parseGaSettings, type GaSettings, type GaSettingsInput } from "./settings.js";
import { parseSnapshot, SNAPSHOT_FORMAT, type EngineSnapshot } from "./snapshot.js";
import { summarizeGeneration } from "./summary.js";
import type { BestSoFar, BreedContext, Candidate, DoneReason, EnginePhase, GenerationSummary, Strategy } from "./types.js";

export class UnknownCandidateError extends DrnnError {
  override readonly name = "UnknownCandidateError";
  readonly code = "UNKNOWN_CANDIDATE" as const;
}

export class InvalidFitnessError extends DrnnError {
  override readonly name = "InvalidFitnessError";
  readonly code = "INVALID_FITNESS" as const;
}

interface EngineState {
  generation: number;
  phase: EnginePhase;
  doneReason: DoneReason | null;
  population: Individual[];
  pending: string[];
  known: Map<string, number>;
  evaluations: number;
  generationStartEvaluations: number;
  idleGenerations: number;
  best: BestSoFar | null;
  history: GenerationSummary[];
}

export class GaEngine {
  private readonly strategy: Strategy;

  private constructor(
    readonly space: SearchSpace,
    readonly settings: GaSettings,
    private readonly rng: Rng,
    private readonly state: EngineState,
  ) {
    this.strategy = strategyFor(settings.strategy);
  }

  /** A new run: builds generation 0 and asks for its evaluation. */
  static create(space: unknown, settings: GaSettingsInput): GaEngine {
    const parsed = parseGaSettings(settings);
    const engine = new GaEngine(parseSearchSpace(space), parsed, Rng.fromSeed(parsed.seed), emptyState());
    engine.beginGeneration(engine.strategy.initial(engine.context()));
    engine.advance();
    return engine;
  }

  /** Continues a run from `snapshot()` output (after JSON round trips too). */
  static restore(snapshot: unknown): GaEngine {
    const snap = parseSnapshot(snapshot);
    return new GaEngine(snap.space, snap.settings, Rng.fromState(snap.rng), stateFromSnapshot(snap));
  }

  get done(): boolean {
    return this.state.phase === "done";
  }
  get doneReason(): DoneReason | null {
    return this.state.doneReason;
  }
  get generation(): number {
    return this.state.generation;
  }
  get evaluations(): number {
    return this.state.evaluations;
  }
  get best(): BestSoFar | null {
    return this.state.best;
  }
  get history(): readonly GenerationSummary[] {
    return this.state.history;
  }
  get population(): readonly Individual[] {
    return this.state.population;
  }

  fitnessOf(hash: string): number | undefined {
    return this.state.known.get(hash);
  }

  /**
   * The chromosomes awaiting evaluation, each once. Idempotent: asking again
   * before telling returns the same (remaining) candidates; empty when done.
   */
  ask(): Candidate[] {
    return this.state.pending.map((hash) => ({
      hash,
      genes: structuredClone(this.memberByHash(hash).genes),
      generation: this.state.generation,
    }));
  }

  /**
   * Records one result. Returns false for a repeated tell of a known hash
   * (a re-delivered job result), so callers can stay at-least-once.
   */
  tell(hash: string, fitness: number): boolean {
    if (!Number.isFinite(fitness)) throw new InvalidFitnessError(`fitness for ${hash} must be finite, got ${fitness}`);
    const at = this.state.pending.indexOf(hash);
    if (at < 0) {
      if (this.state.known.has(hash)) return false;
      throw new UnknownCandidateError(`${hash} was not asked for in this run`);
    }
    this.state.pending.splice(at, 1);
    this.state.known.set(hash, fitness);
    this.state.evaluations++;
    this.state.population = this.state.population.map((p) => (p.hash === hash ? { ...p, fitness } : p));
    this.considerBest(this.memberByHash(hash), fitness);
    this.advance();
    return true;
  }

  snapshot(): EngineSnapshot {
    const s = this.state;
    return structuredClone({
      format: SNAPSHOT_FORMAT,
      space: this.space,
      settings: this.settings,
      rng: this.rng.getState(),
      generation: s.generation,
      phase: s.phase,
      doneReason: s.doneReason,
      population: s.population,
      pending: s.pending,
      known: Object.fromEntries(s.known),
      evaluations: s.evaluations,
      generationStartEvaluations: s.generationStartEvaluations,
      idleGenerations: s.idleGenerations,
      best: s.best,
      history: s.history,
    }) as EngineSnapshot;
  }

  private context(): BreedContext {
    return { space: this.space, settings: this.settings, rng: this.rng, isKnown: (h) => this.state.known.has(h) };
  }

  /** Closes generations whose evaluations are all in and breeds the next, until something needs evaluating. */
  private advance(): void {
    while (this.state.phase === "evaluating" && this.state.pending.length === 0) {
      this.closeGeneration();
      const reason = this.stopReason();
      if (reason !== null) {
        this.state.phase = "done";
        this.state.doneReason = reason;
        return;
      }
      this.state.generation++;
      this.beginGeneration(this.strategy.next(this.context(), this.state.population));
    }
  }

  /** Fills fitness from the cache and asks only for unknown hashes, within budget. */
  private beginGeneration(population: Individual[]): void {
    const s = this.state;
    s.population = population.map((p) => ({ ...p, fitness: s.known.get(p.hash) ?? null }));
    const unknown = [...new Set(s.population.filter((p) => p.fitness === null).map((p) => p.hash))];
    s.pending = unknown.slice(0, this.budgetLeft());
    s.generationStartEvaluations = s.evaluations;
  }

  private closeGeneration(): void {
    const s = this.state;
    const newEvaluations = s.evaluations - s.generationStartEvaluations;
    s.idleGenerations = newEvaluations === 0 ? s.idleGenerations + 1 : 0;
    s.history.push(
      summarizeGeneration(s.generation, s.population, {
        newEvaluations,
        evaluations: s.evaluations,
        bestSoFar: s.best?.fitness ?? null,
      }),
    );
  }

  private stopReason(): DoneReason | null {
    if (this.budgetLeft() <= 0) return "budget";
    if (this.state.generation >= this.settings.generations) return "generations";
    if (this.state.idleGenerations >= this.settings.maxIdleGenerations) return "exhausted";
    return null;
  }

  private budgetLeft(): number {
    const max = this.settings.maxEvaluations;
    return max === null ? Number.POSITIVE_INFINITY : max - this.state.evaluations;
  }

  /** Ties go to the smaller hash, so the best never depends on arrival order. */
  private considerBest(member: Individual, fitness: number): void {
    const best = this.state.best;
    if (best === null || fitness > best.fitness || (fitness === best.fitness && member.hash < best.hash)) {
      this.state.best = { hash: member.hash, genes: structuredClone(member.genes), fitness };
    }
  }

  private memberByHash(hash: string): Individual {
    const member = this.state.population.find((p) => p.hash === hash);
    if (!member) throw new UnknownCandidateError(`${hash} is not in the current population`);
    return member;
  }
}

function emptyState(): EngineState {
  return {
    generation: 0,
    phase: "evaluating",
    doneReason: null,
    population: [],
    pending: [],
    known: new Map(),
    evaluations: 0,
    generationStartEvaluations: 0,
    idleGenerations: 0,
    best: null,
    history: [],
  };
}

function stateFromSnapshot(snap: EngineSnapshot): EngineState {
  return {
    generation: snap.generation,
    phase: snap.phase,
    doneReason: snap.doneReason,
    population: snap.population.map((p) => ({ genes: p.genes as Chromosome, hash: p.hash, fitness: p.fitness })),
    pending: snap.pending.slice(),
    known: new Map(Object.entries(snap.known)),
    evaluations: snap.evaluations,
    generationStartEvaluations: snap.generationStartEvaluations,
    idleGenerations: snap.idleGenerations,
    best: snap.best,
    history: snap.history.slice(),
  };
}

export function createEngine(space: unknown, settings: GaSettingsInput): GaEngine {
  return GaEngine.create(space, settings);
}

export function restoreEngine(snapshot: unknown): GaEngine {
  return GaEngine.restore(snapshot);
}
