// BatchMatMul through the system OpenBLAS (`cblas_sgemm` from
// libopenblas.so.0, called through the koffi FFI): about 40-70 GFLOP/s here
// on every operand layout, where wasm's XNNPACK runs 30 GFLOP/s on plain A*B
// only and the pure-JS cpu kernel 0.8. loadOpenBlas() answers undefined when
// koffi or the library does not load, and backend.ts then keeps the pure
// kernels. Float32 only; batch shapes other than equal or broadcast-from-1
// fall back to the kernel it replaces.
import { createRequire } from "node:module";
import type * as tf from "@tensorflow/tfjs";
import type { CpuBackend, KernelArgs, TensorInfo, WasmBackend } from "./types.js";

/** C = op(A) op(B) + beta C (beta 0 unless given: C is overwritten), row-major, on Float32Array views (any byteOffset). */
export type Sgemm = (transA: boolean, transB: boolean, m: number, n: number, k: number, a: Float32Array, lda: number, b: Float32Array, ldb: number, c: Float32Array, ldc: number, beta?: number) => void;

export interface OpenBlas {
  /** The library file that loaded. */
  library: string;
  sgemm: Sgemm;
}

export const BLAS_LIBRARIES = ["libopenblas.so.0", "libopenblas.so", "libopenblas.dylib", "libopenblas.dll"] as const;

interface KoffiLib {
  func(signature: string): (...args: unknown[]) => unknown;
}
interface Koffi {
  load(path: string): KoffiLib;
}

const CBLAS_ROW_MAJOR = 101;
const CBLAS_NO_TRANS = 111;
const CBLAS_TRANS = 112;

/** Tries koffi, then each library name; undefined when none loads (the pure kernels stay). */
export function loadOpenBlas(libraries: readonly string[] = BLAS_LIBRARIES): OpenBlas | undefined {
  let koffi: Koffi;
  try {
    koffi = createRequire(import.meta.url)("koffi") as Koffi;
  } catch {
    return undefined;
  }
  for (const library of libraries) {
    try {
      const fn = koffi.load(library).func(
        "void cblas_sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, const float *a, int lda, const float *b, int ldb, float beta, _Inout_ float *c, int ldc)",
      );
      const sgemm: Sgemm = (transA, transB, m, n, k, a, lda, b, ldb, c, ldc, beta = 0) => {
        fn(CBLAS_ROW_MAJOR, transA ? CBLAS_TRANS : CBLAS_NO_TRANS, transB ? CBLAS_TRANS : CBLAS_NO_TRANS, m, n, k, 1, a, lda, b, ldb, beta, c, ldc);
      };
      return { library, sgemm };
    } catch {
      // try the next name
    }
  }
  return undefined;
}

export const BLAS_BATCH_MATMUL = "drnnBlasBatchMatMul";

interface Problem {
  outShape: number[];
  batch: number;
  batchA: number;
  batchB: number;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
}

const prod = (s: readonly number[]) => s.reduce((x, y) => x * y, 1);

/** The product's sizes, or undefined for what the fallback should run (dtype, broadcasting beyond 1 -> n). */
function problemOf(a: TensorInfo, b: TensorInfo, attrs: Record<string, unknown>): Problem | undefined {
  if (a.dtype !== "float32" || b.dtype !== "float32" || a.shape.length < 2 || b.shape.length < 2) return undefined;
  const transA = attrs["transposeA"] === true;
  const transB = attrs["transposeB"] === true;
  const ra = a.shape.length;
  const rb = b.shape.length;
  const [a0, a1] = [a.shape[ra - 2] ?? 0, a.shape[ra - 1] ?? 0];
  const [b0, b1] = [b.shape[rb - 2] ?? 0, b.shape[rb - 1] ?? 0];
  const m = transA ? a1 : a0;
  const k = transA ? a0 : a1;
  const n = transB ? b0 : b1;
  if ((transB ? b1 : b0) !== k) return undefined;
  const batchShapeA = a.shape.slice(0, -2);
  const batchShapeB = b.shape.slice(0, -2);
  const batchA = prod(batchShapeA);
  const batchB = prod(batchShapeB);
  let batchShape: number[];
  if (batchA === 1) batchShape = batchShapeB.length > 0 ? batchShapeB : batchShapeA;
  else if (batchB === 1) batchShape = batchShapeA.length > 0 ? batchShapeA : batchShapeB;
  else if (batchShapeA.length === batchShapeB.length && batchShapeA.every((d, i) => d === batchShapeB[i])) batchShape = batchShapeA;
  else return undefined;
  if (batchA === 1 && batchB === 1) batchShape = ra >= rb ? batchShapeA : batchShapeB;
  return { outShape: [...batchShape, m, n], batch: Math.max(batchA, batchB), batchA, batchB, m, n, k, transA, transB };
}

function run(sgemm: Sgemm, p: Problem, a: Float32Array, b: Float32Array, c: Float32Array): void {
  const lda = p.transA ? p.m : p.k;
  const ldb = p.transB ? p.k : p.n;
  const sa = p.m * p.k;
  const sb = p.k * p.n;
  const sc = p.m * p.n;
  if (p.k === 0) {
    c.fill(0);
    return;
  }
  if (p.m === 0 || p.n === 0) return;
  for (let i = 0; i < p.batch; i++) {
    const va = p.batchA === 1 ? a : a.subarray(i * sa, (i + 1) * sa);
    const vb = p.batchB === 1 ? b : b.subarray(i * sb, (i + 1) * sb);
    const vc = p.batch === 1 ? c : c.subarray(i * sc, (i + 1) * sc);
    sgemm(p.transA, p.transB, p.m, p.n, p.k, va, lda, vb, ldb, vc, p.n);
  }
}

function mark(kernelFunc: unknown, replaced: tf.KernelConfig): tf.KernelFunc {
  Object.defineProperty(kernelFunc, "name", { value: BLAS_BATCH_MATMUL });
  Object.defineProperty(kernelFunc, "replaced", { value: replaced });
  return kernelFunc as tf.KernelFunc;
}

/** Wasm: operands and result stay in the wasm heap; sgemm reads and writes it in place. */
export function blasBatchMatMulWasm(fallback: tf.KernelConfig, blas: OpenBlas): tf.KernelConfig {
  const pure = fallback.kernelFunc as unknown as (args: KernelArgs<WasmBackend>) => TensorInfo;
  const kernelFunc = (args: KernelArgs<WasmBackend>): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const a = inputs["a"] as TensorInfo;
    const b = inputs["b"] as TensorInfo;
    const p = problemOf(a, b, attrs);
    if (p === undefined) return pure(args);
    // Allocate first, then take heap views: allocation may grow the heap and detach older views.
    const out = backend.makeOutput(p.outShape, "float32");
    run(blas.sgemm, p, backend.typedArrayFromHeap(a) as Float32Array, backend.typedArrayFromHeap(b) as Float32Array, backend.typedArrayFromHeap(out) as Float32Array);
    return out;
  };
  return { ...fallback, kernelFunc: mark(kernelFunc, fallback) };
}

/** Pure-JS cpu backend: the values are Float32Arrays already. */
export function blasBatchMatMulCpu(fallback: tf.KernelConfig, blas: OpenBlas): tf.KernelConfig {
  const pure = fallback.kernelFunc as unknown as (args: KernelArgs<CpuBackend>) => TensorInfo;
  const kernelFunc = (args: KernelArgs<CpuBackend>): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const a = inputs["a"] as TensorInfo;
    const b = inputs["b"] as TensorInfo;
    const p = problemOf(a, b, attrs);
    const va = backend.data.get(a.dataId).values;
    const vb = backend.data.get(b.dataId).values;
    if (p === undefined || !(va instanceof Float32Array) || !(vb instanceof Float32Array)) return pure(args);
    const c = new Float32Array(prod(p.outShape));
    run(blas.sgemm, p, va, vb, c);
    return backend.makeTensorInfo(p.outShape, "float32", c);
  };
  return { ...fallback, kernelFunc: mark(kernelFunc, fallback) };
}
