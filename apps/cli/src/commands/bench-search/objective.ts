// The objective every contender of `drnn bench search` optimises: one DRNN
// fitness evaluation, trained by the platform's own training threads
// (DrnnThreadTrainer, exactly what a worker runs), charged in epochs.
import { randomUUID } from "node:crypto";
import { cpuSearchSpace, sha256Hex, type SearchSpace, type TrainingSettings } from "@drnn/ga";
import { fitnessOf } from "@drnn/model";
import { MemoryRungStore, RungLadder, type DrnnThreadTrainer, type EpochDecision } from "@drnn/tuning";

/** The CPU space with narrower layers and batches, so 5 contenders x 5 seeds fit in minutes on 2 cores. */
export function benchSpace(): SearchSpace {
  const space = cpuSearchSpace();
  const narrow: Record<string, { min: number; max: number }> = {
    w: { min: 1, max: 4 },
    l: { min: 1, max: 2 },
    h: { min: 1, max: 2 },
    neurons: { min: 16, max: 128 },
    batchSize: { min: 32, max: 256 },
    fnnNeurons: { min: 16, max: 128 },
  };
  return { ...space, name: "drnn-bench", genes: space.genes.map((g) => (narrow[g.name] && "search" in g ? { ...g, search: narrow[g.name] } : g)) as SearchSpace["genes"] };
}

export interface Evaluation {
  fitness: number;
  epochs: number;
  stopReason: string;
  /** Test hit@1 of the kept model (null when it scored 0). */
  testHit1: number | null;
  chromosome: Record<string, unknown>;
}

export interface ObjectiveContext {
  trainer: DrnnThreadTrainer;
  dataset: { id: string; contentHash: string; location: string };
  training: TrainingSettings;
  /** One line per evaluation. */
  progress?: (line: string) => void;
}

/** One run's view of the objective: its own seed, its own rung store when it prunes. */
export class Objective {
  private readonly runId = randomUUID();
  private readonly rungs = new MemoryRungStore();

  constructor(
    private readonly ctx: ObjectiveContext,
    private readonly seed: number,
  ) {}

  /** Trains `chromosome` for at most `maxEpochs` (the run's remaining budget caps R). */
  async evaluate(chromosome: Record<string, unknown>, maxEpochs: number): Promise<Evaluation> {
    const { training } = this.ctx;
    const candidateId = randomUUID();
    const hash = sha256Hex(JSON.stringify(chromosome));
    const ladder = training.pruning === null ? null : new RungLadder(this.rungs, { campaignId: this.runId, candidateId, pruning: training.pruning, maxEpochs: training.maxEpochs });
    let best = Number.NEGATIVE_INFINITY;
    const result = await this.ctx.trainer.train({
      payload: {
        campaignId: this.runId,
        candidateId,
        hash,
        chromosome,
        dataset: this.ctx.dataset,
        training: { ...training, maxEpochs: Math.min(maxEpochs, training.maxEpochs), seed: parseInt(sha256Hex(`${this.seed}:${hash}`).slice(0, 8), 16) & 0x7fffffff },
      },
      onEpoch: async (e): Promise<EpochDecision> => {
        best = Math.max(best, fitnessOf(e.valAccuracy, e.valLoss));
        return ladder !== null && (await ladder.shouldStop(e.epoch, best)) ? "stop" : "continue";
      },
      signal: new AbortController().signal,
    });
    this.ctx.progress?.(`  ${JSON.stringify(chromosome)}: ${result.epochs} epochs, ${result.stopReason ?? "?"}, fitness ${result.fitness.toFixed(4)}`);
    const hit = (result.test as { hit?: Record<string, number> } | undefined)?.hit?.["1"];
    return { fitness: result.fitness, epochs: result.epochs, stopReason: result.stopReason ?? "unknown", testHit1: hit ?? null, chromosome };
  }
}
