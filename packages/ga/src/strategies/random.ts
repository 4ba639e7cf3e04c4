// Random search, the yardstick: every generation is a batch of fresh random
// chromosomes never evaluated before, so it spends the same budget as the GAs.
import type { Individual } from "../operators/individual.js";
import { initialPopulation, sampleFresh } from "./population.js";
import type { BreedContext, Strategy } from "./types.js";

export const randomStrategy: Strategy = {
  name: "random",
  initial: initialPopulation,
  next(ctx: BreedContext, _population: readonly Individual[]): Individual[] {
    return sampleFresh(ctx, ctx.settings.populationSize);
  },
};
