// Per-kernel wall time, for `drnn bench train`'s "where the time goes". It
// wraps every kernel registered for one backend (the wrappers live in TF.js's
// kernel registry, the only state) and adds up milliseconds and calls while
// enabled. The cpu and wasm kernels run synchronously, so wall time is the
// kernel's time. Off by default; selectBackend() installs it only on request.
import * as tf from "@tensorflow/tfjs";

export interface KernelTime {
  kernel: string;
  ms: number;
  calls: number;
}

export interface KernelTimer {
  /** Counts only while enabled. */
  enabled: boolean;
  reset(): void;
  /** Totals since the last reset, slowest first. */
  totals(): KernelTime[];
}

const TIMED = Symbol.for("drnn.timedKernel");

type Timed = tf.KernelFunc & { [TIMED]?: true };

/** Wraps the backend's kernels (once; wrapping again only returns a new view of fresh counters). */
export function timeKernels(backendName: string): KernelTimer {
  const sums = new Map<string, KernelTime>();
  const timer: KernelTimer = {
    enabled: false,
    reset: () => sums.clear(),
    totals: () => [...sums.values()].sort((a, b) => b.ms - a.ms).map((t) => ({ ...t, ms: Number(t.ms.toFixed(2)) })),
  };
  for (const config of tf.getKernelsForBackend(backendName)) {
    const inner = config.kernelFunc as Timed;
    const base = inner[TIMED] === true ? ((inner as unknown as { inner: tf.KernelFunc }).inner) : inner;
    const wrapped = ((args: Parameters<tf.KernelFunc>[0]) => {
      if (!timer.enabled) return base(args);
      const t0 = performance.now();
      const out = base(args);
      const ms = performance.now() - t0;
      const sum = sums.get(config.kernelName) ?? { kernel: config.kernelName, ms: 0, calls: 0 };
      sum.ms += ms;
      sum.calls++;
      sums.set(config.kernelName, sum);
      return out;
    }) as Timed;
    Object.defineProperty(wrapped, "name", { value: base.name });
    Object.defineProperty(wrapped, TIMED, { value: true });
    Object.defineProperty(wrapped, "inner", { value: base });
    tf.unregisterKernel(config.kernelName, backendName);
    tf.registerKernel({ ...config, kernelFunc: wrapped });
  }
  return timer;
}
