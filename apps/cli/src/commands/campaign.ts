import type { Command } from "commander";
import { cancelCampaign, campaignStatus, launchCampaign } from "@drnn/tuning";
import { STRATEGY_NAMES, type StrategyName } from "@drnn/ga";
import { readFileSync } from "node:fs";
import { action, type CommandContext, type ContextFactory } from "../command.js";
import { UsageError } from "../errors.js";
import { openExecutor, openPlatform, type Platform } from "../platform.js";
import { resolveDataset } from "../datasets.js";
import { followCampaign, humanSummary, summarize } from "../campaign-runner.js";
import { intOption, numberOption } from "../options.js";

interface LaunchFlags {
  dataset?: string;
  strategy: string;
  population: string;
  generations: string;
  budget?: string;
  maxEpochs: string;
  pi: string;
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

function launchInput(f: LaunchFlags) {
  if (!f.dataset) throw new UsageError("--dataset DIR-or-ID is required");
  if (!(STRATEGY_NAMES as readonly string[]).includes(f.strategy)) throw new UsageError(`--strategy must be one of ${STRATEGY_NAMES.join(", ")}; got ${f.strategy}`);
  const population = intOption("--population", f.population, 2);
  const generations = intOption("--generations", f.generations, 1);
  const budget = f.budget === undefined ? population * generations : intOption("--budget", f.budget, 1);
  let searchSpace: unknown;
  if (f.searchSpace) {
    try {
      searchSpace = JSON.parse(readFileSync(f.searchSpace, "utf8"));
    } catch (err) {
      throw new UsageError(`--search-space ${f.searchSpace}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return {
    dataset: f.dataset,
    strategy: f.strategy as StrategyName,
    seed: BigInt(intOption("--seed", f.seed, 0)),
    budget,
    ...(f.name ? { name: f.name } : {}),
    ...(searchSpace === undefined ? {} : { searchSpace }),
    settings: {
      ga: { populationSize: population, generations },
      training: { maxEpochs: intOption("--max-epochs", f.maxEpochs, 1), pi: numberOption("--pi", f.pi, 0) },
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
    .option("--dataset <dir-or-id>", "prepared dataset directory, or a registered dataset id")
    .option("--strategy <s>", STRATEGY_NAMES.join(" | "), "elitist")
    .option("--population <P>", "population size", "8")
    .option("--generations <G>", "generations", "5")
    .option("--budget <N>", "most fitness evaluations (default P x G)")
    .option("--max-epochs <R>", "at most R epochs per candidate", "5")
    .option("--pi <p>", "stop once validation accuracy moves less than p", "0.01")
    .option("--seed <S>", "campaign seed", "1")
    .option("--name <name>")
    .option("--search-space <file>", "a search space JSON document (default: the built-in CPU space)")
    .option("--threads <n>", "training threads when jobs run in this process", "1")
    .option("--follow", "run the coordinator here with a progress bar and wait for the end")
    .action(
      action<LaunchFlags>(ctx, {
        handler: (c, f) =>
          withPlatform(c, async (p) => {
            const input = launchInput(f);
            const dataset = await resolveDataset(p.repos, input.dataset);
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
