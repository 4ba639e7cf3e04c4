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

export function registerBenchCommand(program: Command, ctx: ContextFactory): void {
  program
    .command("bench <workload>")
    .description("fixed benchmark workloads: train, queue, serve, data, artifacts")
    .option("--input <dir>", "data, artifacts: the YOOCHOOSE directory", "../shared/data/yoochoose")
    .option("--scale <n>", "data, artifacts: the larger input is n copies of the sample", "10")
    .option("--jobs <n>", "queue: sequential jobs for the overhead figures", "200")
    .option("--workers <list>", "queue: simulated worker counts to scale over", "1,4,16")
    .option("--job-ms <ms>", "queue: simulated training time per job in the scaling run", "100")
    .option("--rate <n>", "serve: page views per second in the open-loop run", "500")
    .option("--seconds <n>", "serve: length of the open- and closed-loop runs", "10")
    .option("--concurrency <n>", "serve: concurrent clients in the closed-loop run", "32")
    .option("--sessions <n>", "serve: distinct sessions the page views spread over", "2000")
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
      action<DataBenchOptions & QueueBenchFlags & ServeBenchFlags & TrainBenchFlags>(ctx, {
        handler: (c, o, args) => {
          const workload = args[0];
          if (workload === "train") return runTrainBench(c, o);
          if (workload === "data") return runDataBench(c, o);
          if (workload === "queue") return runQueueBench(c, o);
          if (workload === "serve") return runServeBench(c, o);
          if (workload === "artifacts") return runArtifactsBench(c, o);
          return Promise.reject(new UsageError(`unknown workload '${workload ?? ""}'; one of train, queue, serve, data, artifacts`));
        },
      }),
    );
}
