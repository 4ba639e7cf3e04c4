// `drnn train`: one fitness evaluation of a chromosome, exactly as a worker
// runs it (DESIGN.md sections 5 and 8), plus the test-split metrics of the
// trained model from the same scorer the baselines use.
import { existsSync, readFileSync } from "node:fs";
import type { Command } from "commander";
import { loadDataset } from "@drnn/data";
import { InvalidChromosomeError, parseChromosome } from "@drnn/contract";
import { FITNESS_POLICIES, TRAINING_DEFAULTS, type FitnessPolicy } from "@drnn/ga";
import { BACKEND_CHOICES, PAPER_STEP_DECAY, saveModel, scoreSplit, selectBackend, trainModel, type ChromosomeInput, type TrainOptions } from "@drnn/model";
import { action, type ContextFactory } from "../command.js";
import { UsageError } from "../errors.js";
import { datasetDirFor } from "../datasets.js";

interface TrainFlags {
  dataset?: string;
  chromosome?: string;
  maxEpochs?: string;
  pi?: string;
  patience?: string;
  policy?: string;
  seed?: string;
  backend?: string;
  save?: string;
  unsettledFitness?: string;
  stepDecay?: boolean;
  trainSamples?: string;
  valSamples?: string;
}

function number(flag: string, value: string | undefined, fallback: number, check: (n: number) => boolean, allowed: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || !check(n)) throw new UsageError(`--${flag} must be ${allowed}; got ${value}`);
  return n;
}

const positiveInt = (n: number) => Number.isInteger(n) && n > 0;

/** The chromosome as JSON text or a file holding it, validated (genes left out take their defaults) before any training. */
export function readChromosome(arg: string | undefined): ChromosomeInput {
  if (arg === undefined) throw new UsageError("--chromosome is required: a JSON object of genes, or a file holding one");
  const text = arg.trimStart().startsWith("{") || !existsSync(arg) ? arg : readFileSync(arg, "utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`--chromosome is neither valid JSON nor a readable file: ${arg.slice(0, 80)}`);
  }
  try {
    return parseChromosome(json);
  } catch (err) {
    if (err instanceof InvalidChromosomeError) throw new UsageError(err.message);
    throw err;
  }
}

export function fitnessPolicy(value: string | undefined): FitnessPolicy {
  if (value === undefined) return TRAINING_DEFAULTS.policy;
  if (!(FITNESS_POLICIES as readonly string[]).includes(value)) throw new UsageError(`--policy must be one of ${FITNESS_POLICIES.join(", ")}; got ${value}`);
  return value as FitnessPolicy;
}

function trainOptions(f: TrainFlags): TrainOptions & { seed: number } {
  const d = TRAINING_DEFAULTS;
  const o: TrainOptions & { seed: number } = {
    rule: {
      policy: fitnessPolicy(f.policy),
      maxEpochs: number("max-epochs", f.maxEpochs, d.maxEpochs, positiveInt, "a positive integer"),
      pi: number("pi", f.pi, d.pi, (n) => n >= 0, "a number >= 0"),
      patience: number("patience", f.patience, d.patience, positiveInt, "a positive integer"),
      unsettledFitness: number("unsettled-fitness", f.unsettledFitness, d.unsettledFitness, () => true, "a number"),
    },
    seed: number("seed", f.seed, 1, Number.isInteger, "an integer"),
  };
  if (f.stepDecay === true) o.stepDecay = PAPER_STEP_DECAY;
  if (f.trainSamples !== undefined) o.trainSamplesPerEpoch = number("train-samples", f.trainSamples, 0, positiveInt, "a positive integer");
  if (f.valSamples !== undefined) o.validationSamples = number("val-samples", f.valSamples, 0, positiveInt, "a positive integer");
  return o;
}

export function registerTrainCommand(program: Command, ctx: ContextFactory): void {
  program
    .command("train")
    .description("one fitness evaluation of a chromosome, as a worker runs it, then the test-split metrics")
    .option("--dataset <dir-id-or-hash>", "prepared dataset directory, registered dataset id, or dataset hash")
    .option("--chromosome <json-or-file>", "chromosome JSON, or a file holding it; genes left out take the paper's defaults")
    .option("--policy <name>", `fitness policy: ${FITNESS_POLICIES.join(" | ")} (default ${TRAINING_DEFAULTS.policy})`)
    .option("--max-epochs <R>", `at most R epochs (default ${TRAINING_DEFAULTS.maxEpochs})`)
    .option("--pi <p>", `patience: least improvement of fit that counts; paper: accuracy change that counts as settled (default ${TRAINING_DEFAULTS.pi})`)
    .option("--patience <n>", `patience: epochs without improvement before stopping (default ${TRAINING_DEFAULTS.patience})`)
    .option("--seed <S>", "seed of every random choice", "1")
    .option("--backend <b>", `${BACKEND_CHOICES.join(" | ")} (default: DRNN_BACKEND, else the best that loads)`)
    .option("--save <dir>", "save the trained model (model.json + weights.bin + drnn.json + vocabularies)")
    .option("--unsettled-fitness <f>", "paper: fitness of a run that never settles within R epochs (default 0)")
    .option("--step-decay", "the paper's learning-rate decay: divide by 5 every 100 epochs")
    .option("--train-samples <n>", "train on a seeded random subset of n samples per epoch")
    .option("--val-samples <n>", "score validation on n evenly spread samples")
    .action(
      action<TrainFlags>(ctx, {
        handler: async (c, flags) => {
          const { config, out } = c;
          if (!flags.dataset) throw new UsageError("--dataset is required (a directory written by 'drnn data prepare', a dataset id or hash)");
          const chromosome = readChromosome(flags.chromosome);
          const options = trainOptions(flags);
          const dataset = loadDataset(await datasetDirFor(c, flags.dataset));
          const configured = config.DRNN_BACKEND;
          const backend = await selectBackend(flags.backend ?? configured, { webgpuFlags: config.DRNN_WEBGPU_FLAGS });
          out.progress(`backend ${backend.backend} on ${backend.device} (matmul: ${backend.matmul}; fused kernels: ${backend.fused}); training at most ${options.rule.maxEpochs} epochs (${options.rule.policy})...`);
          const abort = new AbortController();
          const onSigint = () => abort.abort();
          process.once("SIGINT", onSigint);
          const result = await trainModel(dataset, chromosome, {
            ...options,
            backend,
            signal: abort.signal,
            keepModel: true,
            onEpoch: (e) =>
              out.progress(
                `epoch ${e.epoch}: train loss ${e.trainLoss.toFixed(4)}, val loss ${e.valLoss.toFixed(4)}, val accuracy ${e.valAccuracy.toFixed(4)}, ${e.seconds.toFixed(1)} s, ${Math.round(e.samplesPerSecond)} samples/s`,
              ),
          }).finally(() => process.off("SIGINT", onSigint));
          const { model, ...summary } = result;
          let test: unknown = null;
          if (model !== undefined) {
            out.progress("scoring the test split...");
            test = scoreSplit(dataset, "test", await model.splitRanker(dataset, "test"));
            if (flags.save) {
              await saveModel(model, flags.save, { dataset, training: { fitness: summary.fitness, backend: backend.backend, device: backend.device, seed: options.seed } });
              out.progress(`saved the model to ${flags.save}`);
            }
            model.dispose();
          }
          return { ...summary, chromosome, dataset: dataset.manifest.contentHash, fixedKernels: backend.fixedKernels, test, ...(flags.save && model ? { saved: flags.save } : {}) };
        },
        human: (r) => {
          const t = r["test"] as { accuracy: number; mrr20: number; hit: Record<string, number> } | null;
          const head = `fitness ${(r["fitness"] as number).toFixed(4)} (${String(r["reason"])}): val accuracy ${(r["accuracy"] as number).toFixed(4)}, val loss ${(r["loss"] as number).toFixed(4)}, ${(r["epochs"] as unknown[]).length} epochs on ${String(r["backend"])}, ${Math.round(r["samplesPerSecond"] as number)} samples/s`;
          return t === null ? head : `${head}\ntest: accuracy ${t.accuracy.toFixed(4)}, hit@10 ${(t.hit["10"] ?? 0).toFixed(4)}, hit@20 ${(t.hit["20"] ?? 0).toFixed(4)}, MRR@20 ${t.mrr20.toFixed(4)}`;
        },
      }),
    );
}
