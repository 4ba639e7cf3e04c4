// `drnn demo`: the main job on one machine. Synthetic shop log -> prepared
// dataset -> a short elitist campaign -> the best chromosome and its test
// metrics next to the baselines on the same split.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { ARTIFACT_VERSION, prepareDataset, writeSyntheticLog } from "@drnn/data";
import { launchCampaign } from "@drnn/tuning";
import { action, type ContextFactory } from "../command.js";
import { demoDir } from "../platform.js";
import { resolveDataset } from "../datasets.js";
import { openArtifacts } from "../node-artifacts.js";
import { follow, withPlatform } from "./campaign.js";
import { humanSummary } from "../campaign-runner.js";
import { intOption } from "../options.js";

interface DemoFlags {
  sessions: string;
  budget: string;
  seed: string;
}

/** A demo dataset prepared by this version (an older artifact layout is prepared again). */
function preparedHere(dir: string): boolean {
  const manifest = join(dir, "manifest.json");
  return existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { version?: number }).version === ARTIFACT_VERSION;
}

export function registerDemoCommand(program: Command, ctx: ContextFactory): void {
  program
    .command("demo")
    .description("the whole main job on one machine: synthetic data, a short campaign, the best model's test metrics")
    .option("--sessions <N>", "synthetic sessions", "3000")
    .option("--budget <N>", "fitness evaluations", "8")
    .option("--seed <S>", "seed for the data and the campaign", "1")
    .action(
      action<DemoFlags>(ctx, {
        handler: (c, f) =>
          withPlatform(c, async (p) => {
            const seed = intOption("--seed", f.seed, 0);
            const budget = intOption("--budget", f.budget, 1);
            const dir = join(demoDir(c.config), `s${seed}-n${f.sessions}`);
            mkdirSync(dir, { recursive: true });
            if (!preparedHere(join(dir, "dataset"))) {
              c.out.progress(`synthesizing ${f.sessions} shop sessions...`);
              await writeSyntheticLog(join(dir, "log.jsonl"), { sessions: intOption("--sessions", f.sessions, 10), seed });
              await prepareDataset({ format: "jsonl", input: join(dir, "log.jsonl"), out: join(dir, "dataset"), force: true, onProgress: (l) => c.out.progress(l) });
            }
            const dataset = await resolveDataset(openArtifacts(c.config, p.repos, c.out), join(dir, "dataset"));
            const campaign = await launchCampaign(p.repos, {
              name: "demo",
              datasetId: dataset.id,
              strategy: "elitist",
              seed: BigInt(seed),
              budget,
              settings: { ga: { populationSize: Math.min(4, budget), generations: Math.ceil(budget / 2) }, training: { maxEpochs: 4 } },
            });
            c.out.progress(`campaign ${campaign.id}: elitist, ${budget} evaluations`);
            const summary = await follow(c, p, campaign.id, 1);
            return { mode: p.mode, ...summary, dashboard: "pnpm --filter @drnn/dashboard build && pnpm drnn token create --name me --scope write && pnpm drnn api --port 8080, then open http://127.0.0.1:8080" };
          }),
        human: (r) =>
          [
            humanSummary(r),
            `dashboard: ${String(r["dashboard"])}`,
          ].join("\n"),
      }),
    );
}
