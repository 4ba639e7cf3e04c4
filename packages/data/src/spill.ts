// Purchase sessions wait on disk between sessionizing (bucket order) and the
// time-ordered pass (split, vocabulary, samples): only a small index per
// session stays in memory, and each session is read back by offset.
import { closeSync, openSync, readSync } from "node:fs";
import { BinaryReader, BinaryWriter } from "./binary.js";
import type { Session } from "./session.js";

export class SessionSpill {
  private readonly out: BinaryWriter;
  readonly starts: number[] = [];
  private readonly offsets: number[] = [];
  private readonly lengths: number[] = [];
  private fd = -1;

  constructor(readonly path: string) {
    this.out = new BinaryWriter(path);
  }

  get size(): number {
    return this.starts.length;
  }

  /** Layout: str sourceId, str user, f64 start, u32 n, u32 b, i32[n] pages, f32[n] dwell, i32[b] bought. */
  write(s: Session): void {
    const at = this.out.bytes;
    this.out.str(s.sourceId);
    this.out.str(s.userId ?? "");
    this.out.f64(s.start);
    this.out.u32(s.inputPages.length);
    this.out.u32(s.bought.length);
    for (const p of s.inputPages) this.out.i32(p);
    for (const d of s.dwell) this.out.f32(d);
    for (const b of s.bought) this.out.i32(b);
    this.starts.push(s.start);
    this.offsets.push(at);
    this.lengths.push(this.out.bytes - at);
  }

  finishWriting(): void {
    this.out.close();
    this.fd = openSync(this.path, "r");
  }

  read(i: number): Session {
    const buf = Buffer.allocUnsafe(this.lengths[i] ?? 0);
    readSync(this.fd, buf, 0, buf.length, this.offsets[i] ?? 0);
    const r = new BinaryReader(buf);
    const sourceId = r.str();
    const user = r.str();
    const start = r.f64();
    const n = r.u32();
    const b = r.u32();
    const inputPages = new Int32Array(n);
    const dwell = new Float32Array(n);
    const bought = new Int32Array(b);
    for (let j = 0; j < n; j++) inputPages[j] = r.i32();
    for (let j = 0; j < n; j++) dwell[j] = r.f32();
    for (let j = 0; j < b; j++) bought[j] = r.i32();
    return { sourceId, userId: user === "" ? undefined : user, start, viewCount: n, inputPages, dwell, bought };
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}
