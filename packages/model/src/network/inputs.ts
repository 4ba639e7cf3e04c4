// The model's input tensors, in one place: which ones exist depends on the
// spec (history state, FNN branch, pointer), and the order defined here is
// the order of the saved LayersModel's inputs.
import type * as tf from "@tensorflow/tfjs";
import type { ModelDims, ModelSpec } from "../spec.js";

/** One batch as tensors; optional members exist exactly when the spec uses them. */
export interface DrnnInputs {
  /** [B, k] page ids, oldest first, left-padded with PAGE_PAD (0). */
  window: tf.Tensor2D;
  /** [B, k] dwell feature of each window page (0 at padding). */
  dwell: tf.Tensor2D;
  /** [B, H] pages of the history state V_bar (its heaviest H entries). */
  historyPages?: tf.Tensor2D;
  /** [B, H] their aging weights eps; 0 marks an empty slot. */
  historyWeights?: tf.Tensor2D;
  /** [B, P] items the user bought before this session (the FNN's multi-hot, as a bag). */
  purchaseItems?: tf.Tensor2D;
  /** [B, P] 1 where purchaseItems holds an item, 0 at padding. */
  purchaseMask?: tf.Tensor2D;
  /** [B, k] the item each window page shows, -1 where it shows none (pointer). */
  windowItems?: tf.Tensor2D;
  /** [B, N] sum of eps over history pages showing each item (pointer). */
  historyItemMass?: tf.Tensor2D;
}

export type InputName = keyof DrnnInputs;

export interface InputSlot {
  name: InputName;
  /** Shape without the batch dimension. */
  shape: number[];
  dtype: "int32" | "float32";
}

export function inputLayout(spec: ModelSpec, dims: ModelDims): InputSlot[] {
  const k = spec.window;
  const slots: InputSlot[] = [
    { name: "window", shape: [k], dtype: "int32" },
    { name: "dwell", shape: [k], dtype: "float32" },
  ];
  if (spec.history) {
    slots.push({ name: "historyPages", shape: [dims.historyBag], dtype: "int32" });
    slots.push({ name: "historyWeights", shape: [dims.historyBag], dtype: "float32" });
  }
  if (spec.fnnLayers > 0) {
    slots.push({ name: "purchaseItems", shape: [dims.purchaseBag], dtype: "int32" });
    slots.push({ name: "purchaseMask", shape: [dims.purchaseBag], dtype: "float32" });
  }
  if (spec.pointer) {
    slots.push({ name: "windowItems", shape: [k], dtype: "int32" });
    if (spec.history) slots.push({ name: "historyItemMass", shape: [dims.items], dtype: "float32" });
  }
  return slots;
}

export function packInputs(x: DrnnInputs, layout: readonly InputSlot[]): tf.Tensor[] {
  return layout.map((slot) => {
    const t = x[slot.name];
    if (t === undefined) throw new Error(`input '${slot.name}' is missing from the batch`);
    return t;
  });
}

export function unpackInputs(tensors: readonly tf.Tensor[], layout: readonly InputSlot[]): DrnnInputs {
  const out: Partial<Record<InputName, tf.Tensor2D>> = {};
  layout.forEach((slot, i) => {
    const t = tensors[i];
    if (t === undefined) throw new Error(`input '${slot.name}' is missing`);
    out[slot.name] = t as tf.Tensor2D;
  });
  if (out.window === undefined || out.dwell === undefined) throw new Error("window and dwell inputs are required");
  return out as DrnnInputs;
}
