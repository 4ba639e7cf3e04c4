// The fused training kernels as TF.js kernels on the wasm and cpu backends:
// DrnnSoftmaxXent (outputs loss and the softmax), DrnnSoftmaxXentGrad and
// DrnnAdam (outputs the new weight and both moments). They run the native
// library when it loaded, else the JavaScript loops; src/ops/ and
// train/fused-adam.ts call them only where they are registered and use the
// stock ops elsewhere (tfjs-node, webgl).
import * as tf from "@tensorflow/tfjs";
import type { ActivationCode, AdamHyper, FusedKernels } from "./fused-js.js";
import type { CpuBackend, KernelArgs, TensorInfo, WasmBackend } from "./types.js";
import { cpuViews, wasmViews, type Views } from "./views.js";
import type { Sgemm } from "./blas-batch-matmul.js";
import { RECURRENCE, RECURRENCE_GRAD, recurrenceBackward, recurrenceForward, type RecurrenceShape } from "./fused-recurrence.js";

export const SOFTMAX_XENT = "DrnnSoftmaxXent";
export const SOFTMAX_XENT_GRAD = "DrnnSoftmaxXentGrad";
export const FUSED_ADAM = "DrnnAdam";
export const BIAS_ACT = "DrnnBiasAct";
export const BIAS_ACT_GRAD = "DrnnBiasActGrad";
export const BAG_SUM = "DrnnBagSum";
export const BAG_SUM_GRAD = "DrnnBagSumGrad";
export const DROPOUT_MASK = "DrnnDropoutMask";
export const FUSED_KERNEL_NAMES = [DROPOUT_MASK, SOFTMAX_XENT, SOFTMAX_XENT_GRAD, FUSED_ADAM, BIAS_ACT, BIAS_ACT_GRAD, BAG_SUM, BAG_SUM_GRAD, RECURRENCE, RECURRENCE_GRAD] as const;

type Run = (args: KernelArgs<unknown>, v: Views) => TensorInfo | TensorInfo[];

function softmaxXent(k: FusedKernels): Run {
  return ({ inputs }, v) => {
    const logits = inputs["logits"] as TensorInfo;
    const target = inputs["target"] as TensorInfo;
    const [b = 0, s = 0, n = 0] = logits.shape;
    const out = v.alloc([[b, s], [b, s, n]]);
    const [loss, probs] = out.views() as [Float32Array, Float32Array];
    k.softmaxXent(v.read(logits), v.read(target), b, s, n, loss, probs);
    return out.infos;
  };
}

function softmaxXentGrad(k: FusedKernels): Run {
  return ({ inputs }, v) => {
    const probs = inputs["probs"] as TensorInfo;
    const [b = 0, s = 0, n = 0] = probs.shape;
    const out = v.alloc([[b, s, n]]);
    const [dx] = out.views() as [Float32Array];
    k.softmaxXentGrad(v.read(inputs["dy"] as TensorInfo), v.read(probs), v.read(inputs["target"] as TensorInfo), b, s, n, dx);
    return out.infos[0] as TensorInfo;
  };
}

function adam(k: FusedKernels): Run {
  return ({ inputs, attrs }, v) => {
    const w = inputs["w"] as TensorInfo;
    const n = w.shape.reduce((a, b) => a * b, 1);
    const out = v.alloc([w.shape, w.shape, w.shape]);
    const [w2, m2, v2] = out.views() as [Float32Array, Float32Array, Float32Array];
    const read = (name: string) => v.read(inputs[name] as TensorInfo);
    k.adam(read("w"), read("g"), read("m"), read("v"), n, attrs as unknown as AdamHyper, w2, m2, v2);
    return out.infos;
  };
}

/** inputs z [R, E], bias [E], optional mask [R, 1]; attrs activation (a code) -> y [R, E]. */
function biasAct(k: FusedKernels): Run {
  return ({ inputs, attrs }, v) => {
    const z = inputs["z"] as TensorInfo;
    const [r = 0, e = 0] = z.shape;
    const out = v.alloc([[r, e]]);
    const [y] = out.views() as [Float32Array];
    const mask = inputs["mask"] === undefined ? null : v.read(inputs["mask"]);
    k.biasAct(v.read(z), v.read(inputs["bias"] as TensorInfo), mask, r, e, attrs["activation"] as ActivationCode, y);
    return out.infos[0] as TensorInfo;
  };
}

/** inputs dy, y [R, E], optional mask -> dz [R, E], db [E]. */
function biasActGrad(k: FusedKernels): Run {
  return ({ inputs, attrs }, v) => {
    const y = inputs["y"] as TensorInfo;
    const [r = 0, e = 0] = y.shape;
    const out = v.alloc([[r, e], [e]]);
    const [dz, db] = out.views() as [Float32Array, Float32Array];
    const mask = inputs["mask"] === undefined ? null : v.read(inputs["mask"]);
    k.biasActGrad(v.read(inputs["dy"] as TensorInfo), v.read(y), mask, r, e, attrs["activation"] as ActivationCode, dz, db);
    return out.infos;
  };
}

/** inputs table [V, E], ids [B, L] int32, weights [B, L] -> [B, E]. */
function bagSum(k: FusedKernels): Run {
  return ({ inputs }, v) => {
    const table = inputs["table"] as TensorInfo;
    const ids = inputs["ids"] as TensorInfo;
    const [rows = 0, e = 0] = table.shape;
    const [b = 0, l = 0] = ids.shape;
    const out = v.alloc([[b, e]]);
    const [o] = out.views() as [Float32Array];
    k.bagSum(v.read(table), rows, e, v.readInt(ids), v.read(inputs["weights"] as TensorInfo), b, l, o);
    return out.infos[0] as TensorInfo;
  };
}

/** inputs dy [B, E], ids, weights; attrs rows (V) -> dtable [V, E]. */
function bagSumGrad(k: FusedKernels): Run {
  return ({ inputs, attrs }, v) => {
    const dy = inputs["dy"] as TensorInfo;
    const ids = inputs["ids"] as TensorInfo;
    const [b = 0, l = 0] = ids.shape;
    const e = dy.shape[1] ?? 0;
    const rows = attrs["rows"] as number;
    const out = v.alloc([[rows, e]]);
    const [d] = out.views() as [Float32Array];
    k.bagSumGrad(v.read(dy), e, v.readInt(ids), v.read(inputs["weights"] as TensorInfo), b, l, rows, d);
    return out.infos[0] as TensorInfo;
  };
}

/** No inputs; attrs shape, keep, seed -> a mask of that shape (0 or 1/keep). */
function dropoutMask(k: FusedKernels): Run {
  return ({ attrs }, v) => {
    const shape = attrs["shape"] as number[];
    const out = v.alloc([shape]);
    const [m] = out.views() as [Float32Array];
    k.dropoutMask(attrs["seed"] as number, attrs["keep"] as number, m.length, m);
    return out.infos[0] as TensorInfo;
  };
}

/** The whole recurrence, forward and backward; attrs carry its RecurrenceShape. */
function recurrence(k: FusedKernels, sgemm: Sgemm): Run {
  return ({ inputs, attrs }, v) => recurrenceForward(inputs, v, attrs as unknown as RecurrenceShape, sgemm, k);
}

function recurrenceGrad(k: FusedKernels, sgemm: Sgemm): Run {
  return ({ inputs, attrs }, v) => recurrenceBackward(inputs, v, attrs as unknown as RecurrenceShape, sgemm, k);
}

/**
 * The kernel configs for one backend, running `kernels` (native or JS); the
 * recurrence kernels only with `sgemm` (OpenBLAS), whose products they are.
 */
export function fusedKernelConfigs(backendName: "wasm" | "cpu", kernels: FusedKernels, sgemm?: Sgemm): tf.KernelConfig[] {
  const wrap = (kernelName: string, run: Run): tf.KernelConfig => ({
    kernelName,
    backendName,
    kernelFunc: ((args: KernelArgs<unknown>) => run(args, backendName === "wasm" ? wasmViews(args.backend as WasmBackend) : cpuViews(args.backend as CpuBackend))) as unknown as tf.KernelFunc,
  });
  return [
    wrap(DROPOUT_MASK, dropoutMask(kernels)),
    wrap(SOFTMAX_XENT, softmaxXent(kernels)),
    wrap(SOFTMAX_XENT_GRAD, softmaxXentGrad(kernels)),
    wrap(FUSED_ADAM, adam(kernels)),
    wrap(BIAS_ACT, biasAct(kernels)),
    wrap(BIAS_ACT_GRAD, biasActGrad(kernels)),
    wrap(BAG_SUM, bagSum(kernels)),
    wrap(BAG_SUM_GRAD, bagSumGrad(kernels)),
    ...(sgemm === undefined ? [] : [wrap(RECURRENCE, recurrence(kernels, sgemm)), wrap(RECURRENCE_GRAD, recurrenceGrad(kernels, sgemm))]),
  ];
}

/** Whether the active backend has the fused kernel `name` (else callers compose stock ops). */
export function hasFusedKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}
