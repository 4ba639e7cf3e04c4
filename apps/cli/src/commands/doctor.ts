import type { Command } from "commander";
import { defaultMigrationsDir, migrationStatus } from "@drnn/db";
import { action, type ContextFactory } from "../command.js";
import { reachableDatabase, reachableRedis, redactUrl, viaVariable } from "../services.js";

export function registerDoctorCommand(program: Command, ctx: ContextFactory): void {
  program
    .command("doctor")
    .description("check DATABASE_URL and REDIS_URL: reachable, migrations current")
    .action(
      action(ctx, {
        handler: async ({ config }) => {
          const result: Record<string, unknown> = { embedded: !config.DATABASE_URL && !config.REDIS_URL };
          if (config.DATABASE_URL) {
            const url = await reachableDatabase(config);
            const status = await viaVariable("DATABASE_URL", () => migrationStatus(url, defaultMigrationsDir()));
            result["database"] = { url: redactUrl(url), reachable: true, migrationsClean: status.clean, pending: status.pending };
          } else result["database"] = { url: null, note: "DATABASE_URL not set: embedded mode" };
          if (config.REDIS_URL) {
            const url = await reachableRedis(config);
            result["redis"] = { url: redactUrl(url), reachable: true };
          } else result["redis"] = { url: null, note: "REDIS_URL not set: in-process job runner" };
          return result;
        },
      }),
    );
}
