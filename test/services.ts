// The services the tests run against: the machine's PostgreSQL and Redis
// (TEST_DATABASE_URL / TEST_REDIS_URL override). Every run gets its own
// database and key prefix, removed afterwards.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { Redis } from "ioredis";
import { createDb, createRepositories, deployMigrations, defaultMigrationsDir, type Repositories } from "@drnn/db";

export function testServiceUrls() {
  return {
    adminUrl: process.env["TEST_DATABASE_URL"] ?? "postgresql://postgres@127.0.0.1:5432/test",
    redisUrl: process.env["TEST_REDIS_URL"] ?? "redis://127.0.0.1:6379",
  };
}

/** One statement on the admin connection (CREATE / DROP DATABASE). */
export async function admin(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * A name for a database of one test file's own, beside the run's
 * (`<run database>_<tag>_<random>`): for a file whose processes take every
 * row of a kind (a coordinator's campaigns, a worker's batches), so that no
 * other file's rows reach them, nor theirs the other files.
 */
export function ownDatabaseName(runUrl: string, tag: string): string {
  return `${new URL(runUrl).pathname.slice(1)}_${tag}_${randomBytes(3).toString("hex")}`;
}

/** A database with no tables (migrations not applied); its URL. */
export async function createEmptyTestDatabase(adminUrl: string, name: string): Promise<string> {
  await admin(adminUrl, `CREATE DATABASE "${name}"`);
  return withDatabase(adminUrl, name);
}

/** A database with the migrations applied; its URL. */
export async function createTestDatabase(adminUrl: string, name: string): Promise<string> {
  const url = await createEmptyTestDatabase(adminUrl, name);
  await deployMigrations(url, defaultMigrationsDir());
  return url;
}

export async function dropTestDatabase(adminUrl: string, url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await admin(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

export interface OwnTestDatabase {
  url: string;
  repos: Repositories;
  /** Closes the connection and drops the database. */
  drop(): Promise<void>;
}

/** A migrated database of one test file's own (see ownDatabaseName), open, with its repositories. */
export async function ownTestDatabase(runUrl: string, tag: string): Promise<OwnTestDatabase> {
  const url = await createTestDatabase(runUrl, ownDatabaseName(runUrl, tag));
  const db = createDb(url);
  return {
    url,
    repos: createRepositories(db.prisma),
    drop: async () => {
      await db.close();
      await dropTestDatabase(runUrl, url);
    },
  };
}

export async function deleteRedisPrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
