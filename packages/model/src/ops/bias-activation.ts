// One hidden layer's nonlinearity, f(z + b) times the state's padding mask,
// as one op with its own gradient. On cpu and wasm it is the fused
// DrnnBiasAct kernel (forward one pass; backward one pass giving the input
// gradient and the bias gradient) instead of add, activation, mask multiply,
// their gradients and the bias's column sum; elsewhere it composes stock ops.
import * as tf from "@tensorflow/tfjs";
import { ACTIVATION_CODES, BIAS_ACT, BIAS_ACT_GRAD, hasFusedKernel } from "../kernels/index.js";
import type { ActivationName } from "../spec.js";

/** The activation gene as stock ops. */
export function activate(x: tf.Tensor2D, f: ActivationName): tf.Tensor2D {
  if (f === "relu") return tf.relu(x);
  if (f === "tanh") return tf.tanh(x);
  return tf.sigmoid(x);
}

function stock(z: tf.Tensor2D, bias: tf.Tensor1D, f: ActivationName, mask?: tf.Tensor2D): tf.Tensor2D {
  const y = activate(tf.add(z, bias), f);
  return mask === undefined ? y : tf.mul(y, mask);
}

function fused(f: ActivationName, masked: boolean): (...args: tf.Tensor[]) => tf.Tensor {
  const attrs = { activation: ACTIVATION_CODES[f] };
  return tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const [z, bias, mask] = args as tf.Tensor[];
    const inputs = masked ? { z, bias, mask } : { z, bias };
    const y = tf.engine().runKernel(BIAS_ACT, inputs as tf.NamedTensorMap, attrs) as tf.Tensor2D;
    save(masked ? [y, mask as tf.Tensor] : [y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [out, m] = saved;
        const grads = tf.engine().runKernel(BIAS_ACT_GRAD, (m === undefined ? { dy, y: out } : { dy, y: out, mask: m }) as tf.NamedTensorMap, attrs) as tf.Tensor[];
        // The mask is data: no gradient flows into it.
        return m === undefined ? grads : [...grads, tf.zerosLike(m)];
      },
    };
  }) as Parameters<typeof tf.customGrad>[0]) as (...args: tf.Tensor[]) => tf.Tensor;
}

const FUSED = new Map<string, (...args: tf.Tensor[]) => tf.Tensor>();

/**
 * f(z + bias) for z [R, E], bias [E], each row times mask [R, 1] (0 or 1: a
 * padding state's activations are zero) when given.
 */
export function biasActivation(z: tf.Tensor2D, bias: tf.Tensor1D, f: ActivationName, mask?: tf.Tensor2D): tf.Tensor2D {
  if (z.dtype !== "float32" || !hasFusedKernel(BIAS_ACT)) return stock(z, bias, f, mask);
  const key = `${f}/${mask !== undefined}`;
  let op = FUSED.get(key);
  if (op === undefined) {
    op = fused(f, mask !== undefined);
    FUSED.set(key, op);
  }
  return (mask === undefined ? op(z, bias) : op(z, bias, mask)) as tf.Tensor2D;
}
