import type { Command } from "commander";
import { notBuilt, type ContextFactory } from "../command.js";

export function registerDoctorCommand(program: Command, ctx: ContextFactory): void {
  program.command("doctor").description("check the configured services").action(notBuilt(ctx, "doctor"));
}
