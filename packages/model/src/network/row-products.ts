// Vector x matrix for ONE row (y = x W), the only product the serving path
// needs: a page view runs a handful of them per state. Two engines, chosen
// automatically: the system OpenBLAS through koffi (sgemm with m = 1, about
// 3.5 us for 256 x 256 here) and a pure-JS fallback over a transposed copy of
// W (dot products, about 40 us for 256 x 256). TF.js would spend more on
// per-op dispatch and tensor allocation than on the arithmetic at this size.
import { createRequire } from "node:module";
import { loadOpenBlas, type Sgemm } from "../kernels/blas-batch-matmul.js";

/** A weight matrix [rows, cols] in the layout its engine multiplies fastest. */
export interface RowMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float32Array;
}

export interface RowProducts {
  /** What runs the products, e.g. "openblas (libopenblas.so.0, 1 thread)" or "js". */
  readonly name: string;
  /** Lays out a row-major [rows, cols] matrix for `mul` (copies it). */
  matrix(values: Float32Array, rows: number, cols: number): RowMatrix;
  /** y = x W, or y += x W when `accumulate`; x holds at least W.rows values, y W.cols. */
  mul(x: Float32Array, w: RowMatrix, y: Float32Array, accumulate: boolean): void;
}

export type RowProductsChoice = "auto" | "openblas" | "js";

/**
 * Dot products over W^T, four output columns at a time so each x[r] is read
 * once per four products: about 0.6 ns per multiply-add in V8 here, 1.8x the
 * row-wise axpy form.
 */
export class JsRowProducts implements RowProducts {
  readonly name = "js";

  matrix(values: Float32Array, rows: number, cols: number): RowMatrix {
    const t = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = values[r * cols + c] ?? 0;
    return { rows, cols, data: t };
  }

  mul(x: Float32Array, w: RowMatrix, y: Float32Array, accumulate: boolean): void {
    const { rows, cols, data } = w;
    let c = 0;
    for (; c + 3 < cols; c += 4) {
      const o0 = c * rows;
      const o1 = o0 + rows;
      const o2 = o1 + rows;
      const o3 = o2 + rows;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      for (let r = 0; r < rows; r++) {
        const xr = x[r] as number;
        a0 += xr * (data[o0 + r] as number);
        a1 += xr * (data[o1 + r] as number);
        a2 += xr * (data[o2 + r] as number);
        a3 += xr * (data[o3 + r] as number);
      }
      store(y, c, a0, accumulate);
      store(y, c + 1, a1, accumulate);
      store(y, c + 2, a2, accumulate);
      store(y, c + 3, a3, accumulate);
    }
    for (; c < cols; c++) {
      const o = c * rows;
      let a = 0;
      for (let r = 0; r < rows; r++) a += (x[r] as number) * (data[o + r] as number);
      store(y, c, a, accumulate);
    }
  }
}

function store(y: Float32Array, c: number, v: number, accumulate: boolean): void {
  y[c] = accumulate ? (y[c] as number) + v : v;
}

/** sgemm with m = 1; the wrapper writes with beta = 0, so accumulation goes through a scratch row. */
export class BlasRowProducts implements RowProducts {
  private scratch = new Float32Array(0);

  constructor(
    private readonly sgemm: Sgemm,
    readonly name: string,
  ) {}

  matrix(values: Float32Array, rows: number, cols: number): RowMatrix {
    return { rows, cols, data: Float32Array.from(values.subarray(0, rows * cols)) };
  }

  mul(x: Float32Array, w: RowMatrix, y: Float32Array, accumulate: boolean): void {
    const { rows, cols, data } = w;
    if (!accumulate) {
      this.sgemm(false, false, 1, cols, rows, x, rows, data, cols, y, cols);
      return;
    }
    if (this.scratch.length < cols) this.scratch = new Float32Array(cols);
    const s = this.scratch;
    this.sgemm(false, false, 1, cols, rows, x, rows, data, cols, s, cols);
    for (let c = 0; c < cols; c++) y[c] = (y[c] as number) + (s[c] as number);
  }
}

let blasEngine: BlasRowProducts | null | undefined;

/**
 * OpenBLAS, once per process, switched to one thread: at these sizes its
 * second thread only adds wake-ups (measured: 256 x 256 took 2.7 us on two
 * cores vs 3.6 us on one, and its spinning workers then hold the other core
 * that HTTP and Redis need). Only a process that serves calls this.
 */
function openBlasEngine(): BlasRowProducts | null {
  if (blasEngine !== undefined) return blasEngine;
  const blas = loadOpenBlas();
  if (blas === undefined) return (blasEngine = null);
  const single = singleThreaded(blas.library);
  blasEngine = new BlasRowProducts(blas.sgemm, `openblas (${blas.library}, ${single ? "1 thread" : "library threads"})`);
  return blasEngine;
}

function singleThreaded(library: string): boolean {
  try {
    const koffi = createRequire(import.meta.url)("koffi") as { load(path: string): { func(signature: string): (n: number) => void } };
    koffi.load(library).func("void openblas_set_num_threads(int n)")(1);
    return true;
  } catch {
    return false;
  }
}

/** "auto": OpenBLAS when it loads, else pure JS; "openblas" throws when it does not load. */
export function rowProducts(choice: RowProductsChoice = "auto"): RowProducts {
  if (choice === "js") return new JsRowProducts();
  const blas = openBlasEngine();
  if (blas !== null) return blas;
  if (choice === "openblas") throw new Error("OpenBLAS (libopenblas via koffi) did not load");
  return new JsRowProducts();
}
