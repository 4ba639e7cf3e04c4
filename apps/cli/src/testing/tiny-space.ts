// The CPU search space narrowed to tiny networks (one small layer, no FNN
// branch, Adam), so the tests that run the real trainer finish in seconds.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { cpuSearchSpace, type GeneSpec, type SearchSpace } from "@drnn/ga";

export function tinySearchSpace(): SearchSpace {
  const space = cpuSearchSpace();
  const narrow: Record<string, Partial<GeneSpec>> = {
    w: { search: { min: 4, max: 4 } },
    l: { search: { min: 1, max: 1 } },
    h: { search: { min: 1, max: 1 } },
    neurons: { search: { min: 8, max: 16 } },
    batchSize: { search: { min: 64, max: 128 } },
    fnnLayers: { search: { min: 0, max: 0 } },
    optimizer: { choices: ["adam"], default: "adam" } as Partial<GeneSpec>,
    learningRate: { search: { min: 0.01, max: 0.05 } },
  };
  space.genes = space.genes.map((g) => ({ ...g, ...(narrow[g.name] ?? {}) }) as GeneSpec);
  return space;
}

/** The tiny space written to `dir`/tiny-space.json, for `--search-space`; the file's path. */
export function writeTinySpace(dir: string): string {
  const file = join(dir, "tiny-space.json");
  writeFileSync(file, JSON.stringify(tinySearchSpace()));
  return file;
}
