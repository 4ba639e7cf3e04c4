export { softmaxCrossEntropy, softmaxCrossEntropyStock } from "./softmax-cross-entropy.js";
export { activate, biasActivation } from "./bias-activation.js";
export { bagSum, bagSumStock } from "./bag-sum.js";
export { fusedRecurrence, hasFusedRecurrence } from "./recurrence.js";
export { dropout } from "./dropout.js";
