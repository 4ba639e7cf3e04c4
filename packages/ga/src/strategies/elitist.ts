// A steadier GA than Algorithm 2: the best `eliteCount` survive unchanged,
// the rest are bred from tournament winners with the same crossover and
// mutation (DEAP's varAnd). A child repeating a chromosome already known is
// mutated again, so the evaluation budget goes to new chromosomes.
import { crossover } from "../operators/crossover.js";
import type { Individual } from "../operators/individual.js";
import { mutate } from "../operators/mutate.js";
import { selectBest, selectTournament } from "../operators/select.js";
import { initialPopulation } from "./population.js";
import type { BreedContext, Strategy } from "./types.js";

export const elitistStrategy: Strategy = {
  name: "elitist",
  initial: initialPopulation,
  next(ctx: BreedContext, population: readonly Individual[]): Individual[] {
    const { settings, rng } = ctx;
    const elite = selectBest(population, settings.eliteCount);
    const parents = selectTournament(population, settings.populationSize - elite.length, settings.tournamentSize, rng);
    const taken = new Set(elite.map((e) => e.hash));
    const offspring = vary(ctx, parents).map((child) => makeNovel(ctx, child, taken));
    return [...elite, ...offspring];
  },
};

/** DEAP varAnd: crossover neighbours with p_c, then mutate each with p_m. */
function vary(ctx: BreedContext, parents: readonly Individual[]): Individual[] {
  const { space, settings, rng } = ctx;
  const out = parents.slice();
  for (let i = 1; i < out.length; i += 2) {
    if (rng.bernoulli(settings.crossoverRate)) {
      [out[i - 1], out[i]] = crossover(settings.crossover, space, out[i - 1] as Individual, out[i] as Individual, rng);
    }
  }
  return out.map((ind) =>
    rng.bernoulli(settings.mutationRate) ? mutate(space, ind, settings.geneMutationRate, rng, { atLeastOne: true }) : ind,
  );
}

function makeNovel(ctx: BreedContext, child: Individual, taken: Set<string>): Individual {
  let current = child;
  for (let i = 0; i < ctx.settings.noveltyRetries && isRepeat(ctx, current, taken); i++) {
    current = mutate(ctx.space, current, ctx.settings.geneMutationRate, ctx.rng, { atLeastOne: true });
  }
  taken.add(current.hash);
  return current;
}

function isRepeat(ctx: BreedContext, ind: Individual, taken: ReadonlySet<string>): boolean {
  return taken.has(ind.hash) || ctx.isKnown(ind.hash);
}
