// The pointer gene: when pages show items, the model may point back at the
// session's own pages. 99.9% of YOOCHOOSE purchases were viewed earlier in the
// session, which a softmax over all items cannot see by itself. At state t,
//   logits += sum_{s<=t} beta_{t-s} [item(p_s)] + beta_hist * (history item mass)
// with one learned weight per page age and one for the history state.
import * as tf from "@tensorflow/tfjs";

/** T[t][s] = beta[t-s] for s <= t, else 0: the age weights laid out per (state, page). */
function ageMatrix(beta: tf.Tensor1D, k: number): tf.Tensor2D {
  const idx: number[] = [];
  const mask: number[] = [];
  for (let t = 0; t < k; t++) {
    for (let s = 0; s < k; s++) {
      idx.push(Math.max(0, t - s));
      mask.push(s <= t ? 1 : 0);
    }
  }
  return tf.mul(tf.reshape(tf.gather(beta, tf.tensor1d(idx, "int32")), [k, k]), tf.tensor2d(mask, [k, k])) as tf.Tensor2D;
}

/**
 * @param windowItems [B, k] item id per window page, -1 where the page shows no item
 * @param historyItemMass [B, N] or undefined without a history state
 * @returns [B, k, N] logits to add to every state's output
 */
export function pointerLogits(
  p: { age: tf.Tensor1D; history: tf.Tensor1D },
  windowItems: tf.Tensor2D,
  historyItemMass: tf.Tensor2D | undefined,
  items: number,
): tf.Tensor3D {
  const [b, k] = windowItems.shape;
  // oneHot gives an all-zero row for -1: pages without an item vote for nothing.
  const seen = tf.cast(tf.oneHot(windowItems, items), "float32");
  const byState = tf.matMul(ageMatrix(p.age, k), tf.reshape(tf.transpose(seen, [1, 0, 2]), [k, b * items]));
  let out = tf.transpose(tf.reshape(byState, [k, b, items]), [1, 0, 2]) as tf.Tensor3D;
  if (historyItemMass !== undefined) out = tf.add(out, tf.expandDims(tf.mul(historyItemMass, p.history), 1));
  return out;
}
