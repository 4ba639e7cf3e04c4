// One entry point per format name of the command-line contract.
import type { BadRecordSink, RecordSink } from "../record.js";
import { readDiginetica } from "./diginetica.js";
import { readCsv, readJsonl } from "./generic.js";
import type { FileStats, ReadOptions } from "./lines.js";
import { readOtto } from "./otto.js";
import { readRetailrocket } from "./retailrocket.js";
import { readYoochoose } from "./yoochoose.js";

export const FORMATS = ["yoochoose", "diginetica", "retailrocket", "otto", "jsonl", "csv"] as const;
export type FormatName = (typeof FORMATS)[number];

export type LogReader = (input: string, onRecord: RecordSink, onBad: BadRecordSink, options?: ReadOptions) => Promise<FileStats[]>;

const READERS: Record<FormatName, LogReader> = {
  yoochoose: readYoochoose,
  diginetica: readDiginetica,
  retailrocket: readRetailrocket,
  otto: readOtto,
  jsonl: readJsonl,
  csv: readCsv,
};

export function isFormatName(name: string): name is FormatName {
  return (FORMATS as readonly string[]).includes(name);
}

/** Streams every record of `input` in `format` to `onRecord`; bad lines go to `onBad`. */
export function readLog(format: FormatName, input: string, onRecord: RecordSink, onBad: BadRecordSink, options: ReadOptions = {}): Promise<FileStats[]> {
  return READERS[format](input, onRecord, onBad, options);
}

export { DEFAULT_MAX_LINE_LENGTH, type FileStats, type ReadOptions } from "./lines.js";
