// `drnn bench <workload>`: fixed benchmark workloads (figures and how they
// are measured: docs/BENCHMARKS.md).
import type { Command } from "commander";
import { action, type ContextFactory } from "../command.js";
import { UsageError } from "../errors.js";
import { runArtifactsBench } from "./bench-artifacts.js";
import { runDataBench, type DataBenchOptions } from "./bench-data.js";
import { runQueueBench, type QueueBenchFlags } from "./bench-queue.js";
import { runServeBench, type ServeBenchFlags } from "./bench-serve.js";
import { runTrainBench, type TrainBenchFlags } from "./bench-train.js";
import { runSearchBench, type SearchBenchFlags } from "./bench-search/bench-search.js";

export function registerBenchCommand(program: Command, ctx: ContextFactory): void {
  program
    .command("bench <workload>")
    .description("fixed benchmark workloads: train, queue, serve, data, artifacts, search")
    .option("--input <dir>", "data, artifacts: the YOOCHOOSE directory", "../shared/data/yoochoose")
    .option("--scale <n>", "data, artifacts: the larger input is n copies of the sample", "10")
    .option("--jobs <n>", "queue: sequential jobs for the overhead figures", "200")
    .option("--workers <list>", "queue: simulated worker counts to scale over", "1,4,16")
    .option("--job-ms <ms>", "queue: simulated training time per job in the scaling run", "100")
    .option("--rate <n>", "serve: page views per second in the open-loop run", "500")
    .option("--seconds <n>", "serve: length of the open- and closed-loop runs", "10")
    .option("--concurrency <n>", "serve: concurrent clients in the closed-loop run", "32")
    .option("--sessions <n>", "serve: distinct sessions the page views spread over", "2000")
    .option("--shop-sessions <n>", "search: sessions of the synthetic shop the objective trains on", "600")
    .option("--seeds <n>", "search: seeds (runs) per contender", "5")
    .option("--budget-epochs <n>", "search: training epochs each run may spend", "60")
    .option("--max-epochs <R>", "search: R, the most epochs per candidate", "9")
    .option("--population <P>", "search: GA population (and TPE's random start-up trials)", "6")
    .option("--threads <n>", "search: training threads (runs at the same time)", "2")
    .option("--contenders <list>", "search: a subset of random, ga-paper, ga-elitist, elitist+pruning, tpe")
    .option("--out <dir>", "search: write bench-search.json, .md and .png here")
    .option("--verbose", "search: a line per evaluation")
    .option("--steps <n>", "train: timed training steps per backend (fewer than ~100 on a shared machine move by 20 %)", "100")
    .option("--warmup <n>", "train: warm-up steps per backend", "5")
    .option("--profile-steps <n>", "train: steps run with every kernel timed (0: no profile)", "3")
    .option("--backends <list>", "train: backends to try, comma-separated (default: every one that loads)")
    .option("--reference", "train: also run ../shared/bench/drnn_torch.py when /usr/bin/python3 has torch, and report the ratio")
    .option("--torch-seconds <n>", "train: length of the PyTorch reference run", "8")
    .option("--stock", "train: also run each cpu/wasm backend with the stock TF.js ops instead of the fused kernels (the before)")
    .option("--artifact <dir>", "serve: bench a saved model directory instead of the scaled paper-default model")
    .option("--forward <kind>", "serve: what scores a page view: auto, openblas, js (the session scorer) or tfjs (the batch forward)", "auto")
    .action(
      action<DataBenchOptions & QueueBenchFlags & ServeBenchFlags & TrainBenchFlags & SearchBenchFlags>(ctx, {
        handler: (c, o, args) => {
          const workload = args[0];
          if (workload === "train") return runTrainBench(c, o);
          if (workload === "data") return runDataBench(c, o);
          if (workload === "queue") return runQueueBench(c, o);
          if (workload === "serve") return runServeBench(c, o);
          if (workload === "artifacts") return runArtifactsBench(c, o);
          if (workload === "search") return runSearchBench(c, o);
          return Promise.reject(new UsageError(`unknown workload '${workload ?? ""}'; one of train, queue, serve, data, artifacts, search`));
        },
      }),
    );
}
