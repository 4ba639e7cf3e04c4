// `drnn bench artifacts`: what the artifact store costs. Prepares the
// YOOCHOOSE sample and the 10x input of `drnn bench data`, then for each
// prepared dataset: pack + hash only, push to the configured store
// (DATABASE_URL's PostgreSQL, else embedded PGlite), fetch into an empty
// node cache (download, hash check, unpack, fsync, rename), and fetch again
// (a cache hit: every file re-hashed against its recorded digest). Blobs the
// bench created are deleted afterwards. Figures go to docs/BENCHMARKS.md.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { ArtifactCache, PostgresArtifactStore, hashDirectory, packDirectory, type ArtifactStore } from "@drnn/artifacts";
import type { CommandContext, Result } from "../command.js";
import { intOptionOr } from "../options.js";
import { openPlatform } from "../platform.js";
import { buildScaledInput, prepareInChild, type DataBenchOptions } from "./bench-data.js";

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const began = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - began) / 1000 };
}

async function measure(store: ArtifactStore, dir: string, work: string) {
  const packed = await timed(() => hashDirectory(dir));
  const existed = (await store.stat(packed.value.hash)) !== null;
  const push = await timed(() => store.put(packDirectory(dir), { kind: "dataset", label: "bench artifacts" }));
  const cache = new ArtifactCache({ dir: mkdtempSync(join(work, "cache-")), store, maxBytes: Number.MAX_SAFE_INTEGER });
  const cold = await timed(() => cache.fetch(push.value.hash));
  const hit = await timed(() => cache.fetch(push.value.hash));
  if (!existed) await store.delete(push.value.hash);
  const mb = push.value.bytes / 1e6;
  return {
    hash: push.value.hash,
    bytes: push.value.bytes,
    mb: round(mb, 1),
    packHashSeconds: round(packed.seconds),
    pushSeconds: round(push.seconds),
    pushMBps: round(mb / push.seconds, 1),
    fetchSeconds: round(cold.seconds),
    fetchMBps: round(mb / cold.seconds, 1),
    cacheHitSeconds: round(hit.seconds),
    hashMatches: packed.value.hash === push.value.hash,
  };
}

export async function runArtifactsBench(ctx: CommandContext, options: DataBenchOptions): Promise<Result> {
  const input = resolve(options.input ?? "../shared/data/yoochoose");
  const copies = intOptionOr("--scale", options.scale, 10, 2);
  const platform = await openPlatform(ctx.config, ctx.out);
  const work = mkdtempSync(join(tmpdir(), "drnn-bench-artifacts-"));
  try {
    const store = new PostgresArtifactStore(platform.repos.artifacts);
    ctx.out.progress("bench artifacts: preparing the 1x sample");
    const x1 = await prepareInChild(input, join(work, "x1"));
    ctx.out.progress(`bench artifacts: 1x (${x1.samples} samples): push, fetch, cache hit`);
    const small = await measure(store, join(work, "x1"), work);
    ctx.out.progress(`bench artifacts: building and preparing the ${copies}x input`);
    mkdirSync(join(work, "input"));
    await buildScaledInput(input, join(work, "input"), copies);
    const xn = await prepareInChild(join(work, "input"), join(work, `x${copies}`));
    rmSync(join(work, "input"), { recursive: true, force: true });
    ctx.out.progress(`bench artifacts: ${copies}x (${xn.samples} samples): push, fetch, cache hit`);
    const big = await measure(store, join(work, `x${copies}`), work);
    return {
      workload: "artifacts",
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? "unknown", memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
      store: `${store.location} (${platform.mode})`,
      chunkBytes: 1 << 20,
      input,
      x1: { samples: x1.samples, ...small },
      [`x${copies}`]: { samples: xn.samples, ...big },
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
    await platform.close();
  }
}
