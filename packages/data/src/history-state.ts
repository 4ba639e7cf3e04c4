// The history state (paper section III.C, DESIGN.md section 3). When a prefix
// is longer than the window k, its older pages p_0..p_m collapse into one
// input V_bar = sum_i eps_i V_i with the aging factor, as the paper writes it:
//   eps_i = theta(p_i) / sum_{j=i}^{m} theta(p_j)
// so the newest collapsed page has eps_m = 1 and older pages, whose dwell is
// shared with everything read after them, weigh less.

/** eps_0..eps_m for the first `count` = m+1 pages with dwell `theta`. */
export function agingFactors(theta: ArrayLike<number>, count: number): Float64Array {
  const eps = new Float64Array(count);
  let suffix = 0;
  for (let i = count - 1; i >= 0; i--) {
    const t = theta[i] ?? 0;
    suffix += t;
    // All-zero dwell: the limit of equal dwell times, 1 / (terms in the sum).
    eps[i] = suffix > 0 ? t / suffix : 1 / (count - i);
  }
  return eps;
}

/** V_bar as a sparse vector over pages: distinct page ids (first-seen order) and summed weights. */
export interface HistoryState {
  pages: Int32Array;
  weights: Float32Array;
}

export const EMPTY_HISTORY: HistoryState = { pages: new Int32Array(0), weights: new Float32Array(0) };

/** The history state of the first `count` pages (count = prefix length - k). */
export function historyState(pages: ArrayLike<number>, theta: ArrayLike<number>, count: number): HistoryState {
  if (count <= 0) return EMPTY_HISTORY;
  const eps = agingFactors(theta, count);
  const ids: number[] = [];
  const weights: number[] = [];
  // Page -> its entry; a Map, not indexOf, so a long prefix costs O(count), not O(count x distinct pages).
  const slot = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const page = pages[i] ?? 0;
    // V_bar is linear in V_i, so a page seen twice is one entry with the summed weight.
    const at = slot.get(page);
    if (at !== undefined) weights[at] = (weights[at] ?? 0) + (eps[i] ?? 0);
    else {
      slot.set(page, ids.length);
      ids.push(page);
      weights.push(eps[i] ?? 0);
    }
  }
  return { pages: Int32Array.from(ids), weights: Float32Array.from(weights) };
}
