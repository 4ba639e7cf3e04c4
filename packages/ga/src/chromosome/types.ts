export type GeneValue = number | string | boolean | number[];

/**
 * A chromosome as plain JSON, gene name -> value, in the shape of its search
 * space. Treat it as immutable: operators always return new objects.
 */
export type Chromosome = Readonly<Record<string, GeneValue>>;

/**
 * The DRNN genes of DESIGN.md section 4 (paper section IV.B), for consumers
 * that build a model from a chromosome validated against a built-in space.
 */
export interface DrnnChromosome {
  /** Window: number of states k (besides the history state). */
  readonly w: number;
  /** Hidden layers per state. */
  readonly l: number;
  /** Shortcut height: the top h hidden layers link straight to the output. */
  readonly h: number;
  /** Neurons a_1..a_l, one per layer. */
  readonly neurons: readonly number[];
  readonly learningRate: number;
  readonly optimizer: string;
  readonly activation: string;
  readonly loss: string;
  readonly batchSize: number;
  readonly init: string;
  /** History state (state 0 fed the aged sum of older pages) on/off. */
  readonly history: boolean;
  /** FNN (user purchase history) branch depth; 0 switches the branch off. */
  readonly fnnLayers: number;
  readonly fnnNeurons: number;
  readonly dropout: number;
  /** Let the model point back at the session's own pages when pages are items. */
  readonly pointer: boolean;
}
