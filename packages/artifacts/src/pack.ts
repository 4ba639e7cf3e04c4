// A directory as one blob: a tar with every header fixed (sorted names, mode
// 0444, mtime 0, no owner), so the same files always give the same bytes and
// the same hash. Directories are flat (datasets and models are); whatever
// files a prepared dataset has are packed, so new columns need no change here.
import { createReadStream, readdirSync, statSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import * as tar from "tar-stream";
import { ArtifactIntegrityError, ArtifactPackError } from "./errors.js";
import { sha256 } from "./store.js";

export interface PackedFile {
  name: string;
  bytes: number;
  sha256: string;
}

const EPOCH = new Date(0);

/** The regular files of a flat directory, sorted; anything else is refused. */
export function packableFiles(dir: string): string[] {
  const names: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isFile()) throw new ArtifactPackError(`${join(dir, entry.name)}: only regular files can be packed (artifact directories are flat)`);
    names.push(entry.name);
  }
  if (names.length === 0) throw new ArtifactPackError(`${dir} is empty: nothing to pack`);
  return names.sort();
}

function addFile(pack: tar.Pack, dir: string, name: string): Promise<void> {
  const path = join(dir, name);
  return new Promise<void>((resolve, reject) => {
    const entry = pack.entry({ name, size: statSync(path).size, mode: 0o444, mtime: EPOCH, uid: 0, gid: 0, uname: "", gname: "", type: "file" }, (err) => (err ? reject(err) : resolve()));
    const file = createReadStream(path);
    file.on("error", (err) => (entry.destroy(err), reject(err)));
    file.pipe(entry);
  });
}

/** The directory packed, as a byte stream. */
export function packDirectory(dir: string): AsyncIterable<Uint8Array> {
  const files = packableFiles(dir);
  const pack = tar.pack();
  void (async () => {
    for (const name of files) await addFile(pack, dir, name);
    pack.finalize();
  })().catch((err: unknown) => pack.destroy(err instanceof Error ? err : new Error(String(err))));
  return pack;
}

/** The sha-256 and size of a directory's packed form, without storing it. */
export async function hashDirectory(dir: string): Promise<{ hash: string; bytes: number }> {
  const h = sha256();
  let bytes = 0;
  for await (const chunk of packDirectory(dir)) {
    h.update(chunk);
    bytes += chunk.length;
  }
  return { hash: h.digest("hex"), bytes };
}

/** Only plain names: a blob must never write outside the directory it is unpacked into. */
function safeName(header: tar.Headers, hash: string): string {
  const name = header.name;
  if (header.type !== "file" || name.length === 0 || name.includes("/") || name.includes("\\") || name === "." || name === "..") {
    throw new ArtifactIntegrityError(hash, `unexpected entry '${name}' (${String(header.type)}) in the packed directory`);
  }
  return name;
}

async function writeEntry(entry: AsyncIterable<Uint8Array>, path: string): Promise<{ bytes: number; sha256: string }> {
  const h = sha256();
  let bytes = 0;
  const fh = await open(path, "wx", 0o644);
  try {
    for await (const chunk of entry) {
      h.update(chunk);
      bytes += chunk.length;
      await fh.write(chunk);
    }
    // Durable before the entry is published by a rename.
    await fh.sync();
  } finally {
    await fh.close();
  }
  return { bytes, sha256: h.digest("hex") };
}

/** Resolves on 'drain', or on 'close' (destroyed meanwhile), leaving no listener behind. */
function drained(stream: tar.Extract): Promise<void> {
  return new Promise((resolve) => {
    const done = () => (stream.off("drain", done), stream.off("close", done), resolve());
    stream.on("drain", done).on("close", done);
  });
}

export interface UnpackResult {
  hash: string;
  bytes: number;
  files: PackedFile[];
}

/**
 * Unpacks a blob's bytes into the empty directory `dir`, hashing them on the
 * way. The caller compares the hash with the address before trusting `dir`.
 */
export async function unpackTo(source: AsyncIterable<Uint8Array>, dir: string, expected: string): Promise<UnpackResult> {
  const extract = tar.extract();
  const h = sha256();
  let bytes = 0;
  const feeding = (async () => {
    for await (const chunk of source) {
      if (extract.destroyed) return;
      h.update(chunk);
      bytes += chunk.length;
      if (!extract.write(chunk)) await drained(extract);
    }
    extract.end();
  })();
  const fed = feeding.then(
    () => undefined,
    (err: unknown) => {
      extract.destroy(err instanceof Error ? err : new Error(String(err)));
      return err;
    },
  );
  const files: PackedFile[] = [];
  try {
    for await (const entry of extract) {
      const name = safeName(entry.header, expected);
      files.push({ name, ...(await writeEntry(entry, join(dir, name))) });
    }
  } catch (err) {
    extract.destroy();
    // The source failing (the store unreachable) is its own error; anything
    // else is bytes that do not form the packed directory: damaged.
    const sourceError = await fed;
    if (sourceError !== undefined) throw sourceError;
    if (err instanceof ArtifactIntegrityError) throw err;
    throw new ArtifactIntegrityError(expected, `${bytes} bytes read, then: ${err instanceof Error ? err.message : String(err)}`);
  }
  const sourceError = await fed;
  if (sourceError !== undefined) throw sourceError;
  return { hash: h.digest("hex"), bytes, files };
}
