// The copy (pointer-generator) mechanism, the `pointer` gene (DESIGN.md
// section 4). After the newest page the prediction is a mixture
//   P(i) = g * p_gen(i) + (1 - g) * p_copy(i)
// of the generator (the DRNN's softmax over its N items) and a distribution
// over the session's own items, the copy slots of @drnn/data's
// sessionItems(). A slot's score is item-agnostic:
//   s_c = (u + H^T a) . f_c
// with f_c the slot's occurrence features (count, recency, dwell, ...), a the
// top layer's last state, u learned and H the context the DRNN adds; the gate
// is g = sigmoid(v . a + b). It starts as S-POP: u weighs the count by 1 and
// breaks ties by the item's training purchases (scaled below one count), H = 0
// and g = sigmoid(-4), so training starts from the strong baseline, and what
// it learns carries over to items the generator never saw.
// This file holds the tensor form (training, offline evaluation) and the one
// ranking rule every path uses (mergeMixture, also the serving scorer's).
import * as tf from "@tensorflow/tfjs";
import type { COPY_FEATURES } from "@drnn/data";

/** Initial feature weights u: S-POP's ranking, count first, training purchases as the tie-break. */
export const COPY_INITIAL_WEIGHTS: Readonly<Record<(typeof COPY_FEATURES)[number], number>> = {
  count: 1,
  logCount: 0,
  newest: 0,
  recency: 0,
  firstRecency: 0,
  dwell: 0,
  buyPopularity: 0.5,
  viewPopularity: 0,
};

/** Initial gate bias: g = sigmoid(-4) = 0.018, the generator only reorders what the session did not show. */
export const COPY_INITIAL_GATE_BIAS = -4;

/** A padded slot's score: far below any real one, finite so gradients stay finite. */
const PAD_SCORE = -1e4;

export interface CopyWeights {
  /** u, [F]. */
  feature: tf.Tensor1D;
  /** H, [E_top, F]. */
  context: tf.Tensor2D;
  /** v, [E_top, 1]. */
  gate: tf.Tensor2D;
  /** b, [1]. */
  gateBias: tf.Tensor1D;
}

/** One batch's copy slots as tensors (built by the feeder from sessionItems()). */
export interface CopyInputs {
  /** [B, C, F] slot features. */
  features: tf.Tensor3D;
  /** [B, C] 1 where the slot holds an item. */
  mask: tf.Tensor2D;
  /** [B, C] 1 where the slot's item is one of the generator's N items. */
  inGenerator: tf.Tensor2D;
  /** [B * C] row * N + item into the flattened [B, N] generator log-probabilities (0 where not inGenerator). */
  generatorIndex: tf.Tensor1D;
}

export interface CopyOutput {
  /** log P of each slot's item under the mixture, [B, C]; meaningless where mask is 0. */
  logSlot: tf.Tensor2D;
  /** log g, [B, 1]: log P of a generator item the session did not show is logGate + logGenerator. */
  logGate: tf.Tensor2D;
  /** log p_gen, [B, N]. */
  logGenerator: tf.Tensor2D;
}

/** log sigmoid(x) = min(x, 0) - log(1 + exp(-|x|)); TF.js's own tf.logSigmoid fails in its gradient (it reads a disposed tensor). */
function logSigmoid(x: tf.Tensor2D): tf.Tensor2D {
  return tf.sub(tf.minimum(x, 0), tf.log1p(tf.exp(tf.neg(tf.abs(x))))) as tf.Tensor2D;
}

function logAddExp(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  const m = tf.maximum(a, b);
  return tf.add(m, tf.log(tf.add(tf.exp(tf.sub(a, m)), tf.exp(tf.sub(b, m))))) as tf.Tensor2D;
}

/** The mixture after the newest page, from the top layer's last state [B, E_top] and the generator's logits [B, N]. */
export function copyMixture(w: CopyWeights, top: tf.Tensor2D, generatorLogits: tf.Tensor2D, x: CopyInputs): CopyOutput {
  const [b, c] = x.mask.shape;
  const perSample = tf.add(w.feature, tf.matMul(top, w.context));
  const scores = tf.reshape(tf.matMul(x.features, tf.expandDims(perSample, 2)), [b, c]);
  const logCopy = tf.logSoftmax(tf.add(scores, tf.mul(tf.sub(1, x.mask), PAD_SCORE)));
  // A session that showed no item leaves the copy nothing to point at: all mass goes to the generator (g = 1).
  const shows = tf.greater(tf.max(x.mask, 1, true), 0);
  const gateLogit = tf.add(tf.matMul(top, w.gate), w.gateBias);
  const logGate = tf.where(shows, logSigmoid(gateLogit as tf.Tensor2D), tf.zerosLike(gateLogit)) as tf.Tensor2D;
  const logKeep = logSigmoid(tf.neg(gateLogit) as tf.Tensor2D);
  const logGenerator = tf.logSoftmax(generatorLogits) as tf.Tensor2D;
  const atSlot = tf.reshape(tf.gather(tf.reshape(logGenerator, [-1]), x.generatorIndex), [b, c]) as tf.Tensor2D;
  const fromCopy = tf.add(logKeep, logCopy) as tf.Tensor2D;
  const logSlot = tf.where(tf.cast(x.inGenerator, "bool"), logAddExp(fromCopy, tf.add(logGate, atSlot) as tf.Tensor2D), fromCopy) as tf.Tensor2D;
  return { logSlot, logGate, logGenerator };
}

/** The mixture's targets: the bought items the session showed (slots) and the generator's others. */
export interface CopyTargets {
  /** [B, C] 1/|I_r| on the slots whose item was bought (I_r: the bought items the mixture can rank). */
  slot: tf.Tensor2D;
  /** [B * T] row * N + item of bought generator items the session did not show (0 at padding). */
  generatorIndex: tf.Tensor1D;
  /** [B, T] their weights 1/|I_r| (0 at padding). */
  generatorWeight: tf.Tensor2D;
  /** [B] 1 where I_r is not empty. */
  valid: tf.Tensor1D;
}

/** -sum over I_r of log P(i) / |I_r| per sample, [B] (0 where nothing is rankable). */
export function mixtureLoss(out: CopyOutput, t: CopyTargets): tf.Tensor1D {
  const [b, width] = t.generatorWeight.shape;
  const slotPart = tf.sum(tf.mul(t.slot, out.logSlot), 1);
  const atTarget = tf.reshape(tf.gather(tf.reshape(out.logGenerator, [-1]), t.generatorIndex), [b, width]);
  const generatorPart = tf.sum(tf.mul(t.generatorWeight, tf.add(atTarget, out.logGate)), 1);
  return tf.mul(tf.neg(tf.add(slotPart, generatorPart)), t.valid) as tf.Tensor1D;
}

/**
 * The ranking rule of the mixture, shared by the offline ranker and serving:
 * the session's slots with their mixture probability, then the generator's
 * items the session did not show with g * p_gen, best first (ties: lower id).
 * @param generator candidate generator items, best first, with their g * p_gen
 */
export function mergeMixture(
  slots: { items: ArrayLike<number>; prob: ArrayLike<number>; count: number },
  generator: { items: ArrayLike<number>; prob: ArrayLike<number> },
  depth: number,
): Int32Array {
  const seen = new Set<number>();
  const all: { item: number; p: number }[] = [];
  for (let c = 0; c < slots.count; c++) {
    const item = slots.items[c] ?? -1;
    seen.add(item);
    all.push({ item, p: slots.prob[c] ?? 0 });
  }
  for (let r = 0; r < generator.items.length; r++) {
    const item = generator.items[r] ?? -1;
    if (!seen.has(item)) all.push({ item, p: generator.prob[r] ?? 0 });
  }
  all.sort((a, b) => b.p - a.p || a.item - b.item);
  return Int32Array.from(all.slice(0, depth), (e) => e.item);
}
