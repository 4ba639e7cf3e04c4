// Small drivers around ask/tell: an in-process loop for tests, benchmarks and
// the demo, and a resume that rebuilds an engine from stored results alone.
import type { Chromosome } from "../chromosome/types.js";
import { GaEngine } from "./engine.js";
import type { GaSettingsInput } from "./settings.js";

export type FitnessFunction = (genes: Chromosome, hash: string) => number;

/** Evaluates synchronously until the engine is done; returns the same engine. */
export function runToCompletion(engine: GaEngine, evaluate: FitnessFunction): GaEngine {
  while (!engine.done) {
    for (const c of engine.ask()) engine.tell(c.hash, evaluate(c.genes, c.hash));
  }
  return engine;
}

export async function runToCompletionAsync(
  engine: GaEngine,
  evaluate: (genes: Chromosome, hash: string) => Promise<number>,
): Promise<GaEngine> {
  while (!engine.done) {
    const batch = engine.ask();
    const fits = await Promise.all(batch.map((c) => evaluate(c.genes, c.hash)));
    batch.forEach((c, i) => engine.tell(c.hash, fits[i] as number));
  }
  return engine;
}

/**
 * Rebuilds a run from its seed and the fitnesses already stored (hash ->
 * fitness), without a snapshot: since same seed + same results = same
 * chromosomes, replaying the known answers lands exactly where the run
 * stopped, with the still-unevaluated candidates pending.
 */
export function replayEngine(
  space: unknown,
  settings: GaSettingsInput,
  results: ReadonlyMap<string, number> | Readonly<Record<string, number>>,
): GaEngine {
  const lookup = results instanceof Map ? results : new Map(Object.entries(results));
  const engine = GaEngine.create(space, settings);
  for (;;) {
    const answerable = engine.ask().filter((c) => lookup.has(c.hash));
    if (answerable.length === 0 || engine.done) return engine;
    for (const c of answerable) engine.tell(c.hash, lookup.get(c.hash) as number);
  }
}
