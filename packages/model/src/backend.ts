// THE module with the side effect of choosing and registering a TF.js
// backend, run on demand. Preference: tfjs-node-gpu, webgpu (only on a real
// GPU adapter: on a software one such as lavapipe wasm is faster), tfjs-node
// (libtensorflow), wasm, then the pure-JS cpu backend. The tfjs-node packages
// are optional (their install downloads libtensorflow), so they are imported
// at run time and their absence only moves the choice down the list; each
// choice passed over leaves a note saying why.
import { createRequire } from "node:module";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { BackendUnavailableError } from "./errors.js";
import { jsFusedKernels, loadNativeKernels, loadOpenBlas, registerFixedKernels, type FusedKernels } from "./kernels/index.js";
import { timeKernels, type KernelTimer } from "./kernels/timer.js";
import { probeWebGpu, registerWebGpu, type GpuAdapterInfo, type GpuLimits } from "./webgpu.js";

export const BACKEND_CHOICES = ["tfjs-node-gpu", "webgpu", "tfjs-node", "wasm", "cpu"] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export interface BackendInfo {
  /** The TF.js backend name: "tensorflow" (tfjs-node, either flavour), "webgpu", "wasm" or "cpu". */
  backend: string;
  /** What runs it, e.g. "gpu (tfjs-node-gpu)", "gpu: nvidia ... (webgpu ...)" or "cpu: 2 x Intel Xeon (wasm simd, 1 thread)". */
  device: string;
  /** On webgpu: the adapter (vendor, architecture, device, driver) and its buffer limit. */
  adapter?: GpuAdapterInfo;
  limits?: GpuLimits;
  /** Why each choice ahead of this one was passed over, e.g. "webgpu: no WebGPU adapter (...)". */
  notes: string[];
  /** Which entry of the preference list won. */
  choice: BackendChoice;
  /** Kernels replaced by this package's fixed versions. */
  fixedKernels: string[];
  /** Per-kernel wall time (cpu and wasm only), present when selectBackend was asked for it; starts disabled. */
  kernelTimer?: KernelTimer;
  /**
   * What runs BatchMatMul on cpu/wasm: "openblas (libopenblas.so.0 via koffi)"
   * when the system OpenBLAS loaded, else the pure kernel ("wasm" / "js").
   */
  matmul: string;
  /**
   * What runs the fused softmax cross-entropy and Adam kernels on cpu/wasm:
   * "native (libdrnn_kernels.so via koffi)" when the library built on install
   * loaded, else "js"; "stock ops" on tfjs-node.
   */
  fused: string;
}

export interface SelectOptions {
  /** Wrap the chosen backend's kernels with a timer (for benchmarks). */
  timeKernels?: boolean;
  /** Run BatchMatMul on the system OpenBLAS when it loads (default true); false keeps the pure kernels. */
  blas?: boolean;
  /** Run the fused kernels natively when the library loads (default true); false keeps the JavaScript loops. */
  native?: boolean;
  /** Register the fused kernels at all (default true); false composes the stock TF.js kernels (the reference in tests). */
  fused?: boolean;
  /**
   * The caller reads tensors synchronously (serving, promotion): webgpu, which
   * reads only asynchronously in Node, is never chosen, and insisting on it is an error.
   */
  syncReads?: boolean;
  /** Options for Dawn's create() (DRNN_WEBGPU_FLAGS), e.g. ["adapter=NVIDIA"] to pick one adapter. */
  webgpuFlags?: readonly string[];
}

function cpuName(): string {
  const all = cpus();
  return `${all.length} x ${all[0]?.model.trim() ?? "unknown cpu"}`;
}

/** Dynamic import through a variable, so neither the type checker nor the bundler requires the package. */
async function importOptional(name: string): Promise<boolean> {
  try {
    await import(name);
    return true;
  } catch {
    return false;
  }
}

async function tryNode(choice: "tfjs-node-gpu" | "tfjs-node"): Promise<BackendInfo | undefined> {
  if (!(await importOptional(`@tensorflow/${choice}`))) return undefined;
  if (!(await tf.setBackend("tensorflow"))) return undefined;
  const device = choice === "tfjs-node-gpu" ? "gpu (tfjs-node-gpu, libtensorflow)" : `cpu: ${cpuName()} (tfjs-node, libtensorflow)`;
  return { backend: "tensorflow", device, choice, fixedKernels: [], matmul: "libtensorflow", fused: "stock ops", notes: [] };
}

function matmulOf(blas: ReturnType<typeof loadOpenBlas>, pure: string): string {
  return blas === undefined ? pure : `openblas (${blas.library} via koffi)`;
}

interface KernelChoice {
  blas: boolean;
  native: boolean;
  fused: boolean;
  webgpuFlags: readonly string[];
}

function fusedKernels(k: KernelChoice): FusedKernels | undefined {
  if (!k.fused) return undefined;
  return (k.native ? loadNativeKernels() : undefined) ?? jsFusedKernels;
}

async function tryWasm(k: KernelChoice): Promise<BackendInfo | undefined> {
  try {
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    // In Node the .wasm binaries are read from the package's dist folder.
    const require = createRequire(import.meta.url);
    wasm.setWasmPaths(join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist") + "/");
    if (!(await tf.setBackend("wasm"))) return undefined;
  } catch {
    return undefined;
  }
  const blas = k.blas ? loadOpenBlas() : undefined;
  const fused = fusedKernels(k);
  const fixedKernels = registerFixedKernels("wasm", blas, fused);
  return { backend: "wasm", device: `cpu: ${cpuName()} (wasm simd, 1 thread)`, choice: "wasm", fixedKernels, matmul: matmulOf(blas, "wasm"), fused: fused?.source ?? "stock ops", notes: [] };
}

function webGpuDevice(a: GpuAdapterInfo): string {
  return `${a.software ? "software adapter" : "gpu"}: ${a.vendor} ${a.architecture} ${a.device} (webgpu via Dawn; driver: ${a.driver})`;
}

/** `auto`: only a real GPU adapter; a software one is noted and passed over. The DRNN then runs the stock TF.js ops. */
async function tryWebGpu(auto: boolean, notes: string[], flags: readonly string[]): Promise<BackendInfo | undefined> {
  const probe = await probeWebGpu(flags);
  if (!probe.ok) {
    notes.push(`webgpu: ${probe.reason}`);
    return undefined;
  }
  const a = probe.info;
  if (auto && a.software) {
    notes.push(`webgpu: the adapter is ${a.device} (${a.vendor}, ${a.architecture}), a CPU/software one, slower than wasm; DRNN_BACKEND=webgpu forces it`);
    return undefined;
  }
  await registerWebGpu(probe.adapter);
  if (!(await tf.setBackend("webgpu"))) {
    notes.push(`webgpu: the backend did not start on ${a.device} (requestDevice failed)`);
    return undefined;
  }
  const fixedKernels = registerFixedKernels("webgpu", undefined, undefined);
  return { backend: "webgpu", device: webGpuDevice(a), choice: "webgpu", fixedKernels, matmul: "webgpu (stock)", fused: "stock ops", adapter: a, limits: probe.limits, notes: [] };
}

async function tryCpu(k: KernelChoice): Promise<BackendInfo | undefined> {
  if (!(await tf.setBackend("cpu"))) return undefined;
  const blas = k.blas ? loadOpenBlas() : undefined;
  const fused = fusedKernels(k);
  const fixedKernels = registerFixedKernels("cpu", blas, fused);
  return { backend: "cpu", device: `cpu: ${cpuName()} (pure JS)`, choice: "cpu", fixedKernels, matmul: matmulOf(blas, "js"), fused: fused?.source ?? "stock ops", notes: [] };
}

async function attempt(choice: BackendChoice, k: KernelChoice, auto: boolean, notes: string[]): Promise<BackendInfo | undefined> {
  if (choice === "webgpu") return tryWebGpu(auto, notes, k.webgpuFlags);
  const info = await (choice === "tfjs-node-gpu" || choice === "tfjs-node" ? tryNode(choice) : choice === "wasm" ? tryWasm(k) : tryCpu(k));
  if (info === undefined) notes.push(`${choice}: ${choice.startsWith("tfjs-node") ? `@tensorflow/${choice} is not installed or did not load` : "did not load"}`);
  return info;
}

/** Accepts the choices and the TF.js names people also type ("tensorflow", "node", "gpu"). */
export function parseBackendChoice(value: string): BackendChoice {
  const v = value.trim().toLowerCase();
  const alias: Record<string, BackendChoice> = { gpu: "tfjs-node-gpu", node: "tfjs-node", tensorflow: "tfjs-node", js: "cpu" };
  const choice = alias[v] ?? v;
  if (!(BACKEND_CHOICES as readonly string[]).includes(choice)) {
    throw new BackendUnavailableError(value, `unknown backend; choose one of ${BACKEND_CHOICES.join(", ")}`);
  }
  return choice as BackendChoice;
}

/**
 * Chooses the backend at start-up. With `override` (the CLI passes
 * DRNN_BACKEND) only that backend is tried, and failing to load it is an
 * error rather than a silent fallback.
 */
export async function selectBackend(override?: string, options: SelectOptions = {}): Promise<BackendInfo> {
  const notes: string[] = [];
  // Kernel times on webgpu would be dispatch times only (the GPU runs asynchronously).
  const finish = (info: BackendInfo): BackendInfo => {
    const timed = options.timeKernels === true && info.backend !== "tensorflow" && info.backend !== "webgpu";
    return { ...info, notes, ...(timed ? { kernelTimer: timeKernels(info.backend) } : {}) };
  };
  const kernelChoice: KernelChoice = { blas: options.blas !== false, native: options.native !== false, fused: options.fused !== false, webgpuFlags: options.webgpuFlags ?? [] };
  if (override !== undefined && override !== "") {
    const choice = parseBackendChoice(override);
    if (choice === "webgpu" && options.syncReads === true) throw new BackendUnavailableError(choice, "this command reads tensors synchronously, which WebGPU cannot do in Node; use wasm or tfjs-node");
    const info = await attempt(choice, kernelChoice, false, notes);
    if (info === undefined) throw new BackendUnavailableError(choice, notes.join("; ") || "it did not load on this machine");
    return finish(info);
  }
  for (const choice of BACKEND_CHOICES) {
    if (choice === "webgpu" && options.syncReads === true) continue;
    const info = await attempt(choice, kernelChoice, true, notes);
    if (info !== undefined) return finish(info);
  }
  throw new BackendUnavailableError("any", `no TF.js backend loaded (${notes.join("; ")})`);
}
