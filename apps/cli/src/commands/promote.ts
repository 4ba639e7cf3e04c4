// `drnn promote --campaign ID [--name NAME]` and `drnn rollback --name NAME
// --to VERSION`: the model registry from the command line, for people and
// deploy scripts alike (--json: name, version, fitness, ...).
import { userInfo } from "node:os";
import { resolve } from "node:path";
import type { Command } from "commander";
import { selectBackend } from "@drnn/model";
import { DEFAULT_MODEL_NAME, promoteCampaign, rollbackModel } from "@drnn/serving";
import { action, type ContextFactory, type Result } from "../command.js";
import { UsageError } from "../errors.js";
import { intOption } from "../options.js";
import { withPlatform } from "./campaign.js";
import { openArtifacts } from "../node-artifacts.js";

interface PromoteFlags {
  campaign?: string;
  name?: string;
  actor?: string;
}

interface RollbackFlags {
  name?: string;
  to?: string;
  actor?: string;
}

function defaultActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return "cli";
  }
}

function humanPromote(r: Result): string {
  const test = r.test as { accuracy?: number; hit?: Record<string, number> } | undefined;
  return [
    `${String(r.name)} version ${String(r.version)} is now production (was ${r.previousVersion === null ? "none" : String(r.previousVersion)})`,
    `fitness ${String(r.fitness)}, test accuracy ${test?.accuracy?.toFixed(4) ?? "?"}, hit@10 ${test?.hit?.["10"]?.toFixed(4) ?? "?"}`,
    String(r.note),
    `artifact ${String(r.artifact)}`,
  ].join("\n");
}

export function registerPromoteCommands(program: Command, ctx: ContextFactory): void {
  program
    .command("promote")
    .description("promote a campaign's best model: register a new version and point production at it")
    .option("--campaign <id>", "the campaign whose best completed candidate is promoted")
    .option("--name <name>", "model name", DEFAULT_MODEL_NAME)
    .option("--actor <who>", "recorded as who promoted it (default cli:<user>)")
    .action(
      action<PromoteFlags>(ctx, {
        handler: async (c, f) => {
          if (!f.campaign) throw new UsageError("--campaign ID is required");
          const campaignId = f.campaign;
          const backend = await selectBackend(c.config.DRNN_BACKEND, { syncReads: true });
          c.out.progress(`TF.js backend '${backend.backend}' (${backend.device})`);
          return withPlatform(c, async (p) => {
            const r = await promoteCampaign(p.repos, {
              campaignId,
              name: f.name ?? DEFAULT_MODEL_NAME,
              actor: f.actor ?? defaultActor(),
              artifactsDir: resolve(c.config.DRNN_ARTIFACTS_DIR),
              artifacts: openArtifacts(c.config, p.repos, c.out),
              onProgress: (l) => c.out.progress(l),
            });
            return { ...r, backend: backend.backend };
          });
        },
        human: humanPromote,
      }),
    );
  program
    .command("rollback")
    .description("point a model's production alias back at an earlier version")
    .option("--name <name>", "model name", DEFAULT_MODEL_NAME)
    .option("--to <version>", "the version to serve")
    .option("--actor <who>", "recorded as who rolled back (default cli:<user>)")
    .action(
      action<RollbackFlags>(ctx, {
        handler: async (c, f) => {
          if (f.to === undefined) throw new UsageError("--to VERSION is required");
          const toVersion = intOption("--to", f.to, 1);
          return withPlatform(c, (p) => rollbackModel(p.repos, { name: f.name ?? DEFAULT_MODEL_NAME, toVersion, actor: f.actor ?? defaultActor() }) as unknown as Promise<Result>);
        },
        human: (r) => `${String(r.name)} production is version ${String(r.version)} again (was ${String(r.previousVersion)}, fitness ${String(r.fitness)})`,
      }),
    );
}
