// `pnpm test`: type-check, lint, then every test against real PostgreSQL and
// Redis. When they are not reachable, bring them up with docker compose if
// Docker runs here; otherwise stop at once and name what is missing.
import { spawnSync } from "node:child_process";
import pg from "pg";
import { Redis } from "ioredis";

const databaseUrl = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

async function postgresProblem() {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (err) {
    return `PostgreSQL at ${databaseUrl} (TEST_DATABASE_URL): ${err.message || err.code || err}`;
  } finally {
    await client.end().catch(() => {});
  }
}

async function redisProblem() {
  let cause;
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3000 });
  redis.on("error", (err) => (cause ??= err));
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (err) {
    return `Redis at ${redisUrl} (TEST_REDIS_URL): ${(cause ?? err).message}`;
  } finally {
    redis.disconnect();
  }
}

async function problems() {
  return (await Promise.all([postgresProblem(), redisProblem()])).filter(Boolean);
}

function dockerComposeWorks() {
  return spawnSync("docker", ["compose", "version"], { stdio: "ignore" }).status === 0 &&
    spawnSync("docker", ["info"], { stdio: "ignore" }).status === 0;
}

async function ensureServices() {
  let missing = await problems();
  if (missing.length === 0) return;
  if (!dockerComposeWorks()) {
    console.error(`pnpm test needs PostgreSQL and Redis, and Docker is not available to start them.\nNot reachable:\n  ${missing.join("\n  ")}\nStart them (see README.md, "Services"), or point TEST_DATABASE_URL / TEST_REDIS_URL at running ones.`);
    process.exit(1);
  }
  console.error("starting postgres and redis with docker compose...");
  const up = spawnSync("docker", ["compose", "up", "-d", "--wait", "postgres", "redis"], { stdio: "inherit" });
  if (up.status !== 0) process.exit(up.status ?? 1);
  for (let i = 0; i < 30 && missing.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    missing = await problems();
  }
  if (missing.length > 0) {
    console.error(`still not reachable after docker compose up:\n  ${missing.join("\n  ")}`);
    process.exit(1);
  }
}

function step(title, command, args) {
  console.error(`\n== ${title}: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`\n${title} failed`);
    process.exit(result.status ?? 1);
  }
}

await ensureServices();
step("typecheck", "pnpm", ["-s", "typecheck"]);
step("lint", "pnpm", ["-s", "lint"]);
step("tests", "pnpm", ["exec", "vitest", "run", ...process.argv.slice(2)]);
