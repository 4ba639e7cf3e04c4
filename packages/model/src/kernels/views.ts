// Float32Array views of kernel inputs and freshly allocated outputs on the
// wasm backend (its heap) and the cpu backend (JS arrays), for the fused kernels.
import type { CpuBackend, TensorInfo, WasmBackend } from "./types.js";

/** Reads and allocates Float32Array views on either backend. */
export interface Views {
  read(t: TensorInfo): Float32Array;
  readInt(t: TensorInfo): Int32Array;
  /** Allocates every output before any view is taken: wasm heap growth detaches older views. */
  alloc(shapes: number[][]): { infos: TensorInfo[]; views: () => Float32Array[] };
}

export function wasmViews(backend: WasmBackend): Views {
  return {
    read: (t) => backend.typedArrayFromHeap(t) as Float32Array,
    readInt: (t) => backend.typedArrayFromHeap(t) as Int32Array,
    alloc: (shapes) => {
      const infos = shapes.map((s) => backend.makeOutput(s, "float32"));
      return { infos, views: () => infos.map((i) => backend.typedArrayFromHeap(i) as Float32Array) };
    },
  };
}

export function cpuViews(backend: CpuBackend): Views {
  return {
    read: (t) => {
      const v = backend.data.get(t.dataId).values;
      return v instanceof Float32Array ? v : Float32Array.from(v);
    },
    readInt: (t) => {
      const v = backend.data.get(t.dataId).values;
      return v instanceof Int32Array ? v : Int32Array.from(v);
    },
    alloc: (shapes) => {
      const arrays = shapes.map((s) => new Float32Array(s.reduce((a, b) => a * b, 1)));
      const infos = shapes.map((s, i) => backend.makeTensorInfo(s, "float32", arrays[i] as Float32Array));
      return { infos, views: () => arrays };
    },
  };
}

