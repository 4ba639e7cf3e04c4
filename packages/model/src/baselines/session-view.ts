// What a baseline may know about a prefix sample: the items of the pages
// viewed so far in this session (in order) and the user's purchases before
// the session. The artifact stores a window per sample; the full prefix is
// rebuilt from the last window page of each earlier sample of the session,
// since sample j of a session is the prefix p_0..p_{j-1}.
import type { Dataset, SplitName } from "@drnn/data";

export class SessionView {
  constructor(readonly dataset: Dataset) {}

  get itemCount(): number {
    return this.dataset.manifest.itemVocabulary;
  }

  /** Item ids of the pages viewed in the prefix of sample `s`, oldest first (pages showing no known item skipped). */
  prefixItems(s: number): number[] {
    const c = this.dataset.columns;
    const k = this.dataset.manifest.options.window;
    const session = c.sampleSession[s] ?? 0;
    const first = c.sampleOffsets[session] ?? 0;
    const prefix = c.samplePrefix[s] ?? 0;
    const items: number[] = [];
    for (let j = 0; j < prefix; j++) {
      const page = c.sampleWindow[(first + j) * k + k - 1] ?? 0;
      const item = c.pageItems[page] ?? -1;
      if (item >= 0) items.push(item);
    }
    return items;
  }

  /** Items the session's user bought in earlier sessions (empty without user ids). */
  historyItems(session: number): Int32Array {
    const c = this.dataset.columns;
    return c.purchaseItems.subarray(c.purchaseOffsets[session] ?? 0, c.purchaseOffsets[session + 1] ?? 0);
  }

  /** Items bought in a session: the ground truth, only ever read for training sessions. */
  boughtItems(session: number): Int32Array {
    const c = this.dataset.columns;
    return c.targetItems.subarray(c.targetOffsets[session] ?? 0, c.targetOffsets[session + 1] ?? 0);
  }

  /** Session indices of a split. */
  sessions(split: SplitName): number[] {
    const [from, to] = this.dataset.manifest.splits[split].sessions;
    return Array.from({ length: to - from }, (_, i) => from + i);
  }

  /** All item ids viewed in a session (its longest prefix). */
  sessionItems(session: number): number[] {
    const c = this.dataset.columns;
    const first = c.sampleOffsets[session] ?? 0;
    const last = (c.sampleOffsets[session + 1] ?? first) - 1;
    return last >= first ? this.prefixItems(last) : [];
  }

  /** How often each item was bought in the training split. */
  trainPopularity(): Float64Array {
    const counts = new Float64Array(this.itemCount);
    for (const session of this.sessions("train")) {
      for (const item of this.boughtItems(session)) if (item >= 0) counts[item] = (counts[item] ?? 0) + 1;
    }
    return counts;
  }
}
