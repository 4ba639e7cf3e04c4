// A node's local copy of stored artifacts, under <dir>/<hash>/files. Entries
// appear only by an atomic rename of a finished, fsynced, hash-checked
// temporary directory, so a process killed mid-fetch leaves at most a
// temporary directory (swept later) and never a half-written entry; two
// processes fetching the same hash both finish, and the second rename just
// finds the entry already there. Each hit is checked against the per-file
// digests recorded when the blob was verified; a damaged entry is fetched
// again. Least recently used entries go first when the cache is over its bound.
import { randomBytes } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { ArtifactIntegrityError } from "./errors.js";
import { unpackTo, type PackedFile } from "./pack.js";
import { HASH_PATTERN, sha256, type ArtifactStore } from "./store.js";

const ENTRY_FILE = "entry.json";
const TMP = ".tmp";
const TRASH = ".trash";

export interface CacheEntry {
  hash: string;
  bytes: number;
  lastUsed: Date;
  files: PackedFile[];
}

export interface ArtifactCacheOptions {
  /** The cache's own directory (DRNN_ARTIFACTS_DIR/cache). */
  dir: string;
  store: ArtifactStore;
  /** Bound on the unpacked bytes kept; the least recently used go first. */
  maxBytes: number;
  /** How many times a blob failing its hash check is fetched before giving up. */
  attempts?: number;
  log?: (line: string) => void;
}

async function fileDigest(path: string): Promise<string> {
  const h = sha256();
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest("hex");
}

async function syncDir(path: string): Promise<void> {
  const fh = await open(path, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export class ArtifactCache {
  private readonly log: (line: string) => void;

  constructor(private readonly options: ArtifactCacheOptions) {
    this.log = options.log ?? (() => {});
    mkdirSync(join(options.dir, TMP), { recursive: true });
  }

  get dir(): string {
    return this.options.dir;
  }

  /** The directory holding the artifact's files, fetched from the store if this node has no good copy. */
  async fetch(hash: string, what?: string): Promise<string> {
    if (!HASH_PATTERN.test(hash)) throw new ArtifactIntegrityError(hash, "not a sha-256 hex digest");
    const entry = join(this.options.dir, hash);
    if (existsSync(entry)) {
      const problem = await this.check(hash);
      if (problem === null) return this.touch(hash);
      this.log(`cache entry ${hash.slice(0, 12)} is damaged (${problem}): fetching it again`);
      this.discard(hash);
    }
    this.sweep();
    const attempts = this.options.attempts ?? 2;
    for (let i = 1; ; i++) {
      try {
        await this.download(hash, what);
        break;
      } catch (err) {
        if (!(err instanceof ArtifactIntegrityError) || i >= attempts) throw err;
        this.log(`${err.message}: fetching it again (attempt ${i + 1} of ${attempts})`);
      }
    }
    this.evict(hash);
    return this.touch(hash);
  }

  /** Why the entry cannot be trusted, or null when every file matches its recorded digest. */
  async check(hash: string): Promise<string | null> {
    const dir = join(this.options.dir, hash);
    let entry: CacheEntry;
    try {
      entry = JSON.parse(readFileSync(join(dir, ENTRY_FILE), "utf8")) as CacheEntry;
    } catch {
      return `no readable ${ENTRY_FILE}`;
    }
    const present = readdirSync(join(dir, "files")).sort();
    const expected = entry.files.map((f) => f.name).sort();
    if (present.join("\n") !== expected.join("\n")) return `files ${present.join(", ")} instead of ${expected.join(", ")}`;
    for (const f of entry.files) {
      const path = join(dir, "files", f.name);
      if (statSync(path).size !== f.bytes) return `${f.name} has ${statSync(path).size} bytes, expected ${f.bytes}`;
      if ((await fileDigest(path)) !== f.sha256) return `${f.name} does not match its digest`;
    }
    return null;
  }

  private async download(hash: string, what?: string): Promise<void> {
    const tmp = join(this.options.dir, TMP, `${hash}.${process.pid}.${randomBytes(4).toString("hex")}`);
    mkdirSync(join(tmp, "files"), { recursive: true });
    try {
      const got = await unpackTo(this.options.store.get(hash), join(tmp, "files"), hash);
      if (got.hash !== hash) throw new ArtifactIntegrityError(hash, `${what ? `${what}: ` : ""}the ${got.bytes} bytes from ${this.options.store.location} hash to ${got.hash}`);
      const entry: CacheEntry = { hash, bytes: got.files.reduce((n, f) => n + f.bytes, 0), lastUsed: new Date(), files: got.files };
      writeFileSync(join(tmp, ENTRY_FILE), JSON.stringify(entry));
      await syncDir(join(tmp, "files"));
      await syncDir(tmp);
      this.publish(tmp, hash);
      await syncDir(this.options.dir);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }

  /** The atomic step. Another process may have published the same hash first: same bytes, keep theirs. */
  private publish(tmp: string, hash: string): void {
    try {
      renameSync(tmp, join(this.options.dir, hash));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "ENOTEMPTY" && code !== "EEXIST") throw err;
    }
  }

  private touch(hash: string): string {
    const dir = join(this.options.dir, hash);
    const now = new Date();
    try {
      utimesSync(dir, now, now);
    } catch {
      // Evicted by another process meanwhile: the caller's next fetch brings it back.
    }
    return join(dir, "files");
  }

  /** Moves an entry out of the way first, so no reader ever sees it half-deleted. */
  private discard(hash: string): void {
    const trash = join(this.options.dir, TRASH);
    mkdirSync(trash, { recursive: true });
    const away = join(trash, `${hash}.${process.pid}.${randomBytes(4).toString("hex")}`);
    try {
      renameSync(join(this.options.dir, hash), away);
    } catch {
      return;
    }
    rmSync(away, { recursive: true, force: true });
  }

  /** Temporary directories of fetches whose process is gone (killed mid-fetch). */
  sweep(): string[] {
    const removed: string[] = [];
    for (const name of readdirSync(join(this.options.dir, TMP))) {
      const pid = Number(name.split(".")[1]);
      if (Number.isInteger(pid) && (pid === process.pid || pidAlive(pid))) continue;
      rmSync(join(this.options.dir, TMP, name), { recursive: true, force: true });
      removed.push(name);
    }
    return removed;
  }

  entries(): CacheEntry[] {
    const out: CacheEntry[] = [];
    for (const name of readdirSync(this.options.dir)) {
      if (!HASH_PATTERN.test(name)) continue;
      try {
        const entry = JSON.parse(readFileSync(join(this.options.dir, name, ENTRY_FILE), "utf8")) as CacheEntry;
        out.push({ ...entry, lastUsed: statSync(join(this.options.dir, name)).mtime });
      } catch {
        // Being evicted by another process.
      }
    }
    return out;
  }

  /** Drops least recently used entries until the cache fits its bound; `keep` (just fetched) stays. */
  evict(keep?: string): string[] {
    const entries = this.entries().sort((a, b) => a.lastUsed.getTime() - b.lastUsed.getTime());
    let total = entries.reduce((n, e) => n + e.bytes, 0);
    const removed: string[] = [];
    for (const e of entries) {
      if (total <= this.options.maxBytes) break;
      if (e.hash === keep) continue;
      this.discard(e.hash);
      total -= e.bytes;
      removed.push(e.hash);
      this.log(`cache over ${this.options.maxBytes} bytes: evicted ${e.hash.slice(0, 12)} (${e.bytes} bytes, last used ${e.lastUsed.toISOString()})`);
    }
    return removed;
  }
}
