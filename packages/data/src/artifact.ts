// The prepared dataset on disk: compact little-endian binary columns, a few
// text vocabularies and manifest.json (layout in ../README.md). The content
// hash is sha256 over the data files in the fixed order of ARTIFACT_FILES,
// so the same input and options always give the same hash.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BinaryWriter } from "./binary.js";
import { ArtifactCorruptError } from "./errors.js";
import type { ItemSetName } from "./candidate-set.js";
import type { SplitName } from "./split.js";

/** 2: every item rankable (the candidate set), the sessions' own page sequences, dwell known so far. */
export const ARTIFACT_VERSION = 2;
export type DType = "i32" | "f32" | "f64" | "u8";

/** Every data file, in hash order. Text files hold one string per line. */
export const ARTIFACT_FILES = {
  sampleSession: { file: "samples.session.i32", dtype: "i32" },
  samplePrefix: { file: "samples.prefix.i32", dtype: "i32" },
  sampleWindow: { file: "samples.window.i32", dtype: "i32" },
  sampleDwell: { file: "samples.dwell.f32", dtype: "f32" },
  historyOffsets: { file: "samples.history-offsets.i32", dtype: "i32" },
  historyPages: { file: "samples.history-pages.i32", dtype: "i32" },
  historyWeights: { file: "samples.history-weights.f32", dtype: "f32" },
  sessionStart: { file: "sessions.start.f64", dtype: "f64" },
  sessionSplit: { file: "sessions.split.u8", dtype: "u8" },
  sessionUser: { file: "sessions.user.i32", dtype: "i32" },
  sessionLength: { file: "sessions.length.i32", dtype: "i32" },
  sampleOffsets: { file: "sessions.sample-offsets.i32", dtype: "i32" },
  targetOffsets: { file: "sessions.target-offsets.i32", dtype: "i32" },
  targetItems: { file: "sessions.target-items.i32", dtype: "i32" },
  purchaseOffsets: { file: "sessions.purchase-history-offsets.i32", dtype: "i32" },
  purchaseItems: { file: "sessions.purchase-history-items.i32", dtype: "i32" },
  pageItems: { file: "page-items.i32", dtype: "i32" },
  /** Each session's input pages and their dwell (seconds, the newest page's is never read as known). */
  sessionPageOffsets: { file: "sessions.page-offsets.i32", dtype: "i32" },
  sessionPages: { file: "sessions.pages.i32", dtype: "i32" },
  sessionDwell: { file: "sessions.dwell.f32", dtype: "f32" },
  /** Per item id: views and purchases in the training period. */
  itemTrainViews: { file: "items.train-views.i32", dtype: "i32" },
  itemTrainBuys: { file: "items.train-buys.i32", dtype: "i32" },
} as const satisfies Record<string, { file: string; dtype: DType }>;

export const TEXT_FILES = { pages: "pages.txt", items: "items.txt", users: "users.txt", sessionIds: "session-ids.txt" } as const;

export type ColumnName = keyof typeof ARTIFACT_FILES;

type ArrayOf<D extends DType> = D extends "i32" ? Int32Array : D extends "f32" ? Float32Array : D extends "f64" ? Float64Array : Uint8Array;

/** The typed arrays of a dataset, as the model package consumes them. */
export type DatasetColumns = { [C in ColumnName]: ArrayOf<(typeof ARTIFACT_FILES)[C]["dtype"]> };

export interface DatasetStats {
  records: number;
  badRecords: number;
  /** Sessions with at least one view. */
  sessions: number;
  /** Sessions with at least one view and one purchase. */
  purchaseSessions: number;
  /** Purchase sessions with at least one view before the purchase: the ones in the splits. */
  sampleSessions: number;
  users: number;
  firstTimestamp: number;
  lastTimestamp: number;
}

export interface SplitRange {
  /** [from, to) indices into the session table and into the samples. */
  sessions: [number, number];
  samples: [number, number];
}

export interface DatasetManifest {
  kind: "drnn-dataset";
  version: number;
  source: { format: string; files: { file: string; bytes: number }[] };
  options: {
    window: number;
    gapMinutes: number;
    splitSourceSessions: boolean;
    minPageCount: number;
    dwellCapMinutes: number;
    split: { train: number; val: number; test: number };
    /** Which items the generator (the softmax over items) covers; see candidate-set.ts. */
    itemSet: ItemSetName;
    minItemCount: number;
  };
  /** Page vocabulary size M including the reserved ids 0 (<pad>) and 1 (<oov>). */
  pageVocabulary: number;
  /** N, the generator's items: ids [0, N) of items.txt, the training period's items (candidate-set.ts). */
  itemVocabulary: number;
  /** Every item id of items.txt: any of them is rankable when the session shows it. */
  rankableItems: number;
  samples: number;
  stats: DatasetStats;
  splits: Record<SplitName, SplitRange>;
  files: { file: string; dtype: DType | "text"; length: number; sha256: string }[];
  contentHash: string;
}

export interface Dataset {
  dir: string;
  manifest: DatasetManifest;
  columns: DatasetColumns;
  pages: string[];
  items: string[];
  users: string[];
  sessionIds: string[];
}

const BYTES: Record<DType, number> = { i32: 4, f32: 4, f64: 8, u8: 1 };

/** Streams one column file; the artifact writer holds one per column. */
export class ColumnWriter {
  private readonly out: BinaryWriter;
  length = 0;
  constructor(dir: string, readonly file: string, readonly dtype: DType) {
    this.out = new BinaryWriter(join(dir, file));
  }
  push(v: number): void {
    this.length++;
    if (this.dtype === "i32") this.out.i32(v);
    else if (this.dtype === "f32") this.out.f32(v);
    else if (this.dtype === "f64") this.out.f64(v);
    else this.out.u8(v);
  }
  pushAll(values: ArrayLike<number>): void {
    for (let i = 0; i < values.length; i++) this.push(values[i] ?? 0);
  }
  close(): void {
    this.out.close();
  }
}

export type ColumnWriters = { [C in ColumnName]: ColumnWriter };

export function openColumns(dir: string): ColumnWriters {
  const entries = Object.entries(ARTIFACT_FILES).map(([name, spec]) => [name, new ColumnWriter(dir, spec.file, spec.dtype)]);
  return Object.fromEntries(entries) as ColumnWriters;
}

/** One string per line; a line break inside a string would shift every id, so it becomes a space. */
export function writeTextList(dir: string, file: string, strings: readonly string[]): void {
  writeFileSync(join(dir, file), strings.map((s) => s.replace(/[\r\n]/g, " ")).join("\n") + (strings.length > 0 ? "\n" : ""));
}

function readTextList(dir: string, file: string): string[] {
  const text = readFileSync(join(dir, file), "utf8");
  return text.length === 0 ? [] : text.slice(0, -1).split("\n");
}

function sha256File(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** The files in hash order: the binary columns, then the text vocabularies. */
export function artifactFileList(): string[] {
  return [...Object.values(ARTIFACT_FILES).map((s) => s.file), ...Object.values(TEXT_FILES)];
}

/** Per-file digests and the content hash over (name, digest) in fixed order. */
export function hashArtifact(dir: string): { files: { file: string; sha256: string }[]; contentHash: string } {
  const files = artifactFileList().map((file) => ({ file, sha256: sha256File(join(dir, file)) }));
  const h = createHash("sha256");
  for (const f of files) h.update(`${f.file}\0${f.sha256}\n`);
  return { files, contentHash: h.digest("hex") };
}

function typed(buf: Buffer, dtype: DType): Int32Array | Float32Array | Float64Array | Uint8Array {
  // Copy into a fresh ArrayBuffer: a Buffer may sit at an unaligned offset of a shared pool.
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length);
  if (dtype === "i32") return new Int32Array(ab);
  if (dtype === "f32") return new Float32Array(ab);
  if (dtype === "f64") return new Float64Array(ab);
  return new Uint8Array(ab);
}

/**
 * Loads a prepared dataset as typed arrays. With `verify` the files are
 * checked against the manifest's content hash first.
 */
/** A prepared dataset's manifest alone (sizes, splits, hash), without its columns. */
export function readManifest(dir: string): DatasetManifest {
  const manifestPath = join(dir, "manifest.json");
  if (!existsSync(manifestPath)) throw new ArtifactCorruptError(`${dir} has no manifest.json: not a prepared dataset`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as DatasetManifest;
  if (manifest.kind !== "drnn-dataset" || manifest.version !== ARTIFACT_VERSION) {
    throw new ArtifactCorruptError(`${dir}: unsupported dataset kind/version ${manifest.kind}/${manifest.version}`);
  }
  return manifest;
}

export function loadDataset(dir: string, options: { verify?: boolean } = {}): Dataset {
  const manifest = readManifest(dir);
  if (options.verify === true && hashArtifact(dir).contentHash !== manifest.contentHash) {
    throw new ArtifactCorruptError(`${dir}: files do not match the manifest's content hash`);
  }
  const columns: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(ARTIFACT_FILES)) {
    const buf = readFileSync(join(dir, spec.file));
    if (buf.length % BYTES[spec.dtype] !== 0) throw new ArtifactCorruptError(`${spec.file} is truncated`);
    columns[name] = typed(buf, spec.dtype);
  }
  return {
    dir,
    manifest,
    columns: columns as DatasetColumns,
    pages: readTextList(dir, TEXT_FILES.pages),
    items: readTextList(dir, TEXT_FILES.items),
    users: readTextList(dir, TEXT_FILES.users),
    sessionIds: readTextList(dir, TEXT_FILES.sessionIds),
  };
}

/** The k window page ids of sample `s` (a view, no copy). */
export function sampleWindow(d: Dataset, s: number): Int32Array {
  const k = d.manifest.options.window;
  return d.columns.sampleWindow.subarray(s * k, (s + 1) * k);
}

/** The target item set I of sample `s` (item ids of items.txt). */
export function sampleTargets(d: Dataset, s: number): Int32Array {
  const session = d.columns.sampleSession[s] ?? 0;
  const c = d.columns;
  return c.targetItems.subarray(c.targetOffsets[session] ?? 0, c.targetOffsets[session + 1] ?? 0);
}

/** The history state V_bar of sample `s` as (page ids, weights). */
export function sampleHistory(d: Dataset, s: number): { pages: Int32Array; weights: Float32Array } {
  const c = d.columns;
  const from = c.historyOffsets[s] ?? 0;
  const to = c.historyOffsets[s + 1] ?? 0;
  return { pages: c.historyPages.subarray(from, to), weights: c.historyWeights.subarray(from, to) };
}

/** Items the sample's user bought before its session (the FNN input). */
export function samplePurchaseHistory(d: Dataset, s: number): Int32Array {
  const session = d.columns.sampleSession[s] ?? 0;
  const c = d.columns;
  return c.purchaseItems.subarray(c.purchaseOffsets[session] ?? 0, c.purchaseOffsets[session + 1] ?? 0);
}

/** Pages p_0..p_{j-1} of sample `s`'s prefix and their dwell as known after p_{j-1} (views, no copy, except the dwell). */
export function samplePrefixPages(d: Dataset, s: number): { pages: Int32Array; sessionDwell: Float32Array } {
  const c = d.columns;
  const session = c.sampleSession[s] ?? 0;
  const from = c.sessionPageOffsets[session] ?? 0;
  const j = c.samplePrefix[s] ?? 0;
  return { pages: c.sessionPages.subarray(from, from + j), sessionDwell: c.sessionDwell.subarray(from, from + j) };
}

/**
 * What a dataset row records of its manifest when it is registered (by path or
 * through the artifact store): the log's counts, vocabulary sizes and the
 * prefix samples of each split, so a listing needs no access to the files.
 */
export function registeredStats(m: DatasetManifest) {
  const length = (r: SplitRange) => r.samples[1] - r.samples[0];
  return {
    ...m.stats,
    pages: m.pageVocabulary,
    items: m.itemVocabulary,
    rankableItems: m.rankableItems,
    samples: m.samples,
    samplesBySplit: { train: length(m.splits.train), val: length(m.splits.val), test: length(m.splits.test) },
    window: m.options.window,
  };
}
