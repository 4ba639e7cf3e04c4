// Selections return references to the chosen individuals (they are
// immutable values), possibly the same one several times, as in DEAP.
import type { Rng } from "../rng/rng.js";
import { fitnessKey, type Individual } from "./individual.js";

/** k tournaments of `tournamentSize` aspirants drawn with replacement. */
export function selectTournament(
  population: readonly Individual[],
  k: number,
  tournamentSize: number,
  rng: Rng,
): Individual[] {
  if (population.length === 0) return [];
  return Array.from({ length: k }, () => {
    let winner = rng.pick(population);
    for (let i = 1; i < tournamentSize; i++) {
      const rival = rng.pick(population);
      if (fitnessKey(rival) > fitnessKey(winner)) winner = rival;
    }
    return winner;
  });
}

/** The k fittest; ties keep population order so the result is deterministic. */
export function selectBest(population: readonly Individual[], k: number): Individual[] {
  return population
    .map((ind, i) => ({ ind, i }))
    .sort((p, q) => fitnessKey(q.ind) - fitnessKey(p.ind) || p.i - q.i)
    .slice(0, k)
    .map((p) => p.ind);
}

/** k uniform picks with replacement. */
export function selectRandom(population: readonly Individual[], k: number, rng: Rng): Individual[] {
  if (population.length === 0) return [];
  return Array.from({ length: k }, () => rng.pick(population));
}
