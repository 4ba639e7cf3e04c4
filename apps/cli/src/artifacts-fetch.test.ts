// The node cache under real processes: `drnn artifacts fetch` (the fetch a
// worker, promotion and serving run) SIGKILLed in the middle of a download
// leaves no cache entry, only a temporary directory the next fetch sweeps;
// two processes fetching the same artifact at once both succeed with one entry.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PostgresArtifactStore, packDirectory } from "@drnn/artifacts";
import { createDb, createRepositories, type DbHandle } from "@drnn/db";
import { cliEnv, lastJson, runCli, spawnCli } from "../../../test/cli.js";

const home = mkdtempSync(join(tmpdir(), "drnn-fetch-"));
const artifactsDir = join(home, "node");
const cacheDir = join(artifactsDir, "cache");
const env = cliEnv({ DATABASE_URL: inject("databaseUrl"), DRNN_ARTIFACTS_DIR: artifactsDir });
const src = join(home, "src");
let db: DbHandle;
let hash: string;

function fetchArgs(): string[] {
  return ["artifacts", "fetch", hash, "--json"];
}

/** Files of `.tmp/<hash>.<pid>.*` with bytes in them: a download under way. */
function partialDownloads(): { dir: string; bytes: number }[] {
  const tmp = join(cacheDir, ".tmp");
  if (!existsSync(tmp)) return [];
  return readdirSync(tmp).flatMap((d) => {
    const files = join(tmp, d, "files");
    if (!existsSync(files)) return [];
    return [{ dir: d, bytes: readdirSync(files).reduce((n, f) => n + statSync(join(files, f)).size, 0) }];
  });
}

beforeAll(async () => {
  // Big enough (about 48 MB in 48 chunks) that a fetch is still running when it is killed.
  mkdirSync(src);
  for (let i = 0; i < 6; i++) writeFileSync(join(src, `part-${i}.bin`), randomBytes(8 << 20));
  db = createDb(inject("databaseUrl"));
  hash = (await new PostgresArtifactStore(createRepositories(db.prisma).artifacts).put(packDirectory(src), { kind: "checkpoint", label: "kill test" })).hash;
}, 120_000);

afterAll(() => db.close());

describe("drnn artifacts fetch", () => {
  it("SIGKILLed mid-download leaves no half-written cache entry; the next fetch completes", async () => {
    const fetching = spawnCli(fetchArgs(), env);
    const deadline = Date.now() + 60_000;
    let seen: { dir: string; bytes: number } | undefined;
    while (!seen && Date.now() < deadline) {
      seen = partialDownloads().find((p) => p.bytes > 0);
      if (!seen) await new Promise((r) => setTimeout(r, 5));
    }
    expect(seen, "a download in progress").toBeDefined();
    fetching.child.kill("SIGKILL");
    expect((await fetching.exited).signal).toBe("SIGKILL");
    expect(seen?.bytes ?? 0).toBeLessThan(6 * (8 << 20));
    expect(existsSync(join(cacheDir, hash))).toBe(false);
    expect(partialDownloads().map((p) => p.dir)).toContain(seen?.dir);

    const again = runCli(fetchArgs(), env, { timeout: 120_000 });
    expect(again.status, again.stderr).toBe(0);
    const dir = lastJson<{ dir: string }>(again.stdout).dir;
    expect(dir).toBe(join(cacheDir, hash, "files"));
    for (const f of readdirSync(src)) expect(readFileSync(join(dir, f)).equals(readFileSync(join(src, f)))).toBe(true);
    // The killed process's temporary directory was swept.
    expect(partialDownloads()).toEqual([]);
  }, 180_000);

  it("two processes fetching the same artifact at once both succeed, with one entry", async () => {
    const fresh = { ...env, DRNN_ARTIFACTS_DIR: join(home, "node-2") };
    const run = async () => {
      const c = spawnCli(fetchArgs(), fresh);
      return { code: (await c.exited).code, out: c.stdout() };
    };
    const [a, b] = await Promise.all([run(), run()]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const dirs = [a, b].map((r) => lastJson<{ dir: string }>(r.out).dir);
    expect(dirs[0]).toBe(dirs[1]);
    const cache = join(home, "node-2", "cache");
    expect(readdirSync(cache).filter((n) => !n.startsWith("."))).toEqual([hash]);
    expect(readdirSync(join(cache, ".tmp"))).toEqual([]);
  }, 180_000);
});
