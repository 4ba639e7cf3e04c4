// THE module with the side effect of choosing and registering a TF.js
// backend, run on demand. Preference: tfjs-node-gpu, tfjs-node (libtensorflow),
// wasm, then the pure-JS cpu backend. The tfjs-node packages are optional
// (their install downloads libtensorflow), so they are imported at run time
// and their absence only moves the choice down the list.
import { createRequire } from "node:module";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { BackendUnavailableError } from "./errors.js";
import { jsFusedKernels, loadNativeKernels, loadOpenBlas, registerFixedKernels, type FusedKernels } from "./kernels/index.js";
import { timeKernels, type KernelTimer } from "./kernels/timer.js";

export const BACKEND_CHOICES = ["tfjs-node-gpu", "tfjs-node", "wasm", "cpu"] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export interface BackendInfo {
  /** The TF.js backend name: "tensorflow" (tfjs-node, either flavour), "wasm" or "cpu". */
  backend: string;
  /** What runs it, e.g. "gpu (tfjs-node-gpu)" or "cpu: 2 x Intel Xeon (wasm simd, 1 thread)". */
  device: string;
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
  return { backend: "tensorflow", device, choice, fixedKernels: [], matmul: "libtensorflow", fused: "stock ops" };
}

function matmulOf(blas: ReturnType<typeof loadOpenBlas>, pure: string): string {
  return blas === undefined ? pure : `openblas (${blas.library} via koffi)`;
}

interface KernelChoice {
  blas: boolean;
  native: boolean;
  fused: boolean;
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
  return { backend: "wasm", device: `cpu: ${cpuName()} (wasm simd, 1 thread)`, choice: "wasm", fixedKernels, matmul: matmulOf(blas, "wasm"), fused: fused?.source ?? "stock ops" };
}

async function tryCpu(k: KernelChoice): Promise<BackendInfo | undefined> {
  if (!(await tf.setBackend("cpu"))) return undefined;
  const blas = k.blas ? loadOpenBlas() : undefined;
  const fused = fusedKernels(k);
  const fixedKernels = registerFixedKernels("cpu", blas, fused);
  return { backend: "cpu", device: `cpu: ${cpuName()} (pure JS)`, choice: "cpu", fixedKernels, matmul: matmulOf(blas, "js"), fused: fused?.source ?? "stock ops" };
}

function attempt(choice: BackendChoice, k: KernelChoice): Promise<BackendInfo | undefined> {
  if (choice === "tfjs-node-gpu" || choice === "tfjs-node") return tryNode(choice);
  return choice === "wasm" ? tryWasm(k) : tryCpu(k);
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
  const finish = (info: BackendInfo): BackendInfo =>
    options.timeKernels === true && info.backend !== "tensorflow" ? { ...info, kernelTimer: timeKernels(info.backend) } : info;
  const kernelChoice: KernelChoice = { blas: options.blas !== false, native: options.native !== false, fused: options.fused !== false };
  if (override !== undefined && override !== "") {
    const choice = parseBackendChoice(override);
    const info = await attempt(choice, kernelChoice);
    if (info === undefined) throw new BackendUnavailableError(choice, "it did not load on this machine");
    return finish(info);
  }
  for (const choice of BACKEND_CHOICES) {
    const info = await attempt(choice, kernelChoice);
    if (info !== undefined) return finish(info);
  }
  throw new BackendUnavailableError("any", "no TF.js backend loaded");
}
