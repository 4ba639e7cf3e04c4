// Runs `prisma generate` after install. Generation never starts the schema
// engine, but the CLI insists that its binary exists; on machines that cannot
// download it, point the CLI at a placeholder so it does not try.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) {
  const dir = join(tmpdir(), "drnn-prisma");
  const placeholder = join(dir, "schema-engine-placeholder");
  if (!existsSync(placeholder)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(placeholder, "#!/bin/sh\necho 'schema engine not available offline; use drnn db deploy' >&2\nexit 1\n", { mode: 0o755 });
  }
  env.PRISMA_SCHEMA_ENGINE_BINARY = placeholder;
}
const result = spawnSync("pnpm", ["exec", "prisma", "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
