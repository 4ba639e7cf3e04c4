import { validateChromosome } from "../chromosome/validate.js";
import { makeIndividual, type Individual } from "../operators/individual.js";
import { sampleChromosome } from "../operators/sample.js";
import type { BreedContext } from "./types.js";

/** Draws per wanted chromosome before accepting that the space is exhausted. */
const FRESH_TRIES = 50;

/** GeneratePopulation(): the configured seeds first, then distinct random ones. */
export function initialPopulation(ctx: BreedContext): Individual[] {
  const seeds = ctx.settings.initial.map((json) => makeIndividual(ctx.space, validateChromosome(ctx.space, json)));
  const taken = new Set(seeds.map((s) => s.hash));
  return [...seeds, ...sampleFresh(ctx, ctx.settings.populationSize - seeds.length, taken)];
}

/**
 * Up to `count` random chromosomes that are neither known in this run nor
 * in `taken`; fewer when the space (nearly) runs out.
 */
export function sampleFresh(ctx: BreedContext, count: number, taken: Set<string> = new Set()): Individual[] {
  const out: Individual[] = [];
  for (let tries = 0; out.length < count && tries < count * FRESH_TRIES; tries++) {
    const ind = makeIndividual(ctx.space, sampleChromosome(ctx.space, ctx.rng));
    if (taken.has(ind.hash) || ctx.isKnown(ind.hash)) continue;
    taken.add(ind.hash);
    out.push(ind);
  }
  return out;
}
