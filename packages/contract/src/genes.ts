// The DRNN genes of DESIGN.md section 4 (paper section IV.B), written once.
// The search spaces (@drnn/ga), the chromosome schema and its type (here),
// the model's spec and the dashboard's form all derive from this table, so a
// new gene or choice is one edit. Validity ranges live here; the ranges the GA
// searches are the search space's business.

export const OPTIMIZERS = ["sgd", "momentum", "adam", "adagrad", "rmsprop"] as const;
export const ACTIVATIONS = ["relu", "tanh", "sigmoid"] as const;
export const LOSSES = ["softmax", "sigmoid"] as const;
/** "normal" is the paper's Caffe gaussian; "lecun" is its fan-in scaled form. */
export const INITS = ["xavier", "he", "lecun", "normal"] as const;

export type OptimizerName = (typeof OPTIMIZERS)[number];
export type ActivationName = (typeof ACTIVATIONS)[number];
export type LossName = (typeof LOSSES)[number];
export type InitName = (typeof INITS)[number];

interface GeneBase {
  readonly name: string;
  readonly description?: string;
  /** All must hold for the gene to take part in the model; otherwise it is dormant. */
  readonly when?: readonly { readonly gene: string; readonly op: "gt"; readonly value: number }[];
}
export type GeneDef =
  | (GeneBase & { readonly type: "int"; readonly min: number; readonly max: number; readonly default: number; readonly log?: boolean; readonly maxGene?: string })
  | (GeneBase & { readonly type: "float" | "log-float"; readonly min: number; readonly max: number; readonly default: number; readonly digits?: number })
  | (GeneBase & { readonly type: "categorical"; readonly choices: readonly string[]; readonly default: string })
  | (GeneBase & { readonly type: "bool"; readonly default: boolean })
  | (GeneBase & { readonly type: "int-list"; readonly lengthGene: string; readonly min: number; readonly max: number; readonly default: readonly number[]; readonly log?: boolean });

/**
 * In order: a gene may refer only to genes before it. Defaults are the paper's
 * Table I, plus the pointer (copy) gene, on by default.
 */
export const DRNN_GENES = [
  { name: "w", type: "int", min: 1, max: 32, default: 4, description: "window: states besides the history state" },
  { name: "l", type: "int", min: 1, max: 8, default: 3, description: "hidden layers per state" },
  { name: "h", type: "int", min: 1, max: 8, maxGene: "l", default: 1, description: "top layers linked straight to the output" },
  { name: "neurons", type: "int-list", lengthGene: "l", min: 1, max: 4096, log: true, default: [1000, 1000, 100], description: "neurons a_1..a_l" },
  { name: "learningRate", type: "log-float", min: 1e-6, max: 10, digits: 3, default: 0.1 },
  { name: "optimizer", type: "categorical", choices: OPTIMIZERS, default: "sgd" },
  { name: "activation", type: "categorical", choices: ACTIVATIONS, default: "relu" },
  { name: "loss", type: "categorical", choices: LOSSES, default: "softmax", description: "softmax cross-entropy, or per-item sigmoid cross-entropy" },
  { name: "batchSize", type: "int", min: 1, max: 100_000, log: true, default: 9000 },
  { name: "init", type: "categorical", choices: INITS, default: "xavier" },
  { name: "history", type: "bool", default: true, description: "history state on/off" },
  { name: "fnnLayers", type: "int", min: 0, max: 8, default: 3, description: "FNN branch depth; 0 turns it off" },
  { name: "fnnNeurons", type: "int", min: 1, max: 4096, log: true, default: 1000, when: [{ gene: "fnnLayers", op: "gt", value: 0 }] },
  { name: "dropout", type: "float", min: 0, max: 0.9, digits: 2, default: 0 },
  { name: "pointer", type: "bool", default: true, description: "copy mechanism: a learned gate mixes the softmax with the session's own items" },
] as const satisfies readonly GeneDef[];

type Gene = (typeof DRNN_GENES)[number];
export type GeneName = Gene["name"];

type ValueOf<G extends Gene> = G extends { type: "categorical"; choices: readonly (infer C)[] }
  ? C
  : G extends { type: "bool" }
    ? boolean
    : G extends { type: "int-list" }
      ? readonly number[]
      : number;

/** A complete DRNN chromosome: every gene with its value. */
export type DrnnChromosome = { readonly [G in Gene as G["name"]]: ValueOf<G> };
