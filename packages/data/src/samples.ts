// Prefix samples (paper section III.E.1, the "shortened paths"): a session
// with n input pages gives n samples p_0..p_{j-1} -> I for j = 1..n, so the
// model learns to predict the purchase as early as possible. The last k
// pages of a prefix fill the window; older ones collapse into the history state.
// Every feature of sample j comes from the records up to its newest page
// p_{j-1}: that page's dwell is not known yet and gets the stand-in (knownDwell).
import { historyState, type HistoryState } from "./history-state.js";
import { DEFAULT_DWELL, knownDwell, type DwellOptions } from "./session.js";
import { PAGE_PAD } from "./vocabulary.js";

export interface PrefixSample {
  /** j: the number of pages seen so far (1..n). */
  prefix: number;
  /** k page ids, oldest first, left-padded with PAGE_PAD when j < k. */
  window: Int32Array;
  /** Dwell (seconds) of the window pages as known at the newest page, 0 at padding. */
  dwell: Float32Array;
  /** V_bar of pages p_0..p_{j-k-1}; empty when j <= k. */
  history: HistoryState;
}

export function* prefixSamples(pages: ArrayLike<number>, sessionDwell: ArrayLike<number>, k: number, dwellOptions: DwellOptions = DEFAULT_DWELL): Generator<PrefixSample> {
  for (let j = 1; j <= pages.length; j++) {
    const dwell = knownDwell(sessionDwell, j, dwellOptions);
    const window = new Int32Array(k).fill(PAGE_PAD);
    const windowDwell = new Float32Array(k);
    const from = Math.max(0, j - k);
    const pad = k - (j - from);
    for (let t = from; t < j; t++) {
      window[pad + t - from] = pages[t] ?? PAGE_PAD;
      windowDwell[pad + t - from] = dwell[t] ?? 0;
    }
    yield { prefix: j, window, dwell: windowDwell, history: historyState(pages, dwell, j - k) };
  }
}
