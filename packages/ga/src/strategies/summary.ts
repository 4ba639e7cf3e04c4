import type { Individual } from "../operators/individual.js";
import type { GenerationSummary } from "./types.js";

/** best/mean/worst over the evaluated slots; null when none was evaluated. */
export function summarizeGeneration(
  generation: number,
  population: readonly Individual[],
  counts: { newEvaluations: number; evaluations: number; bestSoFar: number | null },
): GenerationSummary {
  const fits = population.flatMap((p) => (p.fitness === null ? [] : [p.fitness]));
  const none = fits.length === 0;
  return {
    generation,
    size: population.length,
    evaluated: fits.length,
    newEvaluations: counts.newEvaluations,
    evaluations: counts.evaluations,
    best: none ? null : Math.max(...fits),
    mean: none ? null : fits.reduce((a, b) => a + b, 0) / fits.length,
    worst: none ? null : Math.min(...fits),
    bestSoFar: counts.bestSoFar,
  };
}
