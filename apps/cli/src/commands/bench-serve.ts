// `drnn bench serve`: page views over loopback HTTP into the real serving
// stack (Express app, Redis session state, the DRNN's per-view scorer or,
// with --forward tfjs, the micro-batched TF.js forward)
// with the paper-default architecture scaled to this machine's reference
// workload (k = 4, layers 256,256,64, FNN 3 x 256, M = 3,000 pages,
// N = 1,500 items; untrained seeded weights, which cost the same to run).
// The load generator runs in a worker thread so it does not share the
// server's event loop. Figures: an open-loop run at a fixed rate (the target
// is p99 < 5 ms at 500 page views/s), a closed-loop run for the most
// requests/s, and latency at session lengths 5, 50 and 500.
import { cpus, loadavg } from "node:os";
import type { AddressInfo } from "node:net";
import { Worker } from "node:worker_threads";
import { DEFAULT_COPY_SLOTS } from "@drnn/data";
import { createRedis } from "@drnn/queue";
import { DrnnModel, selectBackend, type ChromosomeInput, type ModelDims } from "@drnn/model";
import { ModelHolder, Recommender, ServingModel, SessionStore, createServingServer, type ServingForward } from "@drnn/serving";
import type { CommandContext, Result } from "../command.js";
import { UsageError } from "../errors.js";
import { intOption } from "../options.js";
import { measureBreakdown } from "./bench-serve-breakdown.js";
import { viaVariable } from "../services.js";

export interface ServeBenchFlags {
  rate: string;
  seconds: string;
  concurrency: string;
  sessions: string;
  artifact?: string;
  forward: string;
}

const FORWARDS: readonly ServingForward[] = ["auto", "openblas", "js", "tfjs"];

export const SCALED_PAPER_CHROMOSOME: ChromosomeInput = {
  w: 4,
  l: 3,
  h: 1,
  neurons: [256, 256, 64],
  learningRate: 0.1,
  optimizer: "sgd",
  activation: "relu",
  loss: "softmax",
  batchSize: 256,
  init: "xavier",
  history: true,
  fnnLayers: 3,
  fnnNeurons: 256,
  dropout: 0,
  // Off, as when the figures in docs/BENCHMARKS.md were measured.
  pointer: false,
};
const SCALED_DIMS: ModelDims = { pages: 3000, items: 1500, historyBag: 16, purchaseBag: 32, copySlots: DEFAULT_COPY_SLOTS };

// The load generator (plain JS, runs in a worker thread).
const GENERATOR = `
const { parentPort, workerData } = require("node:worker_threads");
const http = require("node:http");
const { url, mode, rate, seconds, concurrency, sessions, pages, bodies } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const target = new URL(url);
let seq = 0;
function body() {
  seq++;
  const s = Math.floor(Math.random() * sessions);
  const page = Math.random() < 0.02 ? "unknown-" + seq : "p" + (2 + Math.floor(Math.random() * (pages - 2)));
  const b = { sessionId: "bench-" + s, page };
  if (s % 5 === 0) b.userId = "u" + (s % 50);
  return JSON.stringify(b);
}
function send(payload) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.request({ host: target.hostname, port: target.port, path: "/v1/page-views", method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ ms: performance.now() - t0, ok: res.statusCode === 200 }));
    });
    req.on("error", () => resolve({ ms: performance.now() - t0, ok: false }));
    req.end(payload);
  });
}
async function main() {
  const lat = [];
  let errors = 0;
  const record = (r) => { lat.push(r.ms); if (!r.ok) errors++; };
  const t0 = performance.now();
  if (mode === "open") {
    const total = Math.round(rate * seconds);
    const pending = [];
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      pending.push(send(body()).then(record));
    }
    await Promise.all(pending);
  } else if (mode === "closed") {
    const end = t0 + seconds * 1000;
    await Promise.all(Array.from({ length: concurrency }, async () => { while (performance.now() < end) record(await send(body())); }));
  } else {
    for (const b of bodies) record(await send(JSON.stringify(b)));
  }
  parentPort.postMessage({ lat, errors, seconds: (performance.now() - t0) / 1000 });
  agent.destroy();
}
main();
`;

interface Run {
  lat: number[];
  errors: number;
  seconds: number;
}

function generate(data: Record<string, unknown>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const w = new Worker(GENERATOR, { eval: true, workerData: data });
    w.once("message", (m: Run) => resolve(m));
    w.once("error", reject);
  });
}

function summary(run: Run): { requests: number; errors: number; perSecond: number; p50Ms: number; p99Ms: number; maxMs: number } {
  const s = [...run.lat].sort((a, b) => a - b);
  const q = (p: number) => Number((s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0).toFixed(3));
  return { requests: s.length, errors: run.errors, perSecond: Math.round(s.length / run.seconds), p50Ms: q(0.5), p99Ms: q(0.99), maxMs: q(1) };
}

// eslint-disable-next-line max-lines-per-function -- one benchmark run read top to bottom: setup, load, measure, report
export async function runServeBench(c: CommandContext, f: ServeBenchFlags): Promise<Result> {
  const rate = intOption("--rate", f.rate, 1);
  const seconds = intOption("--seconds", f.seconds, 1);
  const concurrency = intOption("--concurrency", f.concurrency, 1);
  const sessions = intOption("--sessions", f.sessions, 1);
  const forward = FORWARDS.find((k) => k === f.forward);
  if (forward === undefined) throw new UsageError(`--forward must be one of ${FORWARDS.join(", ")}; got ${f.forward}`);
  const backend = await selectBackend(c.config.DRNN_BACKEND, { syncReads: true });
  const identity = { id: "bench", name: "bench", version: 1 };
  let model: ServingModel;
  if (f.artifact) {
    model = await ServingModel.load(f.artifact, identity, { forward });
  } else {
    const drnn = DrnnModel.create(SCALED_PAPER_CHROMOSOME, SCALED_DIMS, 1);
    const names = ["<pad>", "<oov>", ...Array.from({ length: SCALED_DIMS.pages - 2 }, (_, i) => `p${i + 2}`)];
    const purchases = Object.fromEntries(Array.from({ length: 50 }, (_, u) => [`u${u}`, [u, u + 50, u + 100]]));
    model = ServingModel.fromModel(identity, drnn, {
      pages: names,
      items: Array.from({ length: SCALED_DIMS.items }, (_, i) => `item${i}`),
      pageItems: names.map((_, id) => (id >= 2 && id % 2 === 0 ? id % SCALED_DIMS.items : -1)),
    }, { popularity: Array.from({ length: 50 }, (_, i): [number, number] => [i, 1 / 50]), purchases }, { forward });
  }
  const redisUrl = c.config.REDIS_URL ?? "redis://127.0.0.1:6379";
  const redis = createRedis(redisUrl, { maxRetriesPerRequest: 1 });
  await viaVariable("REDIS_URL", () => redis.connect());
  const prefix = `${c.config.DRNN_QUEUE_PREFIX}-bench-serve-${process.pid}`;
  const store = new SessionStore(redis, { prefix, capacity: c.config.DRNN_SESSION_CAPACITY });
  const holder = new ModelHolder();
  holder.swap(model);
  const server = createServingServer({ store, recommender: new Recommender(holder), holder }).listen(0, "127.0.0.1");
  await new Promise<void>((ok) => server.once("listening", () => ok()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const pages = model.model.dims.pages;
  try {
    c.out.progress(`warm-up (${backend.backend}, ${url})`);
    await generate({ url, mode: "closed", seconds: 2, concurrency: 8, sessions, pages });
    c.out.progress(`open loop: ${rate} page views/s for ${seconds} s over ${sessions} sessions`);
    const open = summary(await generate({ url, mode: "open", rate, seconds, sessions, pages }));
    c.out.progress(`  p50 ${open.p50Ms} ms, p99 ${open.p99Ms} ms, ${open.perSecond}/s, ${open.errors} errors`);
    c.out.progress(`closed loop: ${concurrency} concurrent clients for ${seconds} s`);
    const closed = summary(await generate({ url, mode: "closed", seconds, concurrency, sessions, pages }));
    c.out.progress(`  p50 ${closed.p50Ms} ms, p99 ${closed.p99Ms} ms, ${closed.perSecond}/s, ${closed.errors} errors`);
    const byLength = [];
    for (const length of [5, 50, 500]) {
      // 40 sessions already holding length-1 views (written straight to Redis), then the length-th view of each, one at a time.
      const ids = Array.from({ length: 40 }, (_, i) => `len${length}-${i}`);
      const start = Date.now() - length * 30_000;
      await Promise.all(ids.map(async (id, s) => {
        for (let t = 0; t < length - 1; t++) await store.append(id, { page: `p${2 + ((s * 7 + t * 13) % (pages - 2))}`, ts: start + t * 30_000 });
      }));
      const bodies = ids.map((sessionId, s) => ({ sessionId, page: `p${2 + ((s * 3) % (pages - 2))}` }));
      const r = summary(await generate({ url, mode: "sequential", bodies }));
      c.out.progress(`session length ${length}: p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms`);
      byLength.push({ pages: length, requests: r.requests, p50Ms: r.p50Ms, p99Ms: r.p99Ms, errors: r.errors });
    }
    c.out.progress("per-view breakdown (in-process, sessions at the store's capacity)");
    const breakdown = await measureBreakdown(store, model);
    return {
      workload: "serve",
      p50Ms: open.p50Ms,
      p99Ms: open.p99Ms,
      perSecond: closed.perSecond,
      target: { rate, p99Ms: 5, met: open.p99Ms < 5 && open.errors === 0 && open.perSecond >= rate * 0.95 },
      openLoop: { rate, seconds, sessions, ...open },
      closedLoop: { concurrency, seconds, ...closed },
      sessionLength: byLength,
      sessionCapacity: store.capacity,
      breakdown,
      forward: model.forward,
      model: { chromosome: model.model.chromosome, dims: model.model.dims, artifact: f.artifact ?? null },
      backend: backend.backend,
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? "unknown", loadAverage: loadavg().map((l) => Number(l.toFixed(2))), node: process.version },
    };
  } finally {
    await new Promise<void>((done) => server.close(() => done()));
    server.closeAllConnections();
    holder.close();
    const keys = await redis.keys(`${prefix}:*`);
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    redis.disconnect();
  }
}
