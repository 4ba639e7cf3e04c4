// Pass 3 of prepare: visit the purchase sessions in time order, assign the
// split, number the items (the candidate set, from the training period's
// counts), write every sample and session column, hash, and install the
// directory atomically.
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { ARTIFACT_VERSION, TEXT_FILES, artifactFileList, hashArtifact, openColumns, writeTextList, type DatasetManifest } from "./artifact.js";
import { buildCandidateSet, type CandidateSet, type CandidateSetOptions, type ItemActivity } from "./candidate-set.js";
import { ArtifactExistsError } from "./errors.js";
import type { BadRecord } from "./record.js";
import { SessionTable } from "./session-columns.js";
import type { SessionSpill } from "./spill.js";
import { splitBoundaries, splitOfRank, temporalOrder, type SplitRatios } from "./split.js";
import type { DwellOptions } from "./session.js";
import { PAGE_RESERVED, type Interner, type Vocabulary } from "./vocabulary.js";

export type ManifestCore = Pick<DatasetManifest, "pageVocabulary" | "itemVocabulary" | "rankableItems" | "samples" | "splits" | "files" | "contentHash">;

export interface WriteArtifactInput {
  out: string;
  force: boolean;
  work: string;
  spill: SessionSpill;
  window: number;
  pageVocab: Vocabulary;
  /** Provisional page id -> provisional id of the item the page shows. */
  pageItem: readonly (number | undefined)[];
  items: Interner;
  bad: readonly BadRecord[];
  badCount: number;
  split: SplitRatios;
  /** Every session's item events, for the training period's counts. */
  activity: ItemActivity;
  candidates: CandidateSetOptions;
  dwell: DwellOptions;
  progress: (line: string) => void;
  manifest: (core: ManifestCore, users: number) => DatasetManifest;
}

/** The training period ends where the validation split's first purchase session starts. */
function candidateSet(input: WriteArtifactInput, order: Int32Array, valFrom: number): CandidateSet {
  const until = valFrom < order.length ? (input.spill.starts[order[valFrom] ?? 0] ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY;
  return buildCandidateSet(input.items.strings, input.activity.countBefore(until, input.items.size), input.candidates);
}

function writeColumns(input: WriteArtifactInput, dir: string, order: Int32Array, itemVocab: CandidateSet) {
  const c = openColumns(dir);
  const table = new SessionTable(c, input.window, input.dwell);
  const bounds = splitBoundaries(order.length, input.split);
  for (let r = 0; r < order.length; r++) {
    const s = input.spill.read(order[r] ?? 0);
    const targets = Array.from(s.bought, (item) => itemVocab.remap[item] ?? -1);
    table.add({ sourceId: s.sourceId, userId: s.userId, start: s.start, inputPages: s.inputPages, dwell: s.dwell, targets }, splitOfRank(r, bounds));
    if (r % 20_000 === 19_999) input.progress(`wrote ${r + 1}/${order.length} purchase sessions`);
  }
  const ranges = table.finishRanges();
  writePageItems(input, c.pageItems, itemVocab);
  c.itemTrainViews.pushAll(itemVocab.trainViews);
  c.itemTrainBuys.pushAll(itemVocab.trainBuys);
  for (const col of Object.values(c)) col.close();
  return { ranges, samples: table.samples, users: table.users, sessionIds: table.sessionIds };
}

/** page id -> item id the page shows (-1: none). */
function writePageItems(input: WriteArtifactInput, col: { push(v: number): void }, itemVocab: CandidateSet): void {
  const byPage = new Int32Array(input.pageVocab.strings.length).fill(-1);
  input.pageVocab.remap.forEach((page, provisional) => {
    const item = input.pageItem[provisional];
    if (page >= PAGE_RESERVED.length && item !== undefined) byPage[page] = itemVocab.remap[item] ?? -1;
  });
  for (const v of byPage) col.push(v);
}

export interface WriteArtifactResult {
  manifest: DatasetManifest;
  unchanged: boolean;
  badRecordsReport: string | undefined;
}

export function writeArtifact(input: WriteArtifactInput): WriteArtifactResult {
  const out = resolve(input.out);
  const order = temporalOrder(input.spill.starts);
  const { valFrom } = splitBoundaries(order.length, input.split);
  const itemVocab = candidateSet(input, order, valFrom);
  const staging = mkdtempSync(join(dirname(out), `.${basename(out)}.partial-`));
  try {
    const written = writeColumns(input, staging, order, itemVocab);
    writeTextList(staging, TEXT_FILES.pages, input.pageVocab.strings);
    writeTextList(staging, TEXT_FILES.items, itemVocab.strings);
    writeTextList(staging, TEXT_FILES.users, written.users);
    writeTextList(staging, TEXT_FILES.sessionIds, written.sessionIds);
    const hash = hashArtifact(staging);
    const lengths = new Map(readdirSync(staging).map((f) => [f, readFileSync(join(staging, f)).length]));
    const manifest = input.manifest(
      {
        pageVocabulary: input.pageVocab.strings.length,
        itemVocabulary: itemVocab.generatorItems,
        rankableItems: itemVocab.strings.length,
        samples: written.samples,
        splits: written.ranges,
        files: hash.files.map((f) => ({ ...f, dtype: f.file.endsWith(".txt") ? "text" : dtypeOf(f.file), length: lengths.get(f.file) ?? 0 })),
        contentHash: hash.contentHash,
      },
      written.users.length,
    );
    writeFileSync(join(staging, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    const report = input.badCount > 0 ? "bad-records.txt" : undefined;
    if (report !== undefined) writeBadReport(join(staging, report), input.bad, input.badCount);
    const unchanged = install(staging, out, hash.contentHash, input.force);
    return { manifest, unchanged, badRecordsReport: report === undefined ? undefined : join(out, report) };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function dtypeOf(file: string): "i32" | "f32" | "f64" | "u8" {
  return file.slice(-3) as "i32" | "f32" | "f64" | "u8";
}

function writeBadReport(path: string, bad: readonly BadRecord[], total: number): void {
  const lines = bad.map((b) => `${b.file}:${b.line}: ${b.reason}`);
  if (total > bad.length) lines.push(`... and ${total - bad.length} more`);
  writeFileSync(path, `${lines.join("\n")}\n`);
}

/** Datasets are immutable: the same content is left in place, different content needs force. */
function install(staging: string, out: string, contentHash: string, force: boolean): boolean {
  if (existsSync(out)) {
    const manifest = join(out, "manifest.json");
    const existing = existsSync(manifest) ? (JSON.parse(readFileSync(manifest, "utf8")) as { contentHash?: string; version?: number }) : undefined;
    if (existing?.contentHash === contentHash && existing.version === ARTIFACT_VERSION) return true;
    if (readdirSync(out).length > 0 && !force) {
      throw new ArtifactExistsError(`${out} already holds ${existing ? `a different dataset (${existing.contentHash?.slice(0, 12)})` : "other files"}; choose another --out or pass --force`);
    }
    rmSync(out, { recursive: true, force: true });
  }
  for (const f of [...artifactFileList(), "manifest.json"]) chmodSync(join(staging, f), 0o444);
  renameSync(staging, out);
  return false;
}
