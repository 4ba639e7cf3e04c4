// Shared by this package's tests: a PostgreSQL-backed store with small
// chunks and a directory of files to pack. Not exported from the package.
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb, createRepositories, type DbHandle, type Repositories } from "@drnn/db";
import { PostgresArtifactStore } from "./postgres-store.js";

export interface TestStore {
  db: DbHandle;
  repos: Repositories;
  store: PostgresArtifactStore;
}

export function openTestStore(url: string, chunkBytes = 64 * 1024): TestStore {
  const db = createDb(url, { maxConnections: 4 });
  const repos = createRepositories(db.prisma);
  return { db, repos, store: new PostgresArtifactStore(repos.artifacts, chunkBytes) };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `drnn-${prefix}-`));
}

/** A flat directory of `files` random files of about `bytes` each. */
export function randomDir(files: number, bytes: number): string {
  const dir = tempDir("pack-src");
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < files; i++) writeFileSync(join(dir, `file-${i}.bin`), randomBytes(bytes + i));
  return dir;
}
