// One purchase session -> its rows of the dataset columns: the session table
// (start, split, user, pages, dwell, targets, the user's earlier purchases)
// and its prefix samples with window and history state. `data prepare`
// writes these rows to files; the online loop keeps them in memory for a
// batch of new sessions. One function, so both build the same samples.
import type { ColumnName, SplitRange } from "./artifact.js";
import { prefixSamples } from "./samples.js";
import type { DwellOptions } from "./session.js";
import { SPLIT_CODE, type SplitName } from "./split.js";
import { PurchaseHistory } from "./user-history.js";

/** Where the values of one column go: a file (ColumnWriter) or memory (MemoryColumn). */
export interface ColumnSink {
  readonly length: number;
  push(v: number): void;
  pushAll(values: ArrayLike<number>): void;
}

export type ColumnSinks = { [C in ColumnName]: ColumnSink };

/** A purchase session with final page and item ids. */
export interface FinalSession {
  sourceId: string;
  userId: string | undefined;
  start: number;
  inputPages: ArrayLike<number>;
  dwell: ArrayLike<number>;
  /** Final item ids of the items bought (I). */
  targets: readonly number[];
}

/** Appends sessions in time order and tracks users, session ids and split ranges. */
export class SessionTable {
  readonly history = new PurchaseHistory();
  readonly userIds = new Map<string, number>();
  readonly sessionIds: string[] = [];
  readonly ranges = { train: { sessions: [0, 0], samples: [0, 0] }, val: { sessions: [0, 0], samples: [0, 0] }, test: { sessions: [0, 0], samples: [0, 0] } } as Record<SplitName, SplitRange>;
  samples = 0;
  private rows = 0;
  private lastSplit: SplitName | undefined;

  constructor(
    readonly columns: ColumnSinks,
    private readonly window: number,
    private readonly dwell: DwellOptions,
  ) {
    for (const c of [columns.sampleOffsets, columns.targetOffsets, columns.purchaseOffsets, columns.historyOffsets, columns.sessionPageOffsets]) c.push(0);
  }

  add(s: FinalSession, split: SplitName): void {
    const c = this.columns;
    const r = this.rows++;
    if (split !== this.lastSplit) this.ranges[split] = { sessions: [r, r], samples: [this.samples, this.samples] };
    this.lastSplit = split;
    let user = -1;
    if (s.userId !== undefined) {
      user = this.userIds.get(s.userId) ?? this.userIds.size;
      this.userIds.set(s.userId, user);
    }
    c.purchaseItems.pushAll(this.history.before(s.userId));
    c.purchaseOffsets.push(c.purchaseItems.length);
    this.history.record(s.userId, s.targets);
    c.targetItems.pushAll(s.targets);
    c.targetOffsets.push(c.targetItems.length);
    c.sessionStart.push(s.start);
    c.sessionSplit.push(SPLIT_CODE[split]);
    c.sessionUser.push(user);
    c.sessionLength.push(s.inputPages.length);
    this.sessionIds.push(s.sourceId);
    c.sessionPages.pushAll(s.inputPages);
    c.sessionDwell.pushAll(s.dwell);
    c.sessionPageOffsets.push(c.sessionPages.length);
    for (const sample of prefixSamples(s.inputPages, s.dwell, this.window, this.dwell)) {
      c.sampleSession.push(r);
      c.samplePrefix.push(sample.prefix);
      c.sampleWindow.pushAll(sample.window);
      c.sampleDwell.pushAll(sample.dwell);
      c.historyPages.pushAll(sample.history.pages);
      c.historyWeights.pushAll(sample.history.weights);
      c.historyOffsets.push(c.historyPages.length);
      this.samples++;
    }
    c.sampleOffsets.push(this.samples);
    this.ranges[split].sessions[1] = r + 1;
    this.ranges[split].samples[1] = this.samples;
  }

  /** Empty splits still get a well-formed range at the end of what came before. */
  finishRanges(): Record<SplitName, SplitRange> {
    for (const name of ["val", "test"] as const) if (this.ranges[name].sessions[1] === 0) this.ranges[name] = { sessions: [this.rows, this.rows], samples: [this.samples, this.samples] };
    return this.ranges;
  }

  get users(): string[] {
    return [...this.userIds.keys()];
  }
}
