// Algorithm 2 (GenTune) of the paper, one loop iteration per generation:
// shuffle, pair neighbours, crossover with p_c, mutate each partner with
// p_m, and let the children replace their parents. There is no selection:
// the algorithm only tracks the best chromosome it has seen, which the
// engine does. Changed chromosomes come back invalid and are re-evaluated
// (lines 17-22); unchanged ones keep their fitness.
import { crossover } from "../operators/crossover.js";
import type { Individual } from "../operators/individual.js";
import { mutate } from "../operators/mutate.js";
import { initialPopulation } from "./population.js";
import type { BreedContext, Strategy } from "./types.js";

export const paperStrategy: Strategy = {
  name: "paper",
  initial: initialPopulation,
  next(ctx: BreedContext, population: readonly Individual[]): Individual[] {
    const { space, settings, rng } = ctx;
    const next = rng.shuffle(population);
    for (let i = 0; i + 1 < next.length; i += 2) {
      // Line 10: r1, r2, r3 are drawn before any operator consumes randomness.
      const r1 = rng.float();
      const r2 = rng.float();
      const r3 = rng.float();
      let c1 = next[i] as Individual;
      let c2 = next[i + 1] as Individual;
      if (r1 < settings.crossoverRate) [c1, c2] = crossover(settings.crossover, space, c1, c2, rng);
      if (r2 < settings.mutationRate) c1 = mutate(space, c1, settings.geneMutationRate, rng, { atLeastOne: true });
      if (r3 < settings.mutationRate) c2 = mutate(space, c2, settings.geneMutationRate, rng, { atLeastOne: true });
      next[i] = c1;
      next[i + 1] = c2;
    }
    return next;
  },
};
