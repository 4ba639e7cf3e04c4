// Every command of the contract (DESIGN.md section 8) is registered here, so
// --help always shows the whole surface.
import type { Command } from "commander";
import type { ContextFactory } from "../command.js";
import { registerDataCommands } from "./data.js";
import { registerIngestCommand } from "./ingest.js";
import { registerArtifactCommands } from "./artifacts.js";
import { registerDbCommands } from "./db.js";
import { registerDoctorCommand } from "./doctor.js";
import { registerBaselineCommand } from "./baseline.js";
import { registerBenchCommand } from "./bench.js";
import { registerCampaignCommands } from "./campaign.js";
import { registerServiceCommands } from "./services.js";
import { registerDemoCommand } from "./demo.js";
import { registerTrainCommand } from "./train.js";
import { registerEvalCommand } from "./eval.js";
import { registerPromoteCommands } from "./promote.js";
import { registerServeCommand } from "./serve.js";
import { registerApiCommand } from "./api.js";
import { registerTokenCommands } from "./token.js";
import { registerOnlineCommands } from "./online/index.js";

export function registerCommands(program: Command, ctx: ContextFactory): void {
  registerDataCommands(program, ctx);
  registerIngestCommand(program, ctx);
  registerArtifactCommands(program, ctx);
  registerDbCommands(program, ctx);
  registerDoctorCommand(program, ctx);

  registerBaselineCommand(program, ctx);
  registerTrainCommand(program, ctx);
  registerEvalCommand(program, ctx);
  registerCampaignCommands(program, ctx);
  registerServiceCommands(program, ctx);
  registerPromoteCommands(program, ctx);
  registerServeCommand(program, ctx);
  registerOnlineCommands(program, ctx);
  registerApiCommand(program, ctx);
  registerTokenCommands(program, ctx);
  registerBenchCommand(program, ctx);
  registerDemoCommand(program, ctx);
}
