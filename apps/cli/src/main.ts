#!/usr/bin/env node
// `drnn`: the platform's one command (DESIGN.md section 8).
import { Command, CommanderError } from "commander";
import { ConfigError } from "@drnn/config";
import { loadConfig, type CliConfig } from "./config.js";
import { createOutput } from "./output.js";
import { reportFailure, type ContextFactory } from "./command.js";
import { registerCommands } from "./commands/index.js";
import { UsageError } from "./errors.js";

function buildProgram(getContext: ContextFactory): Command {
  const program = new Command("drnn")
    .description("Genetic tuning of a deep recurrent recommender: data, training, campaigns, serving.")
    .option("--json", "print exactly one JSON object as the last line of stdout")
    .configureOutput({ outputError: () => undefined })
    .exitOverride();
  registerCommands(program, getContext);
  return program;
}

async function main(argv: string[]): Promise<void> {
  const json = argv.includes("--json");
  let config: CliConfig | undefined;
  const getContext: ContextFactory = (asJson) => {
    config ??= loadConfig(process.env);
    return { config, out: createOutput(asJson) };
  };
  const program = buildProgram(getContext);
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return; // --help and --version
      reportFailure(new UsageError(`${err.message.replace(/^error: /, "")} (see drnn --help)`), json);
      return;
    }
    if (err instanceof ConfigError) {
      reportFailure(err, json);
      return;
    }
    reportFailure(err, json);
  }
}

await main(process.argv.slice(2));
