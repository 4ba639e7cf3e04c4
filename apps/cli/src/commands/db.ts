import type { Command } from "commander";
import { defaultMigrationsDir, deployMigrations, migrationStatus } from "@drnn/db";
import { action, type ContextFactory } from "../command.js";
import { reachableDatabase, viaVariable } from "../services.js";

export function registerDbCommands(program: Command, ctx: ContextFactory): void {
  const db = program.command("db").description("database migrations (no Prisma engine download needed)");
  db.command("deploy")
    .description("apply pending migrations from prisma/migrations to DATABASE_URL")
    .action(
      action(ctx, {
        handler: async ({ config, out }) => {
          const url = await reachableDatabase(config);
          out.progress("applying migrations...");
          const result = await viaVariable("DATABASE_URL", () => deployMigrations(url, defaultMigrationsDir()));
          return { applied: result.applied, alreadyApplied: result.alreadyApplied, upToDate: true };
        },
        human: (r) =>
          (r["applied"] as string[]).length === 0
            ? `nothing to do: all ${String(r["alreadyApplied"])} migrations already applied`
            : `applied ${(r["applied"] as string[]).join(", ")}`,
      }),
    );
  db.command("status")
    .description("applied, pending and drifted migrations of DATABASE_URL")
    .action(
      action(ctx, {
        handler: async ({ config }) => {
          const url = await reachableDatabase(config);
          const status = await viaVariable("DATABASE_URL", () => migrationStatus(url, defaultMigrationsDir()));
          return { ...status };
        },
        human: (r) =>
          r["clean"] === true
            ? `clean: ${(r["applied"] as string[]).length} migrations applied, none pending`
            : ["pending", "modified", "failed", "unknown"]
                .filter((k) => (r[k] as string[]).length > 0)
                .map((k) => `${k}: ${(r[k] as string[]).join(", ")}`)
                .join("\n"),
      }),
    );
}
