// Window and history state of a sample for any window size w. The dataset is
// prepared with one window k; when the chromosome's w differs, the session's
// pages are recovered from its prefix samples (sample j's newest window page
// is p_{j-1}) and the window and V_bar are rebuilt with @drnn/data's own rule.
import { historyState, sampleHistory, type Dataset, type HistoryState } from "@drnn/data";

export interface SampleView {
  pages: Int32Array;
  dwell: Float32Array;
  history: HistoryState;
}

export class WindowReader {
  private readonly k: number;

  constructor(
    private readonly d: Dataset,
    private readonly w: number,
  ) {
    this.k = d.manifest.options.window;
  }

  read(s: number): SampleView {
    if (this.w === this.k) return this.native(s);
    return this.rebuilt(s);
  }

  private native(s: number): SampleView {
    const c = this.d.columns;
    const k = this.k;
    return { pages: c.sampleWindow.subarray(s * k, (s + 1) * k), dwell: c.sampleDwell.subarray(s * k, (s + 1) * k), history: sampleHistory(this.d, s) };
  }

  /** p_0..p_{j-1} of the sample's session with their dwell times. */
  private sessionPrefix(s: number): { pages: Int32Array; dwell: Float32Array } {
    const c = this.d.columns;
    const session = c.sampleSession[s] ?? 0;
    const first = c.sampleOffsets[session] ?? 0;
    const j = c.samplePrefix[s] ?? 1;
    const pages = new Int32Array(j);
    const dwell = new Float32Array(j);
    for (let t = 0; t < j; t++) {
      const newest = (first + t) * this.k + this.k - 1;
      pages[t] = c.sampleWindow[newest] ?? 0;
      dwell[t] = c.sampleDwell[newest] ?? 0;
    }
    return { pages, dwell };
  }

  private rebuilt(s: number): SampleView {
    const all = this.sessionPrefix(s);
    const j = all.pages.length;
    const pages = new Int32Array(this.w);
    const dwell = new Float32Array(this.w);
    for (let t = 0; t < this.w; t++) {
      const at = j - this.w + t;
      if (at >= 0) {
        pages[t] = all.pages[at] ?? 0;
        dwell[t] = all.dwell[at] ?? 0;
      }
    }
    return { pages, dwell, history: historyState(all.pages, all.dwell, j - this.w) };
  }
}
