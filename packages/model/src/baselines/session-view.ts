// What a baseline may know about a prefix sample: the items of the pages
// viewed so far in this session (in order) and the user's purchases before
// the session. Every item of the candidate set can be ranked.
import { samplePrefixPages, type Dataset, type SplitName } from "@drnn/data";

export class SessionView {
  constructor(readonly dataset: Dataset) {}

  get itemCount(): number {
    return this.dataset.manifest.rankableItems;
  }

  /** Item ids of the pages viewed in the prefix of sample `s`, oldest first (pages showing no known item skipped). */
  prefixItems(s: number): number[] {
    const pageItems = this.dataset.columns.pageItems;
    const items: number[] = [];
    for (const page of samplePrefixPages(this.dataset, s).pages) {
      const item = pageItems[page] ?? -1;
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
