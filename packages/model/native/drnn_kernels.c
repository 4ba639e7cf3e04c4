/*
 * Fused kernels of the DRNN training step, compiled on install by
 * scripts/build-native.mjs and called through koffi from
 * src/kernels/native.ts. Each one replaces a chain of TF.js kernels whose
 * element-wise passes dominate the step once the matrix products run on
 * OpenBLAS: the softmax cross-entropy over [B, S, N] logits (max, sub, exp,
 * sum, log and their gradients) and Adam's update (about 14 kernels per
 * weight). Every function writes only its output buffers: TF.js tensors are
 * immutable, so the caller hands fresh outputs. src/kernels/fused-js.ts holds
 * the same arithmetic in JavaScript for machines where this library does not
 * build; the tests hold both to the stock TF.js ops.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* exp(x) for x <= 0 to float precision (relative error ~2e-7), branch free
 * so the loops vectorise on the baseline instruction set (truncation, not
 * rintf: t <= 0, so (int)(t - 0.5) rounds to nearest); below -87 it returns
 * about 1.6e-38 where expf would give a denormal or 0. */
static inline float exp_nonpositive(float x) {
  x = x < -87.0f ? -87.0f : x;
  int32_t ki = (int32_t)(x * 1.44269504088896341f - 0.5f);
  float k = (float)ki;
  float r = x - k * 0.693145751953125f - k * 1.42860682030941723212e-6f;
  float p = 1.0f + r * (1.0f + r * (0.5f + r * (0.16666667163372f + r * (0.04166664555668f + r * (0.00833336077630f + r * 0.00138925086520f)))));
  union { int32_t i; float f; } scale;
  scale.i = (ki + 127) << 23;
  return p * scale.f;
}

/* max of x[0..n), n >= 1, with eight independent maxima: one running maximum
 * is a chain of dependent compares that the compiler will not vectorise
 * without giving up NaN semantics, and it cost half of the softmax. */
static float row_max(const float *restrict x, int n) {
  float m[8];
  for (int i = 0; i < 8; i++) m[i] = x[0];
  int j = 0;
  for (; j + 8 <= n; j += 8)
    for (int i = 0; i < 8; i++) m[i] = x[j + i] > m[i] ? x[j + i] : m[i];
  for (; j < n; j++) m[0] = x[j] > m[0] ? x[j] : m[0];
  float mx = m[0];
  for (int i = 1; i < 8; i++) mx = m[i] > mx ? m[i] : mx;
  return mx;
}

static float row_sum(const float *restrict x, int n) {
  float s = 0.0f;
  for (int j = 0; j < n; j++) s += x[j];
  return s;
}

int drnn_kernels_version(void) { return 6; }

/*
 * logits [B, S, N], target [B, N] (a distribution or all zero).
 * loss[b, s] = -sum_j target[b, j] * log softmax(logits[b, s])_j
 * probs[b, s, j] = softmax(logits[b, s])_j, kept for the gradient.
 */
void drnn_softmax_xent(const float *restrict logits, const float *restrict target, int B, int S, int N, float *restrict loss, float *restrict probs) {
  if (N <= 0) return;
  for (int b = 0; b < B; b++) {
    const float *restrict t = target + (size_t)b * N;
    float tsum = row_sum(t, N);
    for (int s = 0; s < S; s++) {
      size_t row = (size_t)b * S + s;
      const float *restrict x = logits + row * N;
      float *p = probs + row * N;
      float mx = row_max(x, N);
      float z = 0.0f, tx = 0.0f;
      for (int j = 0; j < N; j++) {
        float e = exp_nonpositive(x[j] - mx);
        p[j] = e;
        z += e;
        tx += t[j] * (x[j] - mx);
      }
      float inv = 1.0f / z;
      for (int j = 0; j < N; j++) p[j] *= inv;
      loss[row] = tsum * logf(z) - tx;
    }
  }
}

/* dx[b, s, j] = dy[b, s] * (probs[b, s, j] * sum(target[b]) - target[b, j]) */
void drnn_softmax_xent_grad(const float *restrict dy, const float *restrict probs, const float *restrict target, int B, int S, int N, float *restrict dx) {
  if (N <= 0) return;
  for (int b = 0; b < B; b++) {
    const float *restrict t = target + (size_t)b * N;
    float tsum = row_sum(t, N);
    for (int s = 0; s < S; s++) {
      size_t row = (size_t)b * S + s;
      const float *restrict p = probs + row * N;
      float *d = dx + row * N;
      float g = dy[row], gt = g * tsum;
      for (int j = 0; j < N; j++) d[j] = gt * p[j] - g * t[j];
    }
  }
}

/*
 * One Adam step as TF.js's AdamOptimizer computes it:
 *   m' = b1 m + (1 - b1) g;  v' = b2 v + (1 - b2) g^2
 *   w' = w - lr * (m' * c1) / (sqrt(v' * c2) + eps),  c1 = 1/(1 - b1^t), c2 = 1/(1 - b2^t)
 */
void drnn_adam(const float *restrict w, const float *restrict g, const float *restrict m, const float *restrict v, int n, float lr, float b1, float b2, float eps, float c1, float c2, float *restrict w2, float *restrict m2,
               float *restrict v2) {
  for (int i = 0; i < n; i++) {
    float gi = g[i];
    float mi = b1 * m[i] + (1.0f - b1) * gi;
    float vi = b2 * v[i] + (1.0f - b2) * gi * gi;
    m2[i] = mi;
    v2[i] = vi;
    w2[i] = w[i] - lr * (mi * c1) / (sqrtf(vi * c2) + eps);
  }
}

/* The activation gene, as src/network/activation.ts numbers it for the kernels. */
enum { ACT_RELU = 0, ACT_TANH = 1, ACT_SIGMOID = 2 };

/*
 * y[r, e] = f(z[r, e] + bias[e]) * mask[r]: one layer of one state, the bias
 * add, activation and padding mask in one pass (mask may be NULL: all ones).
 */
void drnn_bias_act(const float *restrict z, const float *restrict bias, const float *restrict mask, int R, int E, int act, float *restrict y) {
  for (int r = 0; r < R; r++) {
    const float *restrict zr = z + (size_t)r * E;
    float *restrict yr = y + (size_t)r * E;
    float m = mask == NULL ? 1.0f : mask[r];
    if (m == 0.0f) {
      memset(yr, 0, sizeof(float) * (size_t)E);
    } else if (act == ACT_RELU) {
      for (int e = 0; e < E; e++) {
        float a = zr[e] + bias[e];
        yr[e] = (a > 0.0f ? a : 0.0f) * m;
      }
    } else if (act == ACT_TANH) {
      for (int e = 0; e < E; e++) yr[e] = tanhf(zr[e] + bias[e]) * m;
    } else {
      for (int e = 0; e < E; e++) yr[e] = m / (1.0f + expf(-(zr[e] + bias[e])));
    }
  }
}

/*
 * The gradient from the output y = f(z + b) * mask (f' from y: relu y > 0,
 * tanh 1 - y^2, sigmoid y (1 - y)); rows with mask 0 get 0.
 * dz[r, e] = dy[r, e] * mask[r] * f'(r, e);  db[e] = sum_r dz[r, e].
 */
void drnn_bias_act_grad(const float *restrict dy, const float *restrict y, const float *restrict mask, int R, int E, int act, float *restrict dz, float *restrict db) {
  for (int e = 0; e < E; e++) db[e] = 0.0f;
  for (int r = 0; r < R; r++) {
    const float *restrict dyr = dy + (size_t)r * E;
    const float *restrict yr = y + (size_t)r * E;
    float *restrict dzr = dz + (size_t)r * E;
    float m = mask == NULL ? 1.0f : mask[r];
    if (m == 0.0f) {
      memset(dzr, 0, sizeof(float) * (size_t)E);
      continue;
    }
    if (act == ACT_RELU) {
      for (int e = 0; e < E; e++) {
        float g = dyr[e] * m; /* loaded unconditionally, so the loop vectorises */
        dzr[e] = yr[e] > 0.0f ? g : 0.0f;
      }
    } else if (act == ACT_TANH) {
      for (int e = 0; e < E; e++) dzr[e] = dyr[e] * (1.0f - yr[e] * yr[e]);
    } else {
      for (int e = 0; e < E; e++) dzr[e] = dyr[e] * yr[e] * (1.0f - yr[e]);
    }
    for (int e = 0; e < E; e++) db[e] += dzr[e];
  }
}

/* out[j] = sum_r x[r, j]: a bias gradient (Sum over the leading axes). */
void drnn_sum_rows(const float *restrict x, int R, int C, float *restrict out) {
  for (int j = 0; j < C; j++) out[j] = 0.0f;
  for (int r = 0; r < R; r++) {
    const float *restrict xr = x + (size_t)r * C;
    for (int j = 0; j < C; j++) out[j] += xr[j];
  }
}

/* out[ids[i], :] += x[i, :] over out [S, C] zeroed first; ids outside [0, S) are dropped. The embedding gradient. */
void drnn_segment_sum(const float *restrict x, const int32_t *restrict ids, int n, int C, int S, float *restrict out) {
  for (size_t j = 0; j < (size_t)S * C; j++) out[j] = 0.0f;
  for (int i = 0; i < n; i++) {
    int32_t s = ids[i];
    if (s < 0 || s >= S) continue;
    const float *restrict xr = x + (size_t)i * C;
    float *restrict o = out + (size_t)s * C;
    for (int j = 0; j < C; j++) o[j] += xr[j];
  }
}

/*
 * out[b, :] = sum_l w[b, l] * table[ids[b, l], :]: a weighted bag of rows
 * (the history state's input, the FNN's purchase bag) without building the
 * [B, L, E] gather. Ids outside [0, V) and weights of 0 add nothing.
 */
void drnn_bag_sum(const float *restrict table, int V, int E, const int32_t *restrict ids, const float *restrict w, int B, int L, float *restrict out) {
  for (int b = 0; b < B; b++) {
    float *restrict o = out + (size_t)b * E;
    for (int e = 0; e < E; e++) o[e] = 0.0f;
    for (int l = 0; l < L; l++) {
      int32_t id = ids[(size_t)b * L + l];
      float wt = w[(size_t)b * L + l];
      if (id < 0 || id >= V || wt == 0.0f) continue;
      const float *restrict row = table + (size_t)id * E;
      for (int e = 0; e < E; e++) o[e] += wt * row[e];
    }
  }
}

/* The table's gradient: dtable [V, E] = 0, then dtable[ids[b, l], :] += w[b, l] * dy[b, :]. */
void drnn_bag_sum_grad(const float *restrict dy, int E, const int32_t *restrict ids, const float *restrict w, int B, int L, int V, float *restrict dtable) {
  for (size_t j = 0; j < (size_t)V * E; j++) dtable[j] = 0.0f;
  for (int b = 0; b < B; b++) {
    const float *restrict g = dy + (size_t)b * E;
    for (int l = 0; l < L; l++) {
      int32_t id = ids[(size_t)b * L + l];
      float wt = w[(size_t)b * L + l];
      if (id < 0 || id >= V || wt == 0.0f) continue;
      float *restrict d = dtable + (size_t)id * E;
      for (int e = 0; e < E; e++) d[e] += wt * g[e];
    }
  }
}

/*
 * A dropout mask: out[i] = 1/keep with probability keep, else 0, from the
 * mulberry32 generator seeded with `seed` (src/kernels/fused-js.ts computes
 * the same stream, so native and JavaScript draw identical masks).
 */
void drnn_dropout_mask(uint32_t seed, float keep, int n, float *restrict out) {
  uint32_t state = seed;
  float scale = 1.0f / keep;
  for (int i = 0; i < n; i++) {
    uint32_t t = (state += 0x6D2B79F5u);
    t = (t ^ (t >> 15)) * (t | 1u);
    t ^= t + (t ^ (t >> 7)) * (t | 61u);
    t ^= t >> 14;
    out[i] = (float)((double)t / 4294967296.0) < keep ? scale : 0.0f;
  }
}

/* out = a * b elementwise (a dropout mask applied to a layer's input). */
void drnn_mul(const float *restrict a, const float *restrict b, int n, float *restrict out) {
  for (int i = 0; i < n; i++) out[i] = a[i] * b[i];
}

/* out += a * b elementwise (a gradient through a dropout mask, accumulated). */
void drnn_mul_add(const float *restrict a, const float *restrict b, int n, float *restrict out) {
  for (int i = 0; i < n; i++) out[i] += a[i] * b[i];
}
