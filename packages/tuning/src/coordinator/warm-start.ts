// Warm start: a campaign's initial population seeded with given chromosomes
// or with another campaign's best. Seeds are validated against the new
// campaign's search space at launch, so a seed that does not fit fails there.
import { chromosomeHash, validateChromosome, type SearchSpace } from "@drnn/ga";
import type { Repositories } from "@drnn/db";

/** The campaign's completed candidates, best first, at most `count`. */
export async function bestChromosomes(repos: Repositories, campaignId: string, count: number): Promise<Record<string, unknown>[]> {
  await repos.campaigns.get(campaignId);
  const done = (await repos.candidates.listByCampaign(campaignId)).filter((c) => c.state === "completed" && (c.fitness ?? 0) > 0);
  done.sort((a, b) => (b.fitness ?? 0) - (a.fitness ?? 0) || a.hash.localeCompare(b.hash));
  return done.slice(0, count).map((c) => c.chromosome as Record<string, unknown>);
}

export interface WarmStart {
  /** Chromosomes placed first in the initial population. */
  initial?: readonly unknown[];
  /** A campaign whose best chromosomes follow them. */
  fromCampaign?: string;
}

/** The seeds in order, validated, without duplicates, at most `populationSize`. */
export async function seedsFor(repos: Repositories, space: SearchSpace, warm: WarmStart, populationSize: number): Promise<Record<string, unknown>[]> {
  const given = [...(warm.initial ?? [])];
  const inherited = warm.fromCampaign === undefined ? [] : await bestChromosomes(repos, warm.fromCampaign, populationSize);
  const seen = new Set<string>();
  const out: Record<string, unknown>[] = [];
  for (const raw of [...given, ...inherited]) {
    const chromosome = validateChromosome(space, raw) as Record<string, unknown>;
    const key = chromosomeHash(space, chromosome);
    if (seen.has(key) || out.length >= populationSize) continue;
    seen.add(key);
    out.push(chromosome);
  }
  return out;
}
