// The little dense algebra ALS needs: k x k symmetric positive definite
// systems, solved by Cholesky. k is small (tens), so plain loops are fine.

/** Solves A x = b in place of `b` for SPD `A` (row-major k x k, overwritten). */
export function choleskySolve(a: Float64Array, b: Float64Array, k: number): Float64Array {
  for (let j = 0; j < k; j++) {
    let d = a[j * k + j] ?? 0;
    for (let p = 0; p < j; p++) d -= (a[j * k + p] ?? 0) ** 2;
    if (d <= 0) throw new Error("matrix is not positive definite");
    const l = Math.sqrt(d);
    a[j * k + j] = l;
    for (let i = j + 1; i < k; i++) {
      let s = a[i * k + j] ?? 0;
      for (let p = 0; p < j; p++) s -= (a[i * k + p] ?? 0) * (a[j * k + p] ?? 0);
      a[i * k + j] = s / l;
    }
  }
  for (let i = 0; i < k; i++) {
    let s = b[i] ?? 0;
    for (let p = 0; p < i; p++) s -= (a[i * k + p] ?? 0) * (b[p] ?? 0);
    b[i] = s / (a[i * k + i] ?? 1);
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = b[i] ?? 0;
    for (let p = i + 1; p < k; p++) s -= (a[p * k + i] ?? 0) * (b[p] ?? 0);
    b[i] = s / (a[i * k + i] ?? 1);
  }
  return b;
}

/** G = F^T F for the rows of F (n x k, row-major). */
export function gram(f: Float64Array, n: number, k: number): Float64Array {
  const g = new Float64Array(k * k);
  for (let r = 0; r < n; r++) {
    const o = r * k;
    for (let i = 0; i < k; i++) {
      const fi = f[o + i] ?? 0;
      if (fi === 0) continue;
      for (let j = 0; j < k; j++) g[i * k + j] = (g[i * k + j] ?? 0) + fi * (f[o + j] ?? 0);
    }
  }
  return g;
}
