// @drnn/contract: the shapes every layer agrees on (genes and chromosome
// defaults, state sets, error codes, API requests and responses). A leaf:
// it depends on nothing of ours, and everything may depend on it.
export * from "./genes.js";
export * from "./chromosome.js";
export * from "./states.js";
export * from "./errors.js";
export * from "./api.js";
export * from "./rng.js";
export * from "./online.js";
