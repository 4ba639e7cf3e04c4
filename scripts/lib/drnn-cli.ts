// Runs the real `drnn` command line from a script and reads its JSON answer,
// so the quality scripts measure exactly what a user would run.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

/** `pnpm drnn ARGS --json` with extra env; the last stdout line is the JSON result. */
export function drnn(args: string[], env: Record<string, string>): Record<string, unknown> {
  const out = execFileSync("pnpm", ["-s", "drnn", ...args, "--json"], { env: { ...process.env, ...env }, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 28 });
  return JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as Record<string, unknown>;
}

/** Runs `step` unless its JSON output is already in `file` (an interrupted run resumes). */
export function cached(file: string, step: () => Record<string, unknown>): Record<string, unknown> {
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  const r = step();
  writeFileSync(file, JSON.stringify(r));
  return r;
}
