// Window and history state of a sample for any window size w. The dataset is
// prepared with one window k; when the chromosome's w differs, the window and
// V_bar are rebuilt from the session's own pages with @drnn/data's own rules
// (dwell as known at the newest page).
import { historyState, knownDwell, sampleHistory, samplePrefixPages, type Dataset, type HistoryState } from "@drnn/data";

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

  /** p_0..p_{j-1} of the sample's session with their dwell as known after p_{j-1}. */
  private sessionPrefix(s: number): { pages: Int32Array; dwell: Float32Array } {
    const { pages, sessionDwell } = samplePrefixPages(this.d, s);
    return { pages, dwell: knownDwell(sessionDwell, pages.length) };
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
