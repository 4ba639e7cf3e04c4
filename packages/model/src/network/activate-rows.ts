// The activation gene on a plain row, for the TF.js-free serving forward
// (infer-session.ts); the same functions as activation.ts applies to tensors.
import type { ActivationName } from "../spec.js";

export function activateInPlace(x: Float32Array, f: ActivationName): void {
  if (f === "relu") {
    for (let i = 0; i < x.length; i++) if ((x[i] as number) < 0) x[i] = 0;
  } else if (f === "tanh") {
    for (let i = 0; i < x.length; i++) x[i] = Math.tanh(x[i] as number);
  } else {
    for (let i = 0; i < x.length; i++) x[i] = 1 / (1 + Math.exp(-(x[i] as number)));
  }
}
