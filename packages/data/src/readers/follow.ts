// Lines of a growing log (`drnn ingest --follow`), with the byte offset after
// each line, so a consumer can commit "read up to here" and a restart can
// seek straight back to it. Only whole lines come out: a last line without
// its newline waits for the rest (or, at the end of a log that is not
// followed, comes out as it is). Like `tail -f`, a followed file is polled.
import { open, stat } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { DataInputError } from "../errors.js";
import { DEFAULT_MAX_LINE_LENGTH } from "./lines.js";

export interface FollowedLine {
  /** The line without its line break; null when it was longer than the limit (skipped unread). */
  text: string | null;
  /** 1-based line number in the whole input. */
  line: number;
  /** Byte offset just after this line (its newline included). */
  end: number;
}

export interface FollowOptions {
  /** Byte offset to start at (a committed cursor); default 0. */
  fromByte?: number;
  /** Lines before `fromByte`, so line numbers go on where they were. */
  fromLine?: number;
  /** Keep waiting for new lines at the end (default false: stop at the end). */
  follow?: boolean;
  /** How often a followed file is checked for growth, ms (default 200). */
  pollMs?: number;
  /** Longest line kept, bytes; a longer one comes out with text null. */
  maxLineLength?: number;
  /** Stops the generator at the next chunk or poll. */
  signal?: AbortSignal;
  /** Bytes per read (default 1 MiB). */
  chunkBytes?: number;
}

/** Splits byte chunks into lines, counting offsets; a line's bytes are decoded whole (UTF-8 safe). */
class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private overlong = false;

  constructor(
    private offset: number,
    private line: number,
    private readonly maxBytes: number,
  ) {}

  push(chunk: Buffer): FollowedLine[] {
    const out: FollowedLine[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl >= 0; nl = chunk.indexOf(10, start)) {
      this.hold(chunk.subarray(start, nl));
      this.offset += nl - start + 1;
      start = nl + 1;
      out.push(this.take());
    }
    const rest = chunk.subarray(start);
    this.hold(rest);
    this.offset += rest.length;
    return out;
  }

  /** The unterminated last line, if any (the end of a log that is not followed). */
  finish(): FollowedLine[] {
    return this.pendingBytes > 0 || this.overlong ? [this.take()] : [];
  }

  /** Offset just after the last whole line handed out. */
  get committedEnd(): number {
    return this.offset - this.pendingBytes;
  }

  private hold(bytes: Buffer): void {
    if (this.overlong || bytes.length === 0) return;
    if (this.pendingBytes + bytes.length > this.maxBytes) {
      this.overlong = true;
      this.pending = [];
      this.pendingBytes = 0;
      return;
    }
    this.pending.push(Buffer.from(bytes));
    this.pendingBytes += bytes.length;
  }

  private take(): FollowedLine {
    this.line++;
    let text: string | null = null;
    if (!this.overlong) {
      text = Buffer.concat(this.pending).toString("utf8");
      if (text.endsWith("\r")) text = text.slice(0, -1);
    }
    this.pending = [];
    this.pendingBytes = 0;
    this.overlong = false;
    return { text, line: this.line, end: this.offset };
  }
}

/**
 * Lines of a file from `fromByte` on, in batches (one per read). Following,
 * an empty batch comes out each time the file was checked and had not grown,
 * so the consumer can do its idle work (commit, advance clocks).
 * A file that shrinks below what was read was truncated or replaced: that is
 * an error, not something to guess about.
 */
export async function* followFile(path: string, o: FollowOptions = {}): AsyncGenerator<FollowedLine[]> {
  if (path.endsWith(".gz")) throw new DataInputError(`${path}: a compressed log cannot be followed by byte offset; decompress it or pipe it to '-'`);
  const handle = await open(path, "r").catch((err: unknown) => {
    throw new DataInputError(`cannot open ${path}: ${err instanceof Error ? err.message : String(err)}`);
  });
  try {
    let position = o.fromByte ?? 0;
    const size = (await handle.stat()).size;
    if (position > size) throw new DataInputError(`${path} has ${size} bytes but ${position} were read before: the file was truncated or replaced`);
    const splitter = new LineSplitter(position, o.fromLine ?? 0, o.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH);
    const buf = Buffer.alloc(o.chunkBytes ?? 1 << 20);
    while (o.signal?.aborted !== true) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, position);
      if (bytesRead > 0) {
        position += bytesRead;
        yield splitter.push(buf.subarray(0, bytesRead));
        continue;
      }
      if (!(o.follow ?? false)) {
        yield splitter.finish();
        return;
      }
      const now = (await stat(path)).size;
      if (now < splitter.committedEnd) throw new DataInputError(`${path} shrank to ${now} bytes below the ${splitter.committedEnd} read: the file was truncated or replaced`);
      yield [];
      await sleep(o.pollMs ?? 200, undefined, { signal: o.signal }).catch(() => undefined);
    }
  } finally {
    await handle.close();
  }
}

/** Lines of a stream (standard input), offsets counted from its first byte. */
export async function* followStream(input: AsyncIterable<Buffer | string>, o: Pick<FollowOptions, "maxLineLength" | "signal"> = {}): AsyncGenerator<FollowedLine[]> {
  const splitter = new LineSplitter(0, 0, o.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH);
  for await (const chunk of input) {
    yield splitter.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
    if (o.signal?.aborted === true) return;
  }
  yield splitter.finish();
}
