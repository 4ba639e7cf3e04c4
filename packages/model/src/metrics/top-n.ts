/**
 * The `n` highest-scoring indices, best first; ties go to the lower index so
 * rankings are deterministic. O(length * n), fine for n = 20.
 */
export function topN(scores: ArrayLike<number>, n: number, exclude?: (index: number) => boolean): Int32Array {
  const best = new Int32Array(Math.min(n, scores.length)).fill(-1);
  const bestScore = new Float64Array(best.length).fill(-Infinity);
  let filled = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i] ?? -Infinity;
    if (exclude?.(i) || Number.isNaN(s)) continue;
    if (filled === best.length && s <= (bestScore[best.length - 1] ?? -Infinity)) continue;
    let pos = Math.min(filled, best.length - 1);
    while (pos > 0 && s > (bestScore[pos - 1] ?? -Infinity)) {
      best[pos] = best[pos - 1] ?? -1;
      bestScore[pos] = bestScore[pos - 1] ?? -Infinity;
      pos--;
    }
    best[pos] = i;
    bestScore[pos] = s;
    if (filled < best.length) filled++;
  }
  return filled === best.length ? best : best.subarray(0, filled);
}
