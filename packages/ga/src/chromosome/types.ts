export type GeneValue = number | string | boolean | number[];

/**
 * A chromosome as plain JSON, gene name -> value, in the shape of its search
 * space. Treat it as immutable: operators always return new objects. (The
 * DRNN's own genes, typed, are @drnn/contract's DrnnChromosome.)
 */
export type Chromosome = Readonly<Record<string, GeneValue>>;
