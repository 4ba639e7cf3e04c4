// Errors that callers branch on. Each has a stable `name` and a `code` from
// the closed table below; the API maps codes to HTTP statuses in one place.

export const DB_ERROR_CODES = [
  "NOT_FOUND",
  "ILLEGAL_TRANSITION",
  "DUPLICATE",
  "DATABASE_UNAVAILABLE",
  "MIGRATION_FAILED",
] as const;
export type DbErrorCode = (typeof DB_ERROR_CODES)[number];

export abstract class DbError extends Error {
  abstract readonly code: DbErrorCode;
}

export class NotFoundError extends DbError {
  override readonly name = "NotFoundError";
  readonly code = "NOT_FOUND" as const;
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} does not exist`);
  }
}

/** A state change the entity's state machine does not allow. Nothing was written. */
export class IllegalTransitionError extends DbError {
  override readonly name = "IllegalTransitionError";
  readonly code = "ILLEGAL_TRANSITION" as const;
  constructor(
    readonly entity: string,
    readonly id: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`${entity} ${id} cannot go from '${from}' to '${to}'`);
  }
}

/** A unique key already taken, e.g. the same chromosome twice in a campaign. */
export class DuplicateError extends DbError {
  override readonly name = "DuplicateError";
  readonly code = "DUPLICATE" as const;
  constructor(
    readonly entity: string,
    readonly key: string,
  ) {
    super(`${entity} with ${key} already exists`);
  }
}

export class DatabaseUnavailableError extends DbError {
  override readonly name = "DatabaseUnavailableError";
  readonly code = "DATABASE_UNAVAILABLE" as const;
  constructor(
    readonly target: string,
    readonly reason: string,
  ) {
    super(`cannot reach PostgreSQL at ${target}: ${reason}`);
  }
}

export class MigrationError extends DbError {
  override readonly name = "MigrationError";
  readonly code = "MIGRATION_FAILED" as const;
}
