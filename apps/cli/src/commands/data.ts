import type { Command } from "commander";
import { notBuilt, type ContextFactory } from "../command.js";

export function registerDataCommands(program: Command, ctx: ContextFactory): void {
  const data = program.command("data").description("synthesize logs and prepare datasets");
  data
    .command("synth")
    .description("write a synthetic shop log (the embedded demo data)")
    .option("--sessions <N>")
    .option("--seed <S>")
    .option("--out <file>")
    .action(notBuilt(ctx, "data synth"));
  data
    .command("prepare")
    .description("sessionize a log into samples, splits and a dataset artifact")
    .option("--format <f>", "yoochoose | diginetica | retailrocket | otto | jsonl")
    .option("--input <path>")
    .option("--out <dir>")
    .option("--window <k>")
    .action(notBuilt(ctx, "data prepare"));
}
