// The candidate set: which items a recommender may rank (DESIGN.md section 3).
// Every item of the log gets an id, so an item a session shows can always be
// ranked for that session (the copy mechanism and S-POP rank them, even one
// never seen in training). The first `generatorItems` ids are the items of
// the training period, the ones a softmax over items can learn:
// - "seen" (default): viewed or bought in a session that started before the
//   validation period, at least `minItemCount` times;
// - "bought": bought in that period, the paper's N, kept for replication (on
//   the YOOCHOOSE sample it leaves 66 % of test purchases to the copy alone).
// Counts come from the training period only, never from later records.
import { closeSync, openSync, readSync } from "node:fs";
import { BinaryWriter } from "./binary.js";
import { DataInputError } from "./errors.js";
import { compareStrings } from "./vocabulary.js";

export const ITEM_SETS = ["seen", "bought"] as const;
export type ItemSetName = (typeof ITEM_SETS)[number];

export interface CandidateSetOptions {
  itemSet: ItemSetName;
  /** Training-period events an item needs to be a generator item (default 1). */
  minItemCount: number;
}

export const DEFAULT_CANDIDATE_SET: CandidateSetOptions = { itemSet: "seen", minItemCount: 1 };

export function isItemSetName(s: string): s is ItemSetName {
  return (ITEM_SETS as readonly string[]).includes(s);
}

export interface CandidateSet {
  /** Provisional (interner) item id -> final id; every item has one. */
  remap: Int32Array;
  /** Final id -> item string. */
  strings: string[];
  /** Ids [0, generatorItems) are the items of the training period (the model's softmax). */
  generatorItems: number;
  /** Per final id: views and purchases in the training period. */
  trainViews: Int32Array;
  trainBuys: Int32Array;
}

/**
 * Item events of every session (viewed or bought), kept on disk until the
 * split fixes where the training period ends. Record layout: f64 start,
 * u32 views, u32 buys, i32[views + buys] provisional item ids.
 */
export class ItemActivity {
  private readonly out: BinaryWriter;

  constructor(readonly path: string) {
    this.out = new BinaryWriter(path);
  }

  record(start: number, viewed: readonly number[], bought: ArrayLike<number>): void {
    this.out.f64(start);
    this.out.u32(viewed.length);
    this.out.u32(bought.length);
    for (const item of viewed) this.out.i32(item);
    for (let i = 0; i < bought.length; i++) this.out.i32(bought[i] ?? -1);
  }

  finish(): void {
    this.out.close();
  }

  /** Views and purchases per provisional item over the sessions that started before `until`. */
  countBefore(until: number, items: number): { views: Int32Array; buys: Int32Array } {
    const views = new Int32Array(items);
    const buys = new Int32Array(items);
    forEachRecord(this.path, (start, nViews, ids) => {
      if (!(start < until)) return;
      for (let i = 0; i < ids.length; i++) {
        const item = ids[i] ?? -1;
        if (item < 0 || item >= items) continue;
        if (i < nViews) views[item] = (views[item] ?? 0) + 1;
        else buys[item] = (buys[item] ?? 0) + 1;
      }
    });
    return { views, buys };
  }
}

/** Streams the records in 1 MiB chunks, so memory stays bounded whatever the log's size. */
function forEachRecord(path: string, visit: (start: number, views: number, ids: Int32Array) => void): void {
  const fd = openSync(path, "r");
  try {
    let buf = Buffer.alloc(1 << 20);
    let have = 0;
    let position = 0;
    for (;;) {
      const read = readSync(fd, buf, have, buf.length - have, position);
      position += read;
      have += read;
      let at = 0;
      while (have - at >= 16) {
        const n = buf.readUInt32LE(at + 8) + buf.readUInt32LE(at + 12);
        const size = 16 + 4 * n;
        if (have - at < size) break;
        const ids = new Int32Array(n);
        for (let i = 0; i < n; i++) ids[i] = buf.readInt32LE(at + 16 + 4 * i);
        visit(buf.readDoubleLE(at), buf.readUInt32LE(at + 8), ids);
        at += size;
      }
      buf.copy(buf, 0, at, have);
      have -= at;
      if (read === 0) break;
      // One session bigger than the buffer: grow it for that record.
      if (have === buf.length) buf = Buffer.concat([buf, Buffer.alloc(buf.length)]);
    }
    if (have !== 0) throw new DataInputError(`${path}: item activity spill ends in a partial record`);
  } finally {
    closeSync(fd);
  }
}

/** Numbers the items: training-period items by count (ties by string), then the rest by string. */
export function buildCandidateSet(strings: readonly string[], counts: { views: Int32Array; buys: Int32Array }, o: CandidateSetOptions): CandidateSet {
  if (!Number.isInteger(o.minItemCount) || o.minItemCount < 1) throw new DataInputError(`minItemCount must be an integer >= 1, got ${o.minItemCount}`);
  const weight = (id: number): number => (o.itemSet === "bought" ? 0 : (counts.views[id] ?? 0)) + (counts.buys[id] ?? 0);
  const generator: number[] = [];
  const rest: number[] = [];
  for (let id = 0; id < strings.length; id++) (weight(id) >= o.minItemCount ? generator : rest).push(id);
  generator.sort((a, b) => weight(b) - weight(a) || compareStrings(strings[a] ?? "", strings[b] ?? ""));
  rest.sort((a, b) => compareStrings(strings[a] ?? "", strings[b] ?? ""));
  const order = [...generator, ...rest];
  const remap = new Int32Array(strings.length).fill(-1);
  order.forEach((id, final) => (remap[id] = final));
  return {
    remap,
    strings: order.map((id) => strings[id] ?? ""),
    generatorItems: generator.length,
    trainViews: Int32Array.from(order, (id) => counts.views[id] ?? 0),
    trainBuys: Int32Array.from(order, (id) => counts.buys[id] ?? 0),
  };
}
