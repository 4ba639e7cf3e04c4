// @drnn/ingest: the online loop's way in. Records from a followed log or the
// serving API go through the online sessionizer (@drnn/data's rules) into
// PostgreSQL with their source's cursor, and every M purchase sessions make
// a retraining batch whose job goes on the queue.
export * from "./defaults.js";
export { BatchTrigger, type BatchTriggerOptions, type RetrainEnqueuer } from "./batches.js";
export { IngestService, type IngestServiceOptions, type IngestTotals } from "./ingest-service.js";
export { ingestLog, isIngestFormat, INGEST_FORMATS, type IngestFormat, type IngestLogOptions, type IngestLogResult, type IngestProgress } from "./ingest-log.js";
export { ApiIngest, type ApiIngestOptions } from "./api-ingest.js";
