// The few backend internals the replacement kernels touch. TF.js does not
// export these types, so they are spelled out here and nowhere else.
import type * as tf from "@tensorflow/tfjs";

export interface TensorInfo {
  dataId: object;
  shape: number[];
  dtype: tf.DataType;
}

export interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object): boolean;
  /** Another tensor now shares this buffer (Reshape does the same). */
  incRef(dataId: object): void;
}

export interface CpuBackend {
  data: { get(dataId: object): { values: ArrayLike<number> } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array | Int32Array): TensorInfo;
}

export interface KernelArgs<B> {
  inputs: Record<string, TensorInfo>;
  backend: B;
  attrs: Record<string, unknown>;
}
