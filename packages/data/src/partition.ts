// Pass 1 of the sessionizer: an external hash partition. Every record goes
// to one of B bucket files by its grouping key (source session id, else user
// id), so one bucket at a time holds all records of its sessions, whatever
// order the input came in (YOOCHOOSE's clicks and buys are two files).
// B grows with the input size, so each bucket, and the memory it takes to
// sessionize it, stays about the same size: flat memory at any input size.
import { join } from "node:path";
import { BinaryWriter } from "./binary.js";
import type { LogRecord } from "./record.js";
import { EVENT_CODE } from "./session.js";
import { groupKey } from "./session-rules.js";

/** Input bytes per bucket: ~100k YOOCHOOSE rows, a few MB of columns in memory. */
export const BUCKET_INPUT_BYTES = 4 << 20;

export function bucketCount(inputBytes: number): number {
  return Math.max(1, Math.ceil(inputBytes / BUCKET_INPUT_BYTES));
}


/** FNV-1a: stable across runs and machines, unlike anything seeded. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Partitioner {
  private readonly writers: BinaryWriter[];
  private seq = 0;

  constructor(dir: string, readonly buckets: number) {
    this.writers = Array.from({ length: buckets }, (_, i) => new BinaryWriter(join(dir, `bucket-${i}.bin`)));
  }

  /**
   * Record layout: u32 seq, f64 ts, i32 page, i32 item, u8 event, u8 fromSession,
   * str key, str user. `seq` (input order) breaks timestamp ties the same way every run.
   */
  add(r: LogRecord, page: number, item: number): boolean {
    const g = groupKey(r);
    if (g === undefined) return false;
    const w = this.writers[hashString(g.key) % this.buckets];
    if (w === undefined) return false;
    w.u32(this.seq++);
    w.f64(r.timestamp);
    w.i32(page);
    w.i32(item);
    w.u8(EVENT_CODE[r.event]);
    w.u8(g.fromSession ? 1 : 0);
    w.str(g.key);
    w.str(r.userId ?? "");
    return true;
  }

  /** Closes the files and returns their paths in bucket order. */
  finish(): string[] {
    for (const w of this.writers) w.close();
    return this.writers.map((w) => w.path);
  }
}
