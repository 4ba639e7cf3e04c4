// Finished campaigns written straight through the repositories, for the pages
// that judge many trials (parallel coordinates at 1,000 candidates, the
// comparison): genes sampled from the CPU search space with the seeded Rng,
// a fitness that depends on two genes plus noise (so the plots have a shape
// to show), training seconds that grow with the layers.
import { Rng } from "@drnn/contract";
import { chromosomeHash, cpuSearchSpace, sampleChromosome } from "@drnn/ga";
import type { Repositories } from "@drnn/db";

export interface SeededCampaign {
  id: string;
  best: number;
  /** The fittest of the candidates given per-epoch rows (every tenth has them: writing 6,000 rows would slow the test). */
  withCurve: string;
}

/** Test-split figures that follow the fitness (seed data for the pages, not a model's measurement). */
const testMetrics = (f: number) => ({ split: "test", samples: 149, sessions: 40, accuracy: f, hit: { 1: f * 0.9, 5: Math.min(1, f * 1.3), 10: Math.min(1, f * 1.4), 20: Math.min(1, f * 1.5) }, mrr20: f * 1.05, pathCompression: 1.1, sessionAccuracy: f * 0.5, reachable: 0.9 });

export async function seedFinishedCampaign(repos: Repositories, o: { name: string; datasetId: string; candidates: number; seed: number; lift?: number }): Promise<SeededCampaign> {
  const space = cpuSearchSpace();
  const rng = Rng.fromSeed(o.seed);
  const campaign = await repos.campaigns.create({ name: o.name, datasetId: o.datasetId, strategy: "elitist", searchSpace: space, gaSettings: {}, seed: BigInt(o.seed), budget: o.candidates });
  await repos.campaigns.start(campaign.id);
  await repos.workers.register({ id: "seeded-worker", hostname: "localhost", backend: "simulated", device: "cpu", concurrency: 1 });
  let best = -Infinity;
  let withCurve = { id: "", fitness: -Infinity };
  const hashes = new Set<string>();
  while (hashes.size < o.candidates) {
    const chromosome = sampleChromosome(space, rng);
    const hash = chromosomeHash(space, chromosome);
    if (hashes.has(hash)) continue;
    hashes.add(hash);
    const c = await repos.candidates.create({ campaignId: campaign.id, chromosome, hash });
    await repos.candidates.start(c.id, { workerId: "seeded-worker", backend: "simulated", device: "cpu" });
    const l = Number(chromosome["l"]);
    const lr = Number(chromosome["learningRate"]);
    const fitness = Math.max(0, Math.min(1, 0.25 + (o.lift ?? 0) + 0.06 * l - 0.08 * Math.abs(Math.log10(lr) + 1.5) + rng.normal(0, 0.03)));
    best = Math.max(best, fitness);
    const epochs = 3 + l;
    if (hashes.size % 10 === 1) {
      for (let e = 1; e <= epochs; e++) {
        const acc = fitness * (1 - Math.exp(-e / 1.5));
        await repos.epochs.record(c.id, { epoch: e, trainLoss: 2.2 - acc - 0.05 * e, valLoss: 2.2 - acc, valAccuracy: acc, seconds: 5 * l / epochs, samplesPerSec: 900 + rng.uniform(0, 200) });
      }
      if (fitness > withCurve.fitness) withCurve = { id: c.id, fitness };
    }
    const stopReason = l % 2 ? "patience" : "converged";
    await repos.candidates.complete(c.id, { fitness, accuracy: fitness, loss: 2 - fitness, converged: stopReason === "converged", epochs, bestEpoch: epochs - 1, stopReason, trainSeconds: 5 * l + rng.uniform(0, 2), testMetrics: testMetrics(fitness) });
  }
  await repos.campaigns.complete(campaign.id);
  return { id: campaign.id, best, withCurve: withCurve.id };
}
