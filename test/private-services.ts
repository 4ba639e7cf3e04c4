// Private PostgreSQL and Redis servers for outage tests: started on free
// ports in a temporary directory, stopped and restarted at will, removed at
// the end. Tests never stop the machine's own services.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deployMigrations, defaultMigrationsDir } from "@drnn/db";

const PG_BIN = process.env["DRNN_PG_BIN"] ?? "/usr/lib/postgresql/15/bin";

export function privateServicesAvailable(): string | null {
  if (!existsSync(join(PG_BIN, "pg_ctl"))) return `no PostgreSQL binaries at ${PG_BIN} (set DRNN_PG_BIN)`;
  if (spawnSync("redis-server", ["--version"]).status !== 0) return "no redis-server on PATH";
  return null;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function run(cmd: string, args: string[], asUser: string | null): void {
  // initdb and postgres refuse to run as root: drop to the postgres user there.
  const [file, argv] = asUser ? ["runuser", ["-u", asUser, "--", cmd, ...args]] : [cmd, args];
  const r = spawnSync(file, argv, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr || r.stdout}`);
}

export interface PrivatePostgres {
  readonly url: string;
  /** `pg_ctl stop -m immediate`: the server dies without a clean shutdown. */
  stop(): void;
  start(): void;
  close(): void;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), "drnn-pg-"));
  const user = process.getuid?.() === 0 ? "postgres" : null;
  chmodSync(dir, 0o777);
  const data = join(dir, "data");
  const port = await freePort();
  run(join(PG_BIN, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], user);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const ctl = (...args: string[]) => run(join(PG_BIN, "pg_ctl"), ["-D", data, "-w", "-l", join(dir, "log"), ...args], user);
  const pg = {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    start: () => ctl("-o", opts, "start"),
    stop: () => ctl("-m", "immediate", "stop"),
    close: () => {
      try {
        pg.stop();
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  pg.start();
  await deployMigrations(pg.url, defaultMigrationsDir());
  return pg;
}

export interface PrivateRedis {
  readonly url: string;
  /** SIGKILL: no persistence, so a restart comes back empty. */
  kill(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const redis: PrivateRedis = {
    url: `redis://127.0.0.1:${port}`,
    start: () =>
      new Promise((resolve, reject) => {
        const c = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "inherit"] });
        child = c;
        let out = "";
        c.stdout?.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes("Ready to accept connections")) resolve();
        });
        c.once("exit", (code) => reject(new Error(`redis-server exited ${code}: ${out}`)));
      }),
    kill: async () => {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null) return;
      await new Promise((done) => c.once("exit", done).kill("SIGKILL"));
    },
    close: () => redis.kill(),
  };
  await redis.start();
  return redis;
}
