// TF.js's WebGPU backend in Node, through Dawn's bindings (the `webgpu`
// package). Called from backend.ts only. Dawn, its globals and the backend
// are loaded on demand, so machines without a Vulkan driver pay nothing.
// Node quirks handled here: the backend checks `navigator.gpu` (Node 20 has
// no navigator); its own factory asks for features Dawn may refuse and hands
// bgra8unorm-storage over as an array, so this module registers its own
// factory that asks only for the limits the adapter has; and WebGPU reports
// allocation failures as events, not exceptions, so they are kept on the
// backend and thrown at the next read (see throwIfDeviceFailed).
import * as tf from "@tensorflow/tfjs";

/** What the worker records as its device. */
export interface GpuAdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  /** Dawn puts the driver's description here, e.g. "llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)". */
  driver: string;
  /** A CPU or software rasteriser (lavapipe/llvmpipe, SwiftShader, WARP), not a GPU. */
  software: boolean;
}

export interface GpuLimits {
  /** The largest single buffer the device takes (maxBufferSize and maxStorageBufferBindingSize, whichever is smaller). */
  maxBufferBytes: number;
}

export type WebGpuProbe =
  | { ok: true; adapter: GPUAdapter; info: GpuAdapterInfo; limits: GpuLimits }
  | { ok: false; reason: string };

const SOFTWARE = /llvmpipe|lavapipe|swiftshader|software|warp|cpu/i;

function describe(adapter: GPUAdapter): GpuAdapterInfo {
  const i = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const text = `${i.architecture} ${i.device} ${i.description}`;
  return { vendor: i.vendor, architecture: i.architecture, device: i.device, driver: i.description, software: i.isFallbackAdapter === true || SOFTWARE.test(text) };
}

/**
 * Looks for a WebGPU adapter; says why there is none. `flags` go to Dawn's
 * create() (DRNN_WEBGPU_FLAGS), e.g. ["backend=vulkan", "adapter=NVIDIA"].
 */
export async function probeWebGpu(flags: readonly string[] = []): Promise<WebGpuProbe> {
  let dawn: { create(flags: string[]): GPU; globals: object };
  try {
    dawn = await import("webgpu");
  } catch (err) {
    return { ok: false, reason: `the webgpu package (Dawn) did not load: ${err instanceof Error ? err.message : String(err)}` };
  }
  Object.assign(globalThis, dawn.globals);
  let adapter: GPUAdapter | null;
  let gpu: GPU;
  try {
    // One Dawn instance per thread, kept where the backend looks for it: a second one, once the
    // first is collected, takes its devices down with it (the process crashes).
    gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu ?? dawn.create([...flags]);
    adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  } catch (err) {
    return { ok: false, reason: `Dawn found no adapter: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}` };
  }
  // The backend's constructor checks navigator.gpu; Node 20 has no navigator, Node 21+ has one without gpu.
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav === undefined) Object.defineProperty(globalThis, "navigator", { value: { gpu }, configurable: true, writable: true });
  else if (!("gpu" in nav)) Object.defineProperty(nav, "gpu", { value: gpu, configurable: true });
  if (adapter === null) return { ok: false, reason: "no WebGPU adapter (no Vulkan driver found; install the GPU's Vulkan driver, or mesa-vulkan-drivers >= 25 for lavapipe)" };
  const l = adapter.limits;
  return { ok: true, adapter, info: describe(adapter), limits: { maxBufferBytes: Math.min(l.maxBufferSize, l.maxStorageBufferBindingSize) } };
}

/** The adapter's own maxima for the limits TF.js relies on (the defaults are far lower, e.g. 128 MiB buffers). */
function requiredLimits(l: GPUSupportedLimits): Record<string, number> {
  return {
    maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
    maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
    maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
    maxBufferSize: l.maxBufferSize,
    maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
    maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
  };
}

/** What the device raised outside an error scope: allocation failures until read, a lost device for good. */
interface FailureRecord {
  failure?: string;
  lost?: string;
}

function watch(device: GPUDevice, record: FailureRecord): void {
  device.addEventListener("uncapturederror", (event) => {
    const e = (event as GPUUncapturedErrorEvent).error;
    const kind = e instanceof GPUOutOfMemoryError || /exceeds the max|larger than the maximum|out of memory/i.test(e.message) ? "out of memory" : "error";
    record.failure ??= `WebGPU ${kind}: ${e.message.split("\n")[0] ?? ""}`;
  });
  void device.lost.then((info) => {
    record.lost = `WebGPU device lost (${info.reason}): ${info.message}`;
  });
}

/** Registers (once per thread) the TF.js "webgpu" backend on `adapter`. */
export async function registerWebGpu(adapter: GPUAdapter): Promise<void> {
  const webgpu = await import("@tensorflow/tfjs-backend-webgpu");
  const mine = tf.findBackendFactory("webgpu") as (() => unknown) & { drnn?: boolean };
  if (mine?.drnn === true) return;
  // Importing the package with navigator.gpu set registers its own factory: replace it.
  if (mine !== null && mine !== undefined) tf.removeBackend("webgpu");
  const factory = Object.assign(
    async () => {
      // No optional features: timestamp-query only serves TF.js's profiler, and the stock factory's
      // bgra8unorm-storage request (passed as an array) is for canvases.
      const device = await adapter.requestDevice({ requiredFeatures: [], requiredLimits: requiredLimits(adapter.limits) });
      const record: FailureRecord = {};
      watch(device, record);
      return Object.assign(new webgpu.WebGPUBackend(device, adapter.info as never), { drnnFailure: record });
    },
    { drnn: true },
  );
  tf.registerBackend("webgpu", factory, 0);
}

/**
 * Throws what the WebGPU device reported since the last call (an
 * out-of-memory, a lost device); a no-op on other backends. Called after each
 * read, where training would otherwise go on with garbage. An allocation
 * failure is reported once (the device stays usable for the next candidate).
 */
export function throwIfDeviceFailed(): void {
  const record = (tf.backend() as { drnnFailure?: FailureRecord }).drnnFailure;
  if (record === undefined) return;
  const failure = record.lost ?? record.failure;
  record.failure = undefined;
  if (failure !== undefined) throw new Error(failure);
}

/** A tensor's values, read asynchronously (WebGPU cannot read synchronously in Node), with the device's failures thrown. */
export async function readValues(t: tf.Tensor): Promise<Float32Array | Int32Array | Uint8Array> {
  const values = (await t.data()) as Float32Array | Int32Array | Uint8Array;
  throwIfDeviceFailed();
  return values;
}
