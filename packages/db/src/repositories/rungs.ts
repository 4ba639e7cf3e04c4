// Rungs of successive halving (ASHA): each candidate's best fit at each rung
// it reached, with the verdict it got there. Every worker on every node
// reads and writes the same rows, so pruning needs no coordinator state.
// The first write of (candidate, rung) wins: a re-run of a candidate after a
// killed worker reads its old verdict back instead of counting twice.
import type { PruningRung } from "../generated/prisma/client.js";
import type { Db } from "../client.js";

export interface RungInput {
  campaignId: string;
  candidateId: string;
  /** The rung, as its epoch count. */
  rung: number;
  fitness: number;
  promoted: boolean;
}

export class PruningRungRepository {
  constructor(private readonly db: Db) {}

  /** The candidate's row at this rung, if it reached it before. */
  find(candidateId: string, rung: number): Promise<PruningRung | null> {
    return this.db.pruningRung.findUnique({ where: { candidateId_rung: { candidateId, rung } } });
  }

  /** Fitness of the campaign's other candidates at this rung. */
  async competitors(campaignId: string, rung: number, exceptCandidateId: string): Promise<number[]> {
    const rows = await this.db.pruningRung.findMany({ where: { campaignId, rung, candidateId: { not: exceptCandidateId } }, select: { fitness: true } });
    return rows.map((r) => r.fitness);
  }

  /** Writes the row unless one exists; returns the row that stands (the first write's). */
  async recordOnce(input: RungInput): Promise<PruningRung> {
    await this.db.pruningRung.createMany({ data: [input], skipDuplicates: true });
    const row = await this.find(input.candidateId, input.rung);
    if (!row) throw new Error(`rung ${input.rung} of candidate ${input.candidateId} vanished after its write`);
    return row;
  }

  listByCampaign(campaignId: string): Promise<PruningRung[]> {
    return this.db.pruningRung.findMany({ where: { campaignId }, orderBy: [{ rung: "asc" }, { createdAt: "asc" }] });
  }
}
