// The database half of a /readyz probe: PostgreSQL answers, and every
// migration in the folder is applied (a node started before `drnn db deploy`,
// or running older code than the schema, is not ready).
import { checkDatabase } from "./client.js";
import { defaultMigrationsDir } from "./migrations/files.js";
import { migrationStatus } from "./migrations/deploy.js";

/** Named checks, each throwing its one-line reason when it fails. */
export function databaseReadiness(url: string, dir: string = defaultMigrationsDir()): Record<"postgresql" | "migrations", () => Promise<void>> {
  return {
    postgresql: () => checkDatabase(url, 2000),
    migrations: async () => {
      const s = await migrationStatus(url, dir);
      if (s.clean) return;
      const parts = [
        s.pending.length ? `${s.pending.length} pending` : "",
        s.modified.length ? `${s.modified.length} edited after being applied` : "",
        s.failed.length ? `${s.failed.length} unfinished` : "",
        s.unknown.length ? `${s.unknown.length} unknown to this build` : "",
      ].filter((p) => p !== "");
      throw new Error(`migrations not applied: ${parts.join(", ")}; run 'drnn db deploy'`);
    },
  };
}
