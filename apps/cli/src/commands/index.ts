// Every command of the contract is registered here, built or not, so --help
// always shows the whole surface and an unbuilt one exits 2 saying so.
import type { Command } from "commander";
import { notBuilt, type ContextFactory } from "../command.js";
import { registerDataCommands } from "./data.js";
import { registerDbCommands } from "./db.js";
import { registerDoctorCommand } from "./doctor.js";
import { registerBaselineCommand } from "./baseline.js";
import { registerBenchCommand } from "./bench.js";

export function registerCommands(program: Command, ctx: ContextFactory): void {
  registerDataCommands(program, ctx);
  registerDbCommands(program, ctx);
  registerDoctorCommand(program, ctx);

  registerBaselineCommand(program, ctx);
  program
    .command("train")
    .description("one fitness evaluation of a chromosome, as a worker runs it")
    .option("--dataset <dir>", "prepared dataset directory")
    .option("--chromosome <json-or-file>", "chromosome JSON, or a file holding it")
    .option("--max-epochs <R>", "at most R epochs")
    .option("--pi <p>", "stop once validation accuracy moves less than p")
    .action(notBuilt(ctx, "train"));

  const campaign = program.command("campaign").description("launch, follow, resume and cancel tuning campaigns");
  campaign
    .command("launch")
    .description("start a campaign")
    .option("--dataset <id-or-dir>")
    .option("--strategy <s>", "paper | elitist | random")
    .option("--population <P>")
    .option("--generations <G>")
    .option("--max-epochs <R>")
    .option("--pi <p>")
    .option("--seed <S>")
    .option("--follow", "show a progress bar and wait for the end")
    .action(notBuilt(ctx, "campaign launch"));
  for (const verb of ["status", "resume", "cancel"] as const) {
    campaign.command(`${verb} <id>`).description(`${verb} a campaign`).action(notBuilt(ctx, `campaign ${verb}`));
  }

  program.command("worker").description("run a fitness worker").option("--concurrency <n>").action(notBuilt(ctx, "worker"));
  program.command("coordinator").description("run the GA coordinator").action(notBuilt(ctx, "coordinator"));
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
  program.command("demo").description("the whole main job on one machine").action(notBuilt(ctx, "demo"));
}
