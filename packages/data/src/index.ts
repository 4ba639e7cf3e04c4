// @drnn/data: access logs to sessions, samples and dataset artifacts
// (DESIGN.md section 3). Depends on nothing of ours.
export * from "./record.js";
export * from "./errors.js";
export * from "./vocabulary.js";
export * from "./session.js";
export * from "./sessionizer.js";
export * from "./history-state.js";
export * from "./samples.js";
export * from "./split.js";
export * from "./user-history.js";
export * from "./artifact.js";
export * from "./candidate-set.js";
export * from "./session-items.js";
export { FORMATS, DEFAULT_MAX_LINE_LENGTH, isFormatName, readLog, type FormatName, type LogReader, type FileStats } from "./readers/index.js";
export { GENERIC_FIELDS, logRecordsFromJson, jsonlRecords, csvRecords } from "./readers/generic.js";
export { parseLine, type LineFormat, type LineResult } from "./readers/lines.js";
export { followFile, followStream, type FollowedLine, type FollowOptions } from "./readers/follow.js";
export { prepareDataset, type PrepareOptions, type PrepareResult } from "./prepare.js";
export { synthesizeLog, writeSyntheticLog, type SynthOptions } from "./synth/generate.js";
export { buildShop, type Shop } from "./synth/shop.js";
export { SessionTable, type ColumnSink, type ColumnSinks, type FinalSession } from "./session-columns.js";
export * from "./online/index.js";
export { shopSessions, EMPTY_VOCABULARY } from "./synth/closed-sessions.js";
export * from "./session-rules.js";
export * from "./online-sessionizer.js";
