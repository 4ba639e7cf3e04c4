// `drnn bench search`: random search, the paper's GA, the elitist GA, the
// elitist GA with pruning across candidates, and Optuna TPE, on one real
// DRNN objective (the synthetic shop, prepared once), at an equal budget of
// training epochs per run, over several seeds. Reports each contender's
// median best-so-far validation fitness against epochs, the winner's test
// hit@1, and the two targets as measured (figures: docs/BENCHMARKS.md).
import { spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadDataset, prepareDataset, writeSyntheticLog } from "@drnn/data";
import { PRUNING_DEFAULTS, TrainingSettingsSchema, type TrainingSettings } from "@drnn/ga";
import { DrnnThreadTrainer } from "@drnn/tuning";
import type { CommandContext, Result } from "../../command.js";
import { intOption } from "../../options.js";
import { gaContender, startTpeProcesses, tpeContender, type Contender, type RunTrace } from "./contenders.js";
import { benchSpace, Objective, type ObjectiveContext } from "./objective.js";
import { aggregate, markdownTable, targets } from "./report.js";

export interface SearchBenchFlags {
  shopSessions: string;
  seeds: string;
  budgetEpochs: string;
  maxEpochs: string;
  population: string;
  threads: string;
  contenders?: string;
  out?: string;
  verbose?: boolean;
}

interface Entry {
  name: string;
  run: Contender;
  pruning: boolean;
}

function entries(population: number, tpe: Map<number, ChildProcess>): Entry[] {
  return [
    { name: "random", run: gaContender("random", population), pruning: false },
    { name: "ga-paper", run: gaContender("paper", population), pruning: false },
    { name: "ga-elitist", run: gaContender("elitist", population), pruning: false },
    { name: "elitist+pruning", run: gaContender("elitist", population), pruning: true },
    { name: "tpe", run: tpeContender(population, tpe), pruning: false },
  ];
}

function optunaVersion(): string | null {
  const r = spawnSync("/usr/bin/python3", ["-c", "import optuna; print(optuna.__version__)"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

async function shop(c: CommandContext, sessions: number): Promise<string> {
  const dir = resolve(c.config.DRNN_HOME, "bench-search", `shop-${sessions}`);
  if (!existsSync(join(dir, "dataset", "manifest.json"))) {
    mkdirSync(dir, { recursive: true });
    c.out.progress(`synthesizing and preparing a ${sessions}-session shop in ${dir}...`);
    await writeSyntheticLog(join(dir, "log.jsonl"), { sessions, seed: 1 });
    await prepareDataset({ format: "jsonl", input: join(dir, "log.jsonl"), out: join(dir, "dataset") });
  }
  return join(dir, "dataset");
}

/** Runs every (contender, seed) pair, `threads` at a time (one training thread each). */
async function runAll(c: CommandContext, ctx: ObjectiveContext, list: Entry[], seeds: number, budget: number, threads: number): Promise<Map<string, RunTrace[]>> {
  const jobs = list.flatMap((e) => Array.from({ length: seeds }, (_, s) => ({ e, seed: s + 1 })));
  const traces = new Map<string, RunTrace[]>(list.map((e) => [e.name, []]));
  const space = benchSpace();
  let next = 0;
  const lane = async () => {
    for (let j = jobs[next++]; j !== undefined; j = jobs[next++]) {
      const training: TrainingSettings = { ...ctx.training, pruning: j.e.pruning ? { ...PRUNING_DEFAULTS } : null };
      const t0 = performance.now();
      const trace = await j.e.run(new Objective({ ...ctx, training }, j.seed), space, budget, j.seed);
      traces.get(j.e.name)?.push(trace);
      c.out.progress(`${j.e.name} seed ${j.seed}: best ${trace.best?.fitness.toFixed(4) ?? "-"} after ${trace.evaluations} evaluations (${trace.pruned} pruned), ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
  };
  await Promise.all(Array.from({ length: threads }, lane));
  return traces;
}

export async function runSearchBench(c: CommandContext, f: SearchBenchFlags): Promise<Result> {
  const began = performance.now();
  const seeds = intOption("--seeds", f.seeds, 1);
  const budget = intOption("--budget-epochs", f.budgetEpochs, 1);
  const population = intOption("--population", f.population, 2);
  const threads = intOption("--threads", f.threads, 1);
  const optuna = optunaVersion();
  const wanted = (name: string) => f.contenders === undefined || f.contenders.split(",").includes(name);
  if (optuna === null && wanted("tpe")) c.out.progress("python3-optuna is missing (/usr/bin/python3 cannot import optuna; apt-get install python3-optuna): TPE is left out");
  const tpe = optuna !== null && wanted("tpe") ? startTpeProcesses(seeds) : new Map<number, ChildProcess>();
  const list = entries(population, tpe).filter((e) => wanted(e.name) && (e.name !== "tpe" || tpe.size > 0));
  const location = await shop(c, intOption("--shop-sessions", f.shopSessions, 50));
  const d = loadDataset(location);
  const trainer = await DrnnThreadTrainer.start({ threads, ...(c.config.DRNN_BACKEND ? { backend: c.config.DRNN_BACKEND } : {}) });
  const training = TrainingSettingsSchema.parse({ maxEpochs: intOption("--max-epochs", f.maxEpochs, 1) });
  const ctx: ObjectiveContext = { trainer, dataset: { id: "00000000-0000-4000-8000-000000000000", contentHash: d.manifest.contentHash, location }, training, ...(f.verbose ? { progress: (l: string) => c.out.progress(l) } : {}) };
  c.out.progress(`${list.map((e) => e.name).join(", ")}: ${seeds} seeds x ${budget} epochs each (R = ${training.maxEpochs}, ${training.policy}, P = ${population}) on ${trainer.backend}, ${threads} threads`);
  let traces: Map<string, RunTrace[]>;
  try {
    traces = await runAll(c, ctx, list, seeds, budget, threads);
  } finally {
    await trainer.close();
    for (const child of tpe.values()) if (child.exitCode === null) child.kill();
  }
  const contenders = aggregate(traces, budget);
  const report = {
    seeds,
    budgetEpochs: budget,
    maxEpochs: training.maxEpochs,
    policy: training.policy,
    populationSize: population,
    dataset: { sessions: Number(f.shopSessions), samples: d.manifest.splits, contentHash: d.manifest.contentHash },
    optuna,
    backend: trainer.backend,
    contenders,
    ...targets(contenders, budget),
    wallSeconds: Number(((performance.now() - began) / 1000).toFixed(1)),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? "unknown", loadavg: loadavg().map((x) => Number(x.toFixed(2))) },
  };
  if (f.out) {
    mkdirSync(f.out, { recursive: true });
    writeFileSync(join(f.out, "bench-search.json"), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(f.out, "bench-search.md"), markdownTable(contenders, budget));
    const plot = spawnSync("/usr/bin/python3", [fileURLToPath(new URL("./plot.py", import.meta.url)), join(f.out, "bench-search.png")], { input: JSON.stringify(report), encoding: "utf8" });
    c.out.progress(plot.status === 0 ? `wrote ${f.out}/bench-search.{json,md,png}` : `no plot (python3-matplotlib missing? ${plot.stderr.trim().split("\n").pop() ?? ""})`);
  }
  return report;
}
