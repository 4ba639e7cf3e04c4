import type { Command } from "commander";
import { notBuilt, type ContextFactory } from "../command.js";

export function registerDbCommands(program: Command, ctx: ContextFactory): void {
  const db = program.command("db").description("database migrations");
  db.command("deploy").description("apply pending migrations").action(notBuilt(ctx, "db deploy"));
  db.command("status").description("applied and pending migrations").action(notBuilt(ctx, "db status"));
}
