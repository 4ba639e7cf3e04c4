// Buffered binary writing and reading for the temporary partition and spill
// files: fixed-width numbers and length-prefixed UTF-8 strings.
import { closeSync, openSync, writeSync } from "node:fs";

const CHUNK = 1 << 18;

export class BinaryWriter {
  private buf = Buffer.allocUnsafe(CHUNK);
  private pos = 0;
  private readonly fd: number;
  /** Bytes written so far, flushed or not. */
  bytes = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, "w");
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
  }

  u8(v: number): void { this.room(1); this.buf[this.pos++] = v; this.bytes += 1; }
  u32(v: number): void { this.room(4); this.buf.writeUInt32LE(v, this.pos); this.pos += 4; this.bytes += 4; }
  i32(v: number): void { this.room(4); this.buf.writeInt32LE(v, this.pos); this.pos += 4; this.bytes += 4; }
  f32(v: number): void { this.room(4); this.buf.writeFloatLE(v, this.pos); this.pos += 4; this.bytes += 4; }
  f64(v: number): void { this.room(8); this.buf.writeDoubleLE(v, this.pos); this.pos += 8; this.bytes += 8; }

  /** A string of up to 65,535 UTF-8 bytes, longer ones cut (ids and URLs are shorter). */
  str(s: string): void {
    const max = Buffer.byteLength(s) > 0xffff ? 0xffff : Buffer.byteLength(s);
    this.room(2 + max);
    const n = this.buf.write(s, this.pos + 2, max, "utf8");
    this.buf.writeUInt16LE(n, this.pos);
    this.pos += 2 + n;
    this.bytes += 2 + n;
  }

  flush(): void {
    if (this.pos > 0) writeSync(this.fd, this.buf, 0, this.pos);
    this.pos = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

export class BinaryReader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}
  get done(): boolean { return this.pos >= this.buf.length; }
  u8(): number { return this.buf[this.pos++] ?? 0; }
  u32(): number { const v = this.buf.readUInt32LE(this.pos); this.pos += 4; return v; }
  i32(): number { const v = this.buf.readInt32LE(this.pos); this.pos += 4; return v; }
  f32(): number { const v = this.buf.readFloatLE(this.pos); this.pos += 4; return v; }
  f64(): number { const v = this.buf.readDoubleLE(this.pos); this.pos += 8; return v; }
  str(): string {
    const n = this.buf.readUInt16LE(this.pos);
    if (n === 0) {
      this.pos += 2;
      return "";
    }
    const s = this.buf.toString("utf8", this.pos + 2, this.pos + 2 + n);
    this.pos += 2 + n;
    return s;
  }
}
