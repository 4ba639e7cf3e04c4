// `drnn bench data`: the data pipeline's fixed workload. Prepares the
// YOOCHOOSE sample (1x, twice: same hash, warm timing) and a 10x copy of it
// (the sample repeated with shifted session ids), each in a fresh child
// process so its peak RSS is its own. Figures go to docs/BENCHMARKS.md.
import { spawn } from "node:child_process";
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { once } from "node:events";
import { cpus, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { CommandContext, Result } from "../command.js";
import { intOptionOr } from "../options.js";

export interface DataBenchOptions {
  input?: string;
  scale?: string;
}

/** Session ids of copy c are shifted past every id of the sample (< 12 M). */
const ID_SHIFT = 100_000_000;

async function repeatFile(from: string, to: string, copies: number): Promise<void> {
  const out = createWriteStream(to);
  for (let c = 0; c < copies; c++) {
    const lines = createInterface({ input: createReadStream(from), crlfDelay: Infinity });
    let chunk = "";
    for await (const line of lines) {
      const comma = line.indexOf(",");
      if (comma < 0) continue;
      chunk += `${Number(line.slice(0, comma)) + c * ID_SHIFT}${line.slice(comma)}\n`;
      if (chunk.length > 1 << 16) {
        if (!out.write(chunk)) await once(out, "drain");
        chunk = "";
      }
    }
    if (!out.write(chunk)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

export async function buildScaledInput(input: string, dir: string, copies: number): Promise<void> {
  for (const name of readdirSync(input).filter((n) => /(clicks|buys).*\.dat$/.test(n))) {
    await repeatFile(join(input, name), join(dir, name), copies);
  }
}

export interface RunFigures {
  seconds: number;
  wallSeconds: number;
  peakRssMb: number;
  records: number;
  sessions: number;
  purchaseSessions: number;
  samples: number;
  contentHash: string;
}

/** One `drnn data prepare` in a fresh process (same node flags, so tsx too). */
export async function prepareInChild(input: string, out: string): Promise<RunFigures> {
  // The CLI's own entry, run with this process's node flags (tsx's loader among them).
  const script = fileURLToPath(new URL("../main.ts", import.meta.url));
  const began = performance.now();
  const child = spawn(process.execPath, [...process.execArgv, script, "data", "prepare", "--format", "yoochoose", "--input", input, "--out", out, "--no-register", "--json"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  const [code] = (await once(child, "exit")) as [number];
  const wallSeconds = (performance.now() - began) / 1000;
  const last = stdout.trim().split("\n").pop() ?? "{}";
  const r = JSON.parse(last) as Record<string, unknown>;
  if (code !== 0) throw new Error(`prepare failed: ${last}`);
  const s = r.samples as Record<string, number>;
  return {
    seconds: r.seconds as number,
    wallSeconds: Math.round(wallSeconds * 100) / 100,
    peakRssMb: r.peakRssMb as number,
    records: r.records as number,
    sessions: r.sessions as number,
    purchaseSessions: r.purchaseSessions as number,
    samples: (s.train ?? 0) + (s.val ?? 0) + (s.test ?? 0),
    contentHash: r.contentHash as string,
  };
}

export async function runDataBench(ctx: CommandContext, options: DataBenchOptions): Promise<Result> {
  const input = resolve(options.input ?? "../shared/data/yoochoose");
  const copies = intOptionOr("--scale", options.scale, 10, 2);
  const work = mkdtempSync(join(tmpdir(), "drnn-bench-data-"));
  try {
    ctx.out.progress(`bench data: 1x ${input} (cold, then warm)`);
    const cold = await prepareInChild(input, join(work, "x1-a"));
    const warm = await prepareInChild(input, join(work, "x1-b"));
    ctx.out.progress(`bench data: building the ${copies}x input`);
    const scaled = join(work, "input");
    mkdirSync(scaled);
    await buildScaledInput(input, scaled, copies);
    ctx.out.progress(`bench data: ${copies}x`);
    const big = await prepareInChild(scaled, join(work, `x${copies}`));
    const cpu = cpus()[0]?.model ?? "unknown";
    return {
      workload: "data",
      machine: { cpus: cpus().length, cpu, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
      input,
      x1: { ...warm, coldSeconds: cold.seconds, coldWallSeconds: cold.wallSeconds },
      [`x${copies}`]: big,
      sameHashTwice: cold.contentHash === warm.contentHash,
      scale: copies,
      rssRatio: Math.round((big.peakRssMb / warm.peakRssMb) * 100) / 100,
      recordsPerSecond: Math.round(warm.records / warm.seconds),
      underTwoSeconds: warm.seconds < 2,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
