// The fused training kernels in JavaScript: the fallback where the native
// library (native/drnn_kernels.c, same arithmetic) does not build or load.
// Both implement FusedKernels; the tests hold each to the stock TF.js ops.

/** Fused loops over Float32Array views; every function writes only its last arguments. */
export interface FusedKernels {
  /** "native (libdrnn_kernels.so via koffi)" or "js". */
  source: string;
  /** logits [B, S, N], target [B, N] -> loss [B, S], probs [B, S, N] (the softmax, kept for the gradient). */
  softmaxXent(logits: Float32Array, target: Float32Array, b: number, s: number, n: number, loss: Float32Array, probs: Float32Array): void;
  /** dx[b, s, j] = dy[b, s] * (probs[b, s, j] * sum(target[b]) - target[b, j]). */
  softmaxXentGrad(dy: Float32Array, probs: Float32Array, target: Float32Array, b: number, s: number, n: number, dx: Float32Array): void;
  /** One Adam step (TF.js's AdamOptimizer arithmetic); c1 = 1/(1 - b1^t), c2 = 1/(1 - b2^t). */
  adam(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, n: number, h: AdamHyper, w2: Float32Array, m2: Float32Array, v2: Float32Array): void;
}

export interface AdamHyper {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  c1: number;
  c2: number;
}

function rowSum(t: Float32Array, from: number, n: number): number {
  let s = 0;
  for (let j = 0; j < n; j++) s += t[from + j] as number;
  return s;
}

function softmaxRow(x: Float32Array, t: Float32Array, row: number, tRow: number, n: number, probs: Float32Array): { z: number; tx: number } {
  let mx = -Infinity;
  for (let j = 0; j < n; j++) mx = Math.max(mx, x[row + j] as number);
  let z = 0;
  let tx = 0;
  for (let j = 0; j < n; j++) {
    const d = (x[row + j] as number) - mx;
    const e = Math.exp(d);
    probs[row + j] = e;
    z += e;
    tx += (t[tRow + j] as number) * d;
  }
  const inv = 1 / z;
  for (let j = 0; j < n; j++) probs[row + j] = (probs[row + j] as number) * inv;
  return { z, tx };
}

export const jsFusedKernels: FusedKernels = {
  source: "js",
  softmaxXent(logits, target, b, s, n, loss, probs) {
    for (let i = 0; i < b; i++) {
      const tsum = rowSum(target, i * n, n);
      for (let k = 0; k < s; k++) {
        const row = i * s + k;
        const { z, tx } = softmaxRow(logits, target, row * n, i * n, n, probs);
        loss[row] = tsum * Math.log(z) - tx;
      }
    }
  },
  softmaxXentGrad(dy, probs, target, b, s, n, dx) {
    for (let i = 0; i < b; i++) {
      const tsum = rowSum(target, i * n, n);
      for (let k = 0; k < s; k++) {
        const row = i * s + k;
        const g = dy[row] as number;
        const gt = g * tsum;
        const o = row * n;
        for (let j = 0; j < n; j++) dx[o + j] = gt * (probs[o + j] as number) - g * (target[i * n + j] as number);
      }
    }
  },
  adam(w, g, m, v, n, h, w2, m2, v2) {
    const { lr, beta1, beta2, epsilon, c1, c2 } = h;
    for (let i = 0; i < n; i++) {
      const gi = g[i] as number;
      const mi = beta1 * (m[i] as number) + (1 - beta1) * gi;
      const vi = beta2 * (v[i] as number) + (1 - beta2) * gi * gi;
      m2[i] = mi;
      v2[i] = vi;
      w2[i] = (w[i] as number) - (lr * (mi * c1)) / (Math.sqrt(vi * c2) + epsilon);
    }
  },
};
