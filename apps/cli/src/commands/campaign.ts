import type { Command } from "commander";
import { cancelCampaign, campaignStatus, launchCampaign } from "@drnn/tuning";
import { CAMPAIGN_DEFAULTS, FITNESS_POLICIES, PRUNING_DEFAULTS, STRATEGY_NAMES, TRAINING_DEFAULTS, defaultBudget, type StrategyName } from "@drnn/ga";
import { existsSync, readFileSync } from "node:fs";
import { action, type CommandContext, type ContextFactory } from "../command.js";
import { UsageError } from "../errors.js";
import { openExecutor, openPlatform, type Platform } from "../platform.js";
import { resolveDataset } from "../datasets.js";
import { openArtifacts } from "../node-artifacts.js";
import { followCampaign, humanSummary, summarize } from "../campaign-runner.js";
import { intOption, numberOption } from "../options.js";
import { fitnessPolicy } from "./train.js";

interface LaunchFlags {
  dataset?: string;
  strategy: string;
  population: string;
  generations: string;
  budget?: string;
  maxEpochs: string;
  pi: string;
  patience: string;
  policy: string;
  pruning?: boolean;
  eta: string;
  trainSamples?: string;
  valSamples?: string;
  initial?: string;
  warmStart?: string;
  seed: string;
  name?: string;
  searchSpace?: string;
  threads: string;
  follow?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Campaign ids are UUIDs; anything else is refused before touching the database. */
function campaignId(id: string | undefined): string {
  if (!id || !UUID.test(id)) throw new UsageError(`campaign id must be a UUID (as printed by 'drnn campaign launch'); got ${id ?? "nothing"}`);
  return id;
}

export async function withPlatform<T>(ctx: CommandContext, fn: (p: Platform) => Promise<T>): Promise<T> {
  const platform = await openPlatform(ctx.config, ctx.out);
  try {
    return await fn(platform);
  } finally {
    await platform.close();
  }
}

/** --initial: a JSON array of chromosomes (one object is taken as a list of one), or a file holding it. */
function readInitial(arg: string): unknown[] {
  const text = /^\s*[[{]/.test(arg) || !existsSync(arg) ? arg : readFileSync(arg, "utf8");
  try {
    const json: unknown = JSON.parse(text);
    return Array.isArray(json) ? json : [json];
  } catch (err) {
    throw new UsageError(`--initial is neither a JSON array of chromosomes nor a readable file holding one: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function launchInput(f: LaunchFlags) {
  if (!f.dataset) throw new UsageError("--dataset DIR, ID or HASH is required");
  if (!(STRATEGY_NAMES as readonly string[]).includes(f.strategy)) throw new UsageError(`--strategy must be one of ${STRATEGY_NAMES.join(", ")}; got ${f.strategy}`);
  const population = intOption("--population", f.population, 2);
  const generations = intOption("--generations", f.generations, 1);
  const budget = f.budget === undefined ? defaultBudget(population, generations) : intOption("--budget", f.budget, 1);
  let searchSpace: unknown;
  if (f.searchSpace) {
    try {
      searchSpace = JSON.parse(readFileSync(f.searchSpace, "utf8"));
    } catch (err) {
      throw new UsageError(`--search-space ${f.searchSpace}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const warmStart = {
    ...(f.initial === undefined ? {} : { initial: readInitial(f.initial) }),
    ...(f.warmStart === undefined ? {} : { fromCampaign: campaignId(f.warmStart) }),
  };
  return {
    dataset: f.dataset,
    warmStart,
    strategy: f.strategy as StrategyName,
    seed: BigInt(intOption("--seed", f.seed, 0)),
    budget,
    ...(f.name ? { name: f.name } : {}),
    ...(searchSpace === undefined ? {} : { searchSpace }),
    settings: {
      ga: { populationSize: population, generations },
      training: {
        policy: fitnessPolicy(f.policy),
        maxEpochs: intOption("--max-epochs", f.maxEpochs, 1),
        pi: numberOption("--pi", f.pi, 0),
        patience: intOption("--patience", f.patience, 1),
        pruning: f.pruning === true ? { eta: intOption("--eta", f.eta, 2), minEpochs: PRUNING_DEFAULTS.minEpochs } : null,
        trainSamples: f.trainSamples === undefined ? null : intOption("--train-samples", f.trainSamples, 1),
        validationSamples: f.valSamples === undefined ? null : intOption("--val-samples", f.valSamples, 1),
      },
    },
  };
}

/** Runs the campaign loop here, with workers in this process (embedded) or on BullMQ. */
export async function follow(ctx: CommandContext, p: Platform, campaignId: string, threads: number) {
  const ex = await openExecutor(ctx.config, p, ctx.out, threads);
  try {
    return await followCampaign(p.repos, ex.executor, campaignId, ctx.out);
  } finally {
    await ex.close();
  }
}

export function registerCampaignCommands(program: Command, ctx: ContextFactory): void {
  const campaign = program.command("campaign").description("launch, follow, resume and cancel tuning campaigns");
  campaign
    .command("launch")
    .description("start a campaign (embedded mode always follows it to the end)")
    .option("--dataset <dir-id-or-hash>", "prepared dataset directory (pushed to the artifact store), registered dataset id, or dataset hash")
    .option("--strategy <s>", STRATEGY_NAMES.join(" | "), CAMPAIGN_DEFAULTS.strategy)
    .option("--population <P>", "population size", String(CAMPAIGN_DEFAULTS.populationSize))
    .option("--generations <G>", "generations bred after the initial population", String(CAMPAIGN_DEFAULTS.generations))
    .option("--budget <N>", "most fitness evaluations (default P x (G + 1))")
    .option("--policy <name>", `fitness policy: ${FITNESS_POLICIES.join(" | ")}`, TRAINING_DEFAULTS.policy)
    .option("--max-epochs <R>", "at most R epochs per candidate", String(TRAINING_DEFAULTS.maxEpochs))
    .option("--pi <p>", "patience: least improvement of fit that counts; paper: accuracy change that counts as settled", String(TRAINING_DEFAULTS.pi))
    .option("--patience <n>", "patience: epochs without improvement before a candidate stops", String(TRAINING_DEFAULTS.patience))
    .option("--pruning", "prune across candidates (asynchronous successive halving at epochs 1, eta, eta^2, ...)")
    .option("--eta <n>", "with --pruning: the top 1/eta at each rung go on", String(PRUNING_DEFAULTS.eta))
    .option("--train-samples <n>", "each epoch trains on a seeded random subset of n training samples (default: all)")
    .option("--val-samples <n>", "the fitness scores n evenly spread validation samples (default: all)")
    .option("--initial <file-or-json>", "seed the initial population with these chromosomes (a JSON array, or a file holding one)")
    .option("--warm-start <campaign-id>", "seed the initial population with another campaign's best chromosomes")
    .option("--seed <S>", "campaign seed", String(CAMPAIGN_DEFAULTS.seed))
    .option("--name <name>")
    .option("--search-space <file>", "a search space JSON document (default: the built-in CPU space)")
    .option("--threads <n>", "training threads when jobs run in this process", "1")
    .option("--follow", "run the coordinator here with a progress bar and wait for the end")
    .action(
      action<LaunchFlags>(ctx, {
        handler: (c, f) =>
          withPlatform(c, async (p) => {
            const input = launchInput(f);
            const dataset = await resolveDataset(openArtifacts(c.config, p.repos, c.out), input.dataset);
            const row = await launchCampaign(p.repos, { ...input, datasetId: dataset.id });
            c.out.progress(`campaign ${row.id} on dataset ${dataset.name} (${dataset.contentHash.slice(0, 12)})`);
            if (f.follow || p.mode === "embedded") return { mode: p.mode, ...(await follow(c, p, row.id, intOption("--threads", f.threads, 1))) };
            return { mode: p.mode, ...summarize(await campaignStatus(p.repos, row.id)) };
          }),
        human: humanSummary,
      }),
    );
  campaign
    .command("status <id>")
    .description("a campaign's state, best chromosome and candidates")
    .action(action(ctx, { handler: (c, _f, [raw]) => {
          const id = campaignId(raw);
          return withPlatform(c, async (p) => summarize(await campaignStatus(p.repos, id)));
        }, human: humanSummary }));
  campaign
    .command("cancel <id>")
    .description("cancel a campaign; running candidates stop at their next heartbeat")
    .action(
      action(ctx, {
        handler: (c, _f, [raw]) => {
          const id = campaignId(raw);
          return withPlatform(c, async (p) => {
            await cancelCampaign(p.repos, id);
            return summarize(await campaignStatus(p.repos, id));
          });
        },
        human: humanSummary,
      }),
    );
  campaign
    .command("resume <id>")
    .description("run a queued or interrupted campaign to its end here")
    .option("--threads <n>", "training threads when jobs run in this process", "1")
    .action(
      action<{ threads: string }>(ctx, {
        handler: (c, f, [raw]) => {
          const id = campaignId(raw);
          return withPlatform(c, async (p) => ({ mode: p.mode, ...(await follow(c, p, id, intOption("--threads", f.threads, 1))) }));
        },
        human: humanSummary,
      }),
    );
}
