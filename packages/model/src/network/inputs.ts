// The model's input tensors, in one place: which ones exist depends on the
// spec (history state, FNN branch, copy), and the order defined here is
// the order of the saved LayersModel's inputs. The copy slots are not
// LayersModel inputs: the saved model's output is the generator's logits, and
// the mixture is computed on top of it (copy.ts).
import type * as tf from "@tensorflow/tfjs";
import type { ModelDims, ModelSpec } from "../spec.js";
import type { CopyInputs } from "./copy.js";

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
  /** The session's own items (the copy mechanism, pointer gene). */
  copy?: CopyInputs;
}

export type InputName = Exclude<keyof DrnnInputs, "copy">;

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
