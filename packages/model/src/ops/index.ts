export { softmaxCrossEntropy, softmaxCrossEntropyStock } from "./softmax-cross-entropy.js";
