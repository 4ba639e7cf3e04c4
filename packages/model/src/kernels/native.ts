// Loads native/build/libdrnn_kernels.* (built on install by
// scripts/build-native.mjs) through koffi. Answers undefined when koffi, the
// library or one of its symbols is missing; backend.ts then registers the
// JavaScript kernels of fused-js.ts instead.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { FusedKernels } from "./fused-js.js";

interface KoffiLib {
  func(signature: string): (...args: unknown[]) => unknown;
}
interface Koffi {
  load(path: string): KoffiLib;
}

const EXT = process.platform === "darwin" ? "dylib" : process.platform === "win32" ? "dll" : "so";
export const NATIVE_LIBRARY = fileURLToPath(new URL(`../../native/build/libdrnn_kernels.${EXT}`, import.meta.url));

export function loadNativeKernels(path: string = NATIVE_LIBRARY): FusedKernels | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const koffi = createRequire(import.meta.url)("koffi") as Koffi;
    const lib = koffi.load(path);
    if (lib.func("int drnn_kernels_version(void)")() !== 6) return undefined;
    const xent = lib.func("void drnn_softmax_xent(const float *logits, const float *target, int B, int S, int N, float *loss, float *probs)");
    const xentGrad = lib.func("void drnn_softmax_xent_grad(const float *dy, const float *probs, const float *target, int B, int S, int N, float *dx)");
    const adam = lib.func(
      "void drnn_adam(const float *w, const float *g, const float *m, const float *v, int n, float lr, float b1, float b2, float eps, float c1, float c2, float *w2, float *m2, float *v2)",
    );
    const biasAct = lib.func("void drnn_bias_act(const float *z, const float *bias, const float *mask, int R, int E, int act, float *y)");
    const biasActGrad = lib.func("void drnn_bias_act_grad(const float *dy, const float *y, const float *mask, int R, int E, int act, float *dz, float *db)");
    const sumRows = lib.func("void drnn_sum_rows(const float *x, int R, int C, float *out)");
    const segmentSum = lib.func("void drnn_segment_sum(const float *x, const int32_t *ids, int n, int C, int S, float *out)");
    const bagSum = lib.func("void drnn_bag_sum(const float *table, int V, int E, const int32_t *ids, const float *w, int B, int L, float *out)");
    const bagSumGrad = lib.func("void drnn_bag_sum_grad(const float *dy, int E, const int32_t *ids, const float *w, int B, int L, int V, float *dtable)");
    const dropoutMask = lib.func("void drnn_dropout_mask(uint32_t seed, float keep, int n, float *out)");
    const mul = lib.func("void drnn_mul(const float *a, const float *b, int n, float *out)");
    const mulAdd = lib.func("void drnn_mul_add(const float *a, const float *b, int n, float *out)");
    return {
      mul: (a, b, n, out) => void mul(a, b, n, out),
      mulAdd: (a, b, n, out) => void mulAdd(a, b, n, out),
      dropoutMask: (seed, keep, n, out) => void dropoutMask(seed >>> 0, keep, n, out),
      bagSum: (table, v, e, ids, w, b, l, out) => void bagSum(table, v, e, ids, w, b, l, out),
      bagSumGrad: (dy, e, ids, w, b, l, v, dtable) => void bagSumGrad(dy, e, ids, w, b, l, v, dtable),
      sumRows: (x, r, c, out) => void sumRows(x, r, c, out),
      segmentSum: (x, ids, n, c, s, out) => void segmentSum(x, ids, n, c, s, out),
      biasAct: (z, bias, mask, r, e, act, y) => void biasAct(z, bias, mask, r, e, act, y),
      biasActGrad: (dy, y, mask, r, e, act, dz, db) => void biasActGrad(dy, y, mask, r, e, act, dz, db),
      source: `native (${path.split("/").pop() ?? path} via koffi)`,
      softmaxXent: (logits, target, b, s, n, loss, probs) => void xent(logits, target, b, s, n, loss, probs),
      softmaxXentGrad: (dy, probs, target, b, s, n, dx) => void xentGrad(dy, probs, target, b, s, n, dx),
      adam: (w, g, m, v, n, h, w2, m2, v2) => void adam(w, g, m, v, n, h.lr, h.beta1, h.beta2, h.epsilon, h.c1, h.c2, w2, m2, v2),
    };
  } catch {
    return undefined;
  }
}
