// Every command of the contract is registered here, built or not, so --help
// always shows the whole surface and an unbuilt one exits 2 saying so.
import type { Command } from "commander";
import { notBuilt, type ContextFactory } from "../command.js";
import { registerDataCommands } from "./data.js";
import { registerDbCommands } from "./db.js";
import { registerDoctorCommand } from "./doctor.js";
import { registerBaselineCommand } from "./baseline.js";
import { registerBenchCommand } from "./bench.js";
import { registerCampaignCommands } from "./campaign.js";
import { registerServiceCommands } from "./services.js";
import { registerDemoCommand } from "./demo.js";
import { registerTrainCommand } from "./train.js";

export function registerCommands(program: Command, ctx: ContextFactory): void {
  registerDataCommands(program, ctx);
  registerDbCommands(program, ctx);
  registerDoctorCommand(program, ctx);

  registerBaselineCommand(program, ctx);
  registerTrainCommand(program, ctx);
  registerCampaignCommands(program, ctx);
  registerServiceCommands(program, ctx);
  program
    .command("promote")
    .description("promote a campaign's best model")
    .option("--campaign <id>")
    .option("--name <name>")
    .action(notBuilt(ctx, "promote"));
  program
    .command("rollback")
    .description("serve an earlier version of a model")
    .option("--name <name>")
    .option("--to <version>")
    .action(notBuilt(ctx, "rollback"));
  program.command("serve").description("serve recommendations").option("--port <port>").action(notBuilt(ctx, "serve"));
  registerBenchCommand(program, ctx);
  registerDemoCommand(program, ctx);
}
