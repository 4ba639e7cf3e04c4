// A batch of closed sessions as an in-memory Dataset against a fixed model
// vocabulary, with the samples, history states and split that `data prepare`
// writes (the same SessionTable). An item the vocabulary does not know gets an
// id after its items, outside the generator, so a purchase of it still counts
// (as a miss for a model that cannot rank it) and every model scored on the
// same sessions scores the same samples. A page it does not know gets an id
// after its pages, with the item it shows in pageItems: the model's embedding
// reads it as the out-of-vocabulary page (embeddingPage), but its item stays
// a copy candidate, since the copy's slot features do not depend on the item.
import { createHash } from "node:crypto";
import { ARTIFACT_VERSION, ARTIFACT_FILES, type ColumnName, type Dataset, type DatasetColumns, type DType } from "../artifact.js";
import { DEFAULT_CANDIDATE_SET } from "../candidate-set.js";
import { DEFAULT_SESSIONIZER, type SessionizerOptions } from "../sessionizer.js";
import { SessionTable, type ColumnSink, type ColumnSinks } from "../session-columns.js";
import { splitOfRank, type SplitRatios } from "../split.js";
import { indexOf, type ModelVocabulary } from "./model-vocabulary.js";
import { purchaseSessionsInOrder, sessionOf, type ClosedSession } from "./sessions.js";

/** A column in memory (a growable array turned into its typed array at the end). */
export class MemoryColumn implements ColumnSink {
  readonly values: number[] = [];
  get length(): number {
    return this.values.length;
  }
  push(v: number): void {
    this.values.push(v);
  }
  pushAll(values: ArrayLike<number>): void {
    for (let i = 0; i < values.length; i++) this.values.push(values[i] ?? 0);
  }
  typed(dtype: DType): Int32Array | Float32Array | Float64Array | Uint8Array {
    if (dtype === "i32") return Int32Array.from(this.values);
    if (dtype === "f32") return Float32Array.from(this.values);
    if (dtype === "f64") return Float64Array.from(this.values);
    return Uint8Array.from(this.values);
  }
}

export interface SessionDatasetOptions {
  /** k, the model's window. */
  window: number;
  /** Shares of train and val in time order; the rest is the test split (the holdout). */
  split: SplitRatios;
  sessionizer?: SessionizerOptions;
}

export function sessionDataset(sessions: readonly ClosedSession[], vocab: ModelVocabulary, o: SessionDatasetOptions): Dataset {
  const sessionizer = o.sessionizer ?? DEFAULT_SESSIONIZER;
  const pages = indexOf(vocab.pages);
  const items = indexOf(vocab.items);
  const extraItems: string[] = [];
  const extraPages: string[] = [];
  const extraPageItems: number[] = [];
  const item = (i: string) => {
    let id = items.get(i);
    if (id === undefined) {
      id = vocab.items.length + extraItems.length;
      items.set(i, id);
      extraItems.push(i);
    }
    return id;
  };
  const ids = {
    page: (p: string, itemId: string | undefined) => {
      let id = pages.get(p);
      if (id === undefined) {
        id = vocab.pages.length + extraPages.length;
        pages.set(p, id);
        extraPages.push(p);
        extraPageItems.push(itemId === undefined ? -1 : item(itemId));
      }
      return id;
    },
    item,
  };
  const { order, valFrom, testFrom } = purchaseSessionsInOrder(
    sessions.map((s) => sessionOf(s, ids, sessionizer.dwell)),
    o.split,
  );
  const sinks = Object.fromEntries(Object.keys(ARTIFACT_FILES).map((name) => [name, new MemoryColumn()])) as Record<ColumnName, MemoryColumn>;
  const table = new SessionTable(sinks as ColumnSinks, o.window, sessionizer.dwell);
  order.forEach((s, r) => table.add({ ...s, targets: Array.from(s.bought) }, splitOfRank(r, { valFrom, testFrom })));
  const splits = table.finishRanges();
  const rankable = vocab.items.length + extraItems.length;
  sinks.pageItems.pushAll(padded(vocab.pageItems, vocab.pages.length, -1));
  sinks.pageItems.pushAll(extraPageItems);
  sinks.itemTrainViews.pushAll(padded(vocab.itemTrainViews, rankable));
  sinks.itemTrainBuys.pushAll(padded(vocab.itemTrainBuys, rankable));
  const columns = Object.fromEntries(Object.entries(ARTIFACT_FILES).map(([name, spec]) => [name, sinks[name as ColumnName].typed(spec.dtype)])) as DatasetColumns;
  const hash = createHash("sha256");
  for (const s of order) hash.update(`${s.sourceId}\0${s.start}\n`);
  return {
    dir: "(memory)",
    manifest: {
      kind: "drnn-dataset",
      version: ARTIFACT_VERSION,
      source: { format: "online", files: [] },
      options: {
        window: o.window,
        gapMinutes: sessionizer.gapMs / 60_000,
        splitSourceSessions: sessionizer.splitSourceSessions,
        minPageCount: 1,
        dwellCapMinutes: sessionizer.dwell.capMs / 60_000,
        split: { train: o.split.train, val: o.split.val, test: 1 - o.split.train - o.split.val },
        itemSet: DEFAULT_CANDIDATE_SET.itemSet,
        minItemCount: DEFAULT_CANDIDATE_SET.minItemCount,
      },
      pageVocabulary: vocab.pages.length,
      itemVocabulary: vocab.generatorItems,
      rankableItems: rankable,
      samples: table.samples,
      stats: statsOf(sessions.length, order, table.users.length),
      splits,
      files: [],
      contentHash: hash.digest("hex"),
    },
    columns,
    pages: [...vocab.pages, ...extraPages],
    items: [...vocab.items, ...extraItems],
    users: table.users,
    sessionIds: table.sessionIds,
  };
}

function padded(values: ArrayLike<number>, length: number, fill = 0): Int32Array {
  const out = new Int32Array(length).fill(fill);
  for (let i = 0; i < Math.min(length, values.length); i++) out[i] = values[i] ?? 0;
  return out;
}

function statsOf(sessions: number, order: readonly { start: number }[], users: number) {
  return {
    records: 0,
    badRecords: 0,
    sessions,
    purchaseSessions: order.length,
    sampleSessions: order.length,
    users,
    firstTimestamp: order[0]?.start ?? 0,
    lastTimestamp: order[order.length - 1]?.start ?? 0,
  };
}
