// The two spaces shipped with the platform. Their genes, validity ranges and
// defaults are the contract's gene table (@drnn/contract, DESIGN.md section 4),
// so a chromosome's JSON means the same thing whichever space validates it;
// they differ only in the search ranges the GA explores. Functions return
// fresh copies, so a caller editing its space can never change anyone else's.
import { DRNN_GENES, type GeneName } from "@drnn/contract";
import { GeneSpecSchema, type GeneSpec, type SearchSpace } from "./schema.js";

type SearchRanges = Partial<Record<GeneName, { min: number; max: number }>>;

function drnnGenes(search: SearchRanges): GeneSpec[] {
  // Parsing copies (nothing shared with the frozen table) and checks the table against the gene schema.
  return DRNN_GENES.map((g) => GeneSpecSchema.parse(search[g.name] ? { ...g, search: search[g.name] } : g));
}

/**
 * Sized for a 2-core CPU with pure TF.js (about 0.8 GFLOP/s): small layers
 * and batches, at most 3 layers, so one fitness job takes minutes, not hours.
 */
export function cpuSearchSpace(): SearchSpace {
  return {
    name: "drnn-cpu",
    description: "DRNN genes, search ranges sized for a 2-core CPU machine",
    genes: drnnGenes({
      w: { min: 1, max: 6 },
      l: { min: 1, max: 3 },
      h: { min: 1, max: 3 },
      neurons: { min: 16, max: 256 },
      learningRate: { min: 1e-3, max: 0.5 },
      batchSize: { min: 32, max: 1024 },
      fnnLayers: { min: 0, max: 2 },
      fnnNeurons: { min: 16, max: 256 },
      dropout: { min: 0, max: 0.5 },
    }),
  };
}

/** The paper's scale: layers up to 2000 wide, batches up to the 10,000 its GPU held. */
export function paperSearchSpace(): SearchSpace {
  return {
    name: "drnn-paper",
    description: "DRNN genes, search ranges at the paper's GPU scale",
    genes: drnnGenes({
      w: { min: 1, max: 10 },
      l: { min: 1, max: 5 },
      h: { min: 1, max: 5 },
      neurons: { min: 50, max: 2000 },
      learningRate: { min: 1e-4, max: 1 },
      batchSize: { min: 500, max: 10_000 },
      fnnLayers: { min: 0, max: 4 },
      fnnNeurons: { min: 100, max: 2000 },
      dropout: { min: 0, max: 0.5 },
    }),
  };
}

/** The platform's default: the CPU-sized space. */
export function defaultSearchSpace(): SearchSpace {
  return cpuSearchSpace();
}
