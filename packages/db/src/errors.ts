// Errors that callers branch on. Each has a stable `name` and a `code` from
// the closed table below (a part of @drnn/contract's ERROR_CODES, which maps
// every code to the API's code and HTTP status in one place).
import { DrnnError, type ErrorCode } from "@drnn/contract";

export const DB_ERROR_CODES = [
  "NOT_FOUND",
  "ILLEGAL_TRANSITION",
  "DUPLICATE",
  "DATABASE_UNAVAILABLE",
  "MIGRATION_FAILED",
] as const satisfies readonly ErrorCode[];
export type DbErrorCode = (typeof DB_ERROR_CODES)[number];

export abstract class DbError extends DrnnError {
  abstract override readonly code: DbErrorCode;
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

// Prisma's "cannot reach / lost the server" codes, the pg driver's socket
// errors and PostgreSQL's shutdown/startup SQLSTATEs (class 08, 57P01-57P03).
const UNAVAILABLE_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const UNAVAILABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "57P01", "57P02", "57P03"]);
const UNAVAILABLE_MESSAGE = /Connection terminated|Can't reach database|Server has closed the connection|the database system is (starting up|shutting down|in recovery mode)|terminating connection due to administrator command|ECONNREFUSED|ECONNRESET/;

/**
 * True when `err` says the database is away (down, restarting, connection
 * lost) rather than that the query was wrong: callers wait and retry these
 * instead of failing the work.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (err instanceof DatabaseUnavailableError) return true;
  if (!(err instanceof Error) || depth > 4) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" && (UNAVAILABLE_PRISMA_CODES.has(code) || UNAVAILABLE_CODES.has(code) || code.startsWith("08"))) return true;
  if (UNAVAILABLE_MESSAGE.test(err.message)) return true;
  if (err instanceof AggregateError && err.errors.some((e) => isDatabaseUnavailable(e, depth + 1))) return true;
  return isDatabaseUnavailable((err as { cause?: unknown }).cause, depth + 1);
}
