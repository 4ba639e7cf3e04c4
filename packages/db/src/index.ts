export { createDb, checkDatabase, describeDatabase, type Db, type DbHandle, type DbOptions } from "./client.js";
export { acquireNamedLock, type NamedLock, type LockOptions } from "./locks.js";
export { createEmbeddedDb, type EmbeddedDbOptions } from "./embedded.js";
export * from "./errors.js";
export { whileUnavailable, type RetryOptions } from "./retry.js";
export * from "./states.js";
export * from "./repositories/index.js";
export {
  deployMigrations,
  deployMigrationsWith,
  migrationStatus,
  migrationStatusWith,
  type DeployResult,
  type MigrationStatus,
} from "./migrations/deploy.js";
export { openPgRunner, pgliteRunner, type SqlRunner } from "./migrations/runner.js";
export { defaultMigrationsDir, readMigrations, type MigrationFile } from "./migrations/files.js";
export type {
  ApiToken,
  Campaign,
  Candidate,
  Dataset,
  EpochMetric,
  Generation,
  GenerationMember,
  ModelVersion,
  Promotion,
  PruningRung,
  OnlineSession,
  ModelDecision,
  DecisionOutcome,
  OnlineBatch,
  OnlineBatchState,
  IngestCursor,
  IngestOpenSession,
  FitnessPolicy,
  Worker,
  CandidateState,
  CampaignState,
  Strategy,
} from "./generated/prisma/client.js";
export { databaseReadiness } from "./readiness.js";
