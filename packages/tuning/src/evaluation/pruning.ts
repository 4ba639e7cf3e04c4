// Asynchronous successive halving across a campaign's candidates (ASHA, Li
// et al. 2020; the rule of Optuna's SuccessiveHalvingPruner). At each rung
// epoch a candidate records its best fit so far in PostgreSQL and goes on
// only if it ranks in the top 1/eta of all candidates that reached the rung
// (itself included); with fewer than eta there, it must be the best of them.
// The verdict is stored with the rung row and the first write wins, so a
// re-run of the candidate after a killed worker replays the same decision.
//
// GA selection and pruned candidates: a pruned candidate's fitness is its
// best fit at its rung, i.e. measured at fewer epochs than a full run, and is
// told to the GA as it is (no penalty, no extrapolation). Why: it was pruned
// only after ranking below the top 1/eta of candidates measured at the same
// epoch count, so its rung fitness already ranks it fairly against its
// cohort; under the default policy fitness never decreases with more epochs
// (best epoch), so it is a lower bound, not a zero, and its genes stay in
// tournaments and crossover instead of being erased as a failure would be.
import type { PruningRungRepository } from "@drnn/db";
import { rungEpochs, type PruningSettings } from "@drnn/ga";

/** Optuna's rule: promote when `fitness` is at least the value ranked floor(n / eta) among the n at the rung. */
export function promotable(fitness: number, competitors: readonly number[], eta: number): boolean {
  const all = [...competitors, fitness].sort((a, b) => b - a);
  const index = Math.max(0, Math.floor(all.length / eta) - 1);
  return fitness >= (all[index] ?? Number.NEGATIVE_INFINITY);
}

export interface RungCheck {
  campaignId: string;
  candidateId: string;
  pruning: PruningSettings;
  maxEpochs: number;
}

/** Where rungs live: PostgreSQL (repos.rungs) in campaigns, memory in `drnn bench search`. */
export type RungStore = Pick<PruningRungRepository, "find" | "competitors" | "recordOnce">;

/** Rungs of one process's runs, with the repository's first-write-wins semantics. */
export class MemoryRungStore implements RungStore {
  private readonly rows = new Map<string, Awaited<ReturnType<RungStore["recordOnce"]>>>();

  find(candidateId: string, rung: number) {
    return Promise.resolve(this.rows.get(`${candidateId}:${rung}`) ?? null);
  }

  competitors(campaignId: string, rung: number, exceptCandidateId: string) {
    return Promise.resolve([...this.rows.values()].filter((r) => r.campaignId === campaignId && r.rung === rung && r.candidateId !== exceptCandidateId).map((r) => r.fitness));
  }

  recordOnce(input: Parameters<RungStore["recordOnce"]>[0]) {
    const key = `${input.candidateId}:${input.rung}`;
    const row = this.rows.get(key) ?? { ...input, createdAt: new Date() };
    this.rows.set(key, row);
    return Promise.resolve(row);
  }
}

export class RungLadder {
  private readonly rungs: Set<number>;
  /** The highest rung this candidate reached so far (null: none). */
  reached: number | null = null;

  constructor(
    private readonly store: RungStore,
    private readonly check: RungCheck,
  ) {
    this.rungs = new Set(rungEpochs(check.pruning, check.maxEpochs));
  }

  /** After epoch `epoch` with best fit `fitness`: true when the candidate should stop here. */
  async shouldStop(epoch: number, fitness: number): Promise<boolean> {
    if (!this.rungs.has(epoch)) return false;
    const { campaignId, candidateId, pruning } = this.check;
    const earlier = await this.store.find(candidateId, epoch);
    const row =
      earlier ??
      (await this.store.recordOnce({
        campaignId,
        candidateId,
        rung: epoch,
        fitness,
        promoted: promotable(fitness, await this.store.competitors(campaignId, epoch, candidateId), pruning.eta),
      }));
    this.reached = epoch;
    return !row.promoted;
  }
}
