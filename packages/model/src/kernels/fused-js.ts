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
  /** y[r, e] = f(z[r, e] + bias[e]) * mask[r], mask 0 or 1 (null: all ones). */
  biasAct(z: Float32Array, bias: Float32Array, mask: Float32Array | null, r: number, e: number, act: ActivationCode, y: Float32Array): void;
  /** dz = dy * mask * f'(from y); db = column sums of dz. */
  biasActGrad(dy: Float32Array, y: Float32Array, mask: Float32Array | null, r: number, e: number, act: ActivationCode, dz: Float32Array, db: Float32Array): void;
  /** out[j] = sum over r of x[r, j], x [R, C]. */
  sumRows(x: Float32Array, r: number, c: number, out: Float32Array): void;
  /** out [S, C] = 0, then out[ids[i]] += x[i] for ids in [0, S). */
  segmentSum(x: Float32Array, ids: Int32Array, n: number, c: number, s: number, out: Float32Array): void;
  /** out[b] = sum over l of w[b, l] * table[ids[b, l]]; table [V, E], ids and w [B, L]. */
  bagSum(table: Float32Array, v: number, e: number, ids: Int32Array, w: Float32Array, b: number, l: number, out: Float32Array): void;
  /** dtable [V, E] = 0, then dtable[ids[b, l]] += w[b, l] * dy[b]. */
  bagSumGrad(dy: Float32Array, e: number, ids: Int32Array, w: Float32Array, b: number, l: number, v: number, dtable: Float32Array): void;
  /** out[i] = 1/keep with probability keep, else 0: the mulberry32 stream from `seed` (the same in both implementations). */
  dropoutMask(seed: number, keep: number, n: number, out: Float32Array): void;
  /** out = a * b elementwise. */
  mul(a: Float32Array, b: Float32Array, n: number, out: Float32Array): void;
  /** out += a * b elementwise. */
  mulAdd(a: Float32Array, b: Float32Array, n: number, out: Float32Array): void;
}

/** The activation gene as the kernels number it (relu, tanh, sigmoid). */
export const ACTIVATION_CODES = { relu: 0, tanh: 1, sigmoid: 2 } as const;
export type ActivationCode = (typeof ACTIVATION_CODES)[keyof typeof ACTIVATION_CODES];

export interface AdamHyper {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  c1: number;
  c2: number;
}

/** y[o..o+e) = f(z + bias); one loop per activation, so the engine inlines it (a per-element closure call is 10x slower). */
function activateRow(z: Float32Array, bias: Float32Array, o: number, e: number, act: ActivationCode, y: Float32Array): void {
  if (act === 0) {
    // Branch free ((a + |a|) / 2 is max(a, 0)): activations' signs are random, and a mispredicted branch per element costs 3x.
    for (let j = 0; j < e; j++) {
      const a = (z[o + j] as number) + (bias[j] as number);
      y[o + j] = (a + Math.abs(a)) * 0.5;
    }
  } else if (act === 1) {
    for (let j = 0; j < e; j++) y[o + j] = Math.tanh((z[o + j] as number) + (bias[j] as number));
  } else {
    for (let j = 0; j < e; j++) y[o + j] = 1 / (1 + Math.exp(-((z[o + j] as number) + (bias[j] as number))));
  }
}

/** dz[o..o+e) = dy * f'(y), f' read from the output. */
function slopeRow(dy: Float32Array, y: Float32Array, o: number, e: number, act: ActivationCode, dz: Float32Array): void {
  if (act === 0) {
    // y >= 0, so sign(y) is the 0/1 slope, without a branch.
    for (let j = 0; j < e; j++) dz[o + j] = (dy[o + j] as number) * Math.sign(y[o + j] as number);
  } else if (act === 1) {
    for (let j = 0; j < e; j++) {
      const v = y[o + j] as number;
      dz[o + j] = (dy[o + j] as number) * (1 - v * v);
    }
  } else {
    for (let j = 0; j < e; j++) {
      const v = y[o + j] as number;
      dz[o + j] = (dy[o + j] as number) * v * (1 - v);
    }
  }
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
  sumRows(x, r, c, out) {
    out.fill(0);
    for (let i = 0; i < r; i++) {
      const o = i * c;
      for (let j = 0; j < c; j++) out[j] = (out[j] as number) + (x[o + j] as number);
    }
  },
  segmentSum(x, ids, n, c, s, out) {
    out.fill(0);
    for (let i = 0; i < n; i++) {
      const seg = ids[i] ?? -1;
      if (seg < 0 || seg >= s) continue;
      const o = seg * c;
      const src = i * c;
      for (let j = 0; j < c; j++) out[o + j] = (out[o + j] as number) + (x[src + j] as number);
    }
  },
  mul(a, b, n, out) {
    for (let i = 0; i < n; i++) out[i] = (a[i] as number) * (b[i] as number);
  },
  mulAdd(a, b, n, out) {
    for (let i = 0; i < n; i++) out[i] = (out[i] as number) + (a[i] as number) * (b[i] as number);
  },
  dropoutMask(seed, keep, n, out) {
    let state = seed >>> 0;
    const k = Math.fround(keep);
    const scale = Math.fround(1 / k);
    for (let i = 0; i < n; i++) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1) >>> 0;
      t = (t ^ (t + Math.imul(t ^ (t >>> 7), t | 61))) >>> 0;
      t = (t ^ (t >>> 14)) >>> 0;
      out[i] = Math.fround(t / 4294967296) < k ? scale : 0;
    }
  },
  bagSum(table, v, e, ids, w, b, l, out) {
    out.fill(0);
    for (let i = 0; i < b; i++) {
      for (let k = 0; k < l; k++) {
        const id = ids[i * l + k] as number;
        const wt = w[i * l + k] as number;
        if (id < 0 || id >= v || wt === 0) continue;
        const o = i * e;
        const r = id * e;
        for (let j = 0; j < e; j++) out[o + j] = (out[o + j] as number) + wt * (table[r + j] as number);
      }
    }
  },
  bagSumGrad(dy, e, ids, w, b, l, v, dtable) {
    dtable.fill(0);
    for (let i = 0; i < b; i++) {
      for (let k = 0; k < l; k++) {
        const id = ids[i * l + k] as number;
        const wt = w[i * l + k] as number;
        if (id < 0 || id >= v || wt === 0) continue;
        const g = i * e;
        const r = id * e;
        for (let j = 0; j < e; j++) dtable[r + j] = (dtable[r + j] as number) + wt * (dy[g + j] as number);
      }
    }
  },
  biasAct(z, bias, mask, r, e, act, y) {
    for (let i = 0; i < r; i++) {
      if (mask !== null && mask[i] === 0) y.fill(0, i * e, (i + 1) * e);
      else activateRow(z, bias, i * e, e, act, y);
    }
  },
  biasActGrad(dy, y, mask, r, e, act, dz, db) {
    db.fill(0);
    for (let i = 0; i < r; i++) {
      const o = i * e;
      if (mask !== null && mask[i] === 0) {
        dz.fill(0, o, o + e);
        continue;
      }
      slopeRow(dy, y, o, e, act, dz);
      for (let j = 0; j < e; j++) db[j] = (db[j] as number) + (dz[o + j] as number);
    }
  },
};
