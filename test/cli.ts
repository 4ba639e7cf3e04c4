// The real `drnn` command line as the end-to-end tests run it: a child
// process of `node --import tsx apps/cli/src/main.ts`, with an environment
// of the test's own (no inherited variables but PATH and HOME, so a
// developer's DATABASE_URL never leaks in), its output collected, waited on
// for the line that says it is ready, killed and started again.
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from "node:child_process";
import { fileURLToPath } from "node:url";

export const CLI_MAIN = fileURLToPath(new URL("../apps/cli/src/main.ts", import.meta.url));

export type CliEnv = Record<string, string>;

/** PATH and HOME from this process, then the test's own variables. */
export function cliEnv<T extends CliEnv>(vars: T = {} as T): T & { PATH: string; HOME: string } {
  return { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "/tmp", ...vars };
}

/** The node arguments that run `drnn ...args`. */
export function cliArgs(args: string[]): string[] {
  return ["--import", "tsx", CLI_MAIN, ...args];
}

/** `drnn ...args` to its end; stdout and stderr as text. */
export function runCli(args: string[], env: CliEnv, options: { timeout?: number } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, cliArgs(args), { env, encoding: "utf8", ...options });
}

/** The last line of a `--json` command's stdout, parsed: its result. */
export function lastJson<T = Record<string, unknown>>(stdout: string): T {
  return JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as T;
}

/** `drnn ...args --json`, which must exit 0; its result. */
export function runCliJson(args: string[], env: CliEnv, timeout: number): Record<string, unknown> {
  const r = runCli([...args, "--json"], env, { timeout });
  if (r.status !== 0) throw new Error(`drnn ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return lastJson(r.stdout);
}

export interface CliProcess {
  readonly child: ChildProcess;
  /** Everything it wrote to stdout / stderr so far. */
  stdout(): string;
  stderr(): string;
  /** Its JSON log lines on stderr so far. */
  lines(): Record<string, unknown>[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first match of `pattern` in its stderr; rejects if it exits before. */
  ready(pattern: RegExp): Promise<RegExpExecArray>;
  /** SIGKILL (or `signal`), resolved once it has exited; at once if it already has. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** `drnn ...args` started in the background. */
export function spawnCli(args: string[], env: CliEnv): CliProcess {
  const child = spawn(process.execPath, cliArgs(args), { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  const waiters: { pattern: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
  child.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString();
    for (const w of [...waiters]) {
      const m = w.pattern.exec(err);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.once("exit", (code, signal) => done({ code, signal })));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    lines: () => err.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>),
    exited,
    ready: (pattern) =>
      new Promise((resolve, reject) => {
        const m = pattern.exec(err);
        if (m) return resolve(m);
        if (!running(child)) return reject(new Error(`drnn ${args[0]} had exited ${child.exitCode ?? child.signalCode} before ${pattern}: ${err}`));
        waiters.push({ pattern, resolve });
        child.once("exit", (code) => reject(new Error(`drnn ${args[0]} exited ${code} before ${pattern}: ${err}`)));
      }),
    kill: async (signal = "SIGKILL") => {
      if (!running(child)) return;
      child.kill(signal);
      await exited;
    },
  };
}

/** The processes a test file started, so that its afterAll kills whatever is left. */
export class CliProcesses {
  readonly all: CliProcess[] = [];

  spawn(args: string[], env: CliEnv): CliProcess {
    const p = spawnCli(args, env);
    this.all.push(p);
    return p;
  }

  /** Started and ready: its stderr matched `ready`. */
  async start(args: string[], env: CliEnv, ready: RegExp): Promise<CliProcess> {
    const p = this.spawn(args, env);
    await p.ready(ready);
    return p;
  }

  async killAll(): Promise<void> {
    await Promise.all(this.all.map((p) => p.kill()));
  }
}

export interface PollOptions {
  timeoutMs: number;
  pollMs: number;
  /** A check that throws counts as not yet (a service the test stopped on purpose). */
  tolerateErrors?: boolean;
}

export type Until = <T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs?: number) => Promise<T>;

/** `until(what, check)`: polls `check` every `pollMs` until it returns a value, or throws after the timeout. */
export function poller(defaults: PollOptions): Until {
  return async (what, check, timeoutMs = defaults.timeoutMs) => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = await (defaults.tolerateErrors ? check().catch(() => undefined) : check());
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, defaults.pollMs));
    }
  };
}
