// `drnn data prepare`: a raw log to an immutable dataset artifact, in three
// streaming passes (DESIGN.md section 3):
//  1. read + partition: parse each line, intern pages/items, write the record
//     to a bucket file by its session/user key (partition.ts);
//  2. sessionize each bucket, keep the purchase sessions in a spill file;
//  3. in time order: split, the candidate set from the training period, samples
//     with window and history state, user purchase histories, columns on disk.
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataInputError } from "./errors.js";
import { Partitioner, bucketCount } from "./partition.js";
import { readLog, type FileStats, type FormatName } from "./readers/index.js";
import type { BadRecord, TimestampRange } from "./record.js";
import { DEFAULT_SESSIONIZER, sessionizeBucket, type SessionizerOptions } from "./sessionizer.js";
import { SessionSpill } from "./spill.js";
import { DEFAULT_SPLIT, type SplitName } from "./split.js";
import { Interner, PAGE_OOV, PAGE_RESERVED, buildVocabulary } from "./vocabulary.js";
import { writeArtifact } from "./write-artifact.js";
import { ARTIFACT_VERSION, type DatasetManifest } from "./artifact.js";
import { DEFAULT_CANDIDATE_SET, ITEM_SETS, ItemActivity, isItemSetName, type ItemSetName } from "./candidate-set.js";

export interface PrepareOptions {
  format: FormatName;
  input: string;
  out: string;
  /** k, the window of states (default 4, the paper's Table I). */
  window?: number;
  gapMinutes?: number;
  splitSourceSessions?: boolean;
  /** Pages seen fewer times map to the out-of-vocabulary id (default 1: keep all). */
  minPageCount?: number;
  dwellCapMinutes?: number;
  /** Items the generator covers: "seen" (viewed or bought in the training period, default) or "bought" (the paper's N). */
  itemSet?: ItemSetName;
  /** Training-period events an item needs to be one of the generator's items (default 1). */
  minItemCount?: number;
  /** Replace an existing, different dataset in `out`. */
  force?: boolean;
  /** Bad records listed in bad-records.txt (all are counted). */
  maxBadReported?: number;
  /** Records outside these epoch-ms bounds are bad records (default 1990 to 2100). */
  timestampRange?: TimestampRange;
  /** Longer lines are bad records (default 16 Mi characters). */
  maxLineLength?: number;
  /** Progress lines for a human (stderr in the CLI). */
  onProgress?: (line: string) => void;
}

export interface PrepareResult {
  out: string;
  sessions: number;
  purchaseSessions: number;
  sampleSessions: number;
  records: number;
  pages: number;
  /** The generator's items N (the model's softmax). */
  items: number;
  /** Every item id: rankable whenever a session shows it. */
  rankableItems: number;
  users: number;
  samples: Record<SplitName, number>;
  badRecords: number;
  badRecordsReport: string | undefined;
  contentHash: string;
  /** true when `out` already held this exact dataset and was left as it was. */
  unchanged: boolean;
  seconds: number;
}

function inputBytes(input: string): number {
  const st = statSync(input);
  if (!st.isDirectory()) return st.size;
  return readdirSync(input).reduce((sum, name) => {
    const s = statSync(join(input, name));
    return sum + (s.isFile() ? s.size : 0);
  }, 0);
}

function sessionizerOptions(o: PrepareOptions): SessionizerOptions {
  const gap = o.gapMinutes ?? 30;
  const cap = o.dwellCapMinutes ?? 30;
  if (!(gap > 0) || !(cap > 0)) throw new DataInputError("gap and dwell cap must be positive minutes");
  return {
    gapMs: gap * 60_000,
    splitSourceSessions: o.splitSourceSessions ?? false,
    dwell: { ...DEFAULT_SESSIONIZER.dwell, capMs: cap * 60_000 },
  };
}

/** Pass 1: every record into its bucket; pages and items interned and counted. */
async function partitionLog(o: PrepareOptions, work: string, bad: BadRecord[]) {
  const pages = new Interner();
  const items = new Interner();
  const pageItem: number[] = [];
  const partitioner = new Partitioner(work, bucketCount(inputBytes(o.input)));
  let badCount = 0;
  let records = 0;
  const files: FileStats[] = await readLog(
    o.format,
    o.input,
    (r) => {
      let page = -1;
      let item = -1;
      if (r.event === "view") {
        // A view's item only matters for the page -> item map, so intern it once per page.
        const known = pages.size;
        page = pages.add(r.page);
        if (page === known && r.itemId !== undefined) pageItem[page] = items.add(r.itemId);
      } else if (r.itemId !== undefined) item = items.add(r.itemId);
      if (partitioner.add(r, page, item)) records++;
    },
    (b) => {
      badCount++;
      if (bad.length < (o.maxBadReported ?? 1000)) bad.push(b);
    },
    { ...(o.timestampRange ? { timestampRange: o.timestampRange } : {}), ...(o.maxLineLength ? { maxLineLength: o.maxLineLength } : {}) },
  );
  if (records === 0) throw new DataInputError(`no usable record in ${o.input} (${badCount} bad${bad[0] ? `; first: ${bad[0].file} line ${bad[0].line}: ${bad[0].reason}` : ""})`);
  return { pages, items, pageItem, buckets: partitioner.finish(), badCount, records, files };
}

// eslint-disable-next-line max-lines-per-function -- the pipeline's stages in order; splitting it into stage functions is left to the data package's current work (issue 13)
export async function prepareDataset(o: PrepareOptions): Promise<PrepareResult> {
  const began = performance.now();
  const k = o.window ?? 4;
  if (!Number.isInteger(k) || k < 1 || k > 64) throw new DataInputError(`window must be an integer in 1..64, got ${o.window}`);
  const minPageCount = o.minPageCount ?? 1;
  const sessionizer = sessionizerOptions(o);
  const progress = o.onProgress ?? (() => undefined);
  const work = mkdtempSync(join(tmpdir(), "drnn-prepare-"));
  try {
    const bad: BadRecord[] = [];
    progress(`reading ${o.format} log from ${o.input}`);
    const read = await partitionLog(o, work, bad);
    const pageVocab = buildVocabulary(read.pages.strings, (id) => read.pages.count(id), {
      minCount: minPageCount,
      reserved: PAGE_RESERVED,
      fallback: PAGE_OOV,
    });
    progress(`read ${read.records} records (${read.badCount} bad) into ${read.buckets.length} buckets; sessionizing`);

    const spill = new SessionSpill(join(work, "sessions.bin"));
    const activity = new ItemActivity(join(work, "item-activity.bin"));
    const candidates = candidateOptions(o);
    let sessions = 0;
    let purchaseSessions = 0;
    let firstTimestamp = Number.POSITIVE_INFINITY;
    let lastTimestamp = Number.NEGATIVE_INFINITY;
    read.buckets.forEach((path, b) => {
      sessionizeBucket(path, sessionizer, (s) => {
        sessions++;
        firstTimestamp = Math.min(firstTimestamp, s.start);
        lastTimestamp = Math.max(lastTimestamp, s.start);
        activity.record(s.start, viewedItems(s.inputPages, read.pageItem), s.bought);
        if (s.bought.length === 0) return;
        purchaseSessions++;
        if (s.inputPages.length === 0) return;
        for (let i = 0; i < s.inputPages.length; i++) s.inputPages[i] = pageVocab.remap[s.inputPages[i] ?? 0] ?? PAGE_OOV;
        spill.write(s);
      });
      rmSync(path);
      // About ten progress lines, whatever the bucket count.
      if ((b + 1) % Math.ceil(read.buckets.length / 10) === 0 || b + 1 === read.buckets.length) progress(`sessionized bucket ${b + 1}/${read.buckets.length}: ${sessions} sessions, ${purchaseSessions} with a purchase`);
    });
    spill.finishWriting();
    activity.finish();
    if (spill.size === 0) {
      throw new DataInputError(`no usable session in ${o.input}: ${read.records} records made ${sessions} sessions, ${purchaseSessions} with a purchase, none with a page view before its purchase`);
    }
    try {
      const written = writeArtifact({
        out: o.out,
        force: o.force ?? false,
        work,
        spill,
        window: k,
        pageVocab,
        pageItem: read.pageItem,
        items: read.items,
        bad,
        badCount: read.badCount,
        split: DEFAULT_SPLIT,
        activity,
        candidates,
        dwell: sessionizer.dwell,
        progress,
        manifest: (m, users): DatasetManifest => ({
          kind: "drnn-dataset",
          version: ARTIFACT_VERSION,
          source: { format: o.format, files: read.files.map((f) => ({ file: f.file, bytes: f.bytes })) },
          options: {
            window: k,
            gapMinutes: sessionizer.gapMs / 60_000,
            splitSourceSessions: sessionizer.splitSourceSessions,
            minPageCount,
            dwellCapMinutes: sessionizer.dwell.capMs / 60_000,
            split: { train: DEFAULT_SPLIT.train, val: DEFAULT_SPLIT.val, test: 1 - DEFAULT_SPLIT.train - DEFAULT_SPLIT.val },
            itemSet: candidates.itemSet,
            minItemCount: candidates.minItemCount,
          },
          ...m,
          stats: {
            records: read.records,
            badRecords: read.badCount,
            sessions,
            purchaseSessions,
            sampleSessions: spill.size,
            users,
            firstTimestamp: Number.isFinite(firstTimestamp) ? firstTimestamp : 0,
            lastTimestamp: Number.isFinite(lastTimestamp) ? lastTimestamp : 0,
          },
        }),
      });
      return {
        out: o.out,
        sessions,
        purchaseSessions,
        sampleSessions: spill.size,
        records: read.records,
        pages: pageVocab.strings.length - PAGE_RESERVED.length,
        items: written.manifest.itemVocabulary,
        rankableItems: written.manifest.rankableItems,
        users: written.manifest.stats.users,
        samples: {
          train: rangeLength(written.manifest.splits.train.samples),
          val: rangeLength(written.manifest.splits.val.samples),
          test: rangeLength(written.manifest.splits.test.samples),
        },
        badRecords: read.badCount,
        badRecordsReport: written.badRecordsReport,
        contentHash: written.manifest.contentHash,
        unchanged: written.unchanged,
        seconds: Math.round((performance.now() - began) / 10) / 100,
      };
    } finally {
      spill.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function candidateOptions(o: PrepareOptions) {
  const itemSet = o.itemSet ?? DEFAULT_CANDIDATE_SET.itemSet;
  if (!isItemSetName(itemSet)) throw new DataInputError(`item set must be one of ${ITEM_SETS.join(", ")}, got ${String(itemSet)}`);
  const minItemCount = o.minItemCount ?? DEFAULT_CANDIDATE_SET.minItemCount;
  if (!Number.isInteger(minItemCount) || minItemCount < 1) throw new DataInputError(`min item count must be an integer >= 1, got ${minItemCount}`);
  return { itemSet, minItemCount };
}

/** The provisional item ids the (provisional) pages show. */
function viewedItems(pages: Int32Array, pageItem: readonly (number | undefined)[]): number[] {
  const out: number[] = [];
  for (const page of pages) {
    const item = pageItem[page];
    if (item !== undefined) out.push(item);
  }
  return out;
}

function rangeLength(r: [number, number]): number {
  return r[1] - r[0];
}
