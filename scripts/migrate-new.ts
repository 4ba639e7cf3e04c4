// Writes a new migration: the SQL that takes the committed migrations to the
// current prisma/schema.prisma, in Prisma's own layout. Uses Prisma's Wasm
// schema engine, so it works where the native engine cannot be downloaded.
// Usage: pnpm db:migrate-new <name>   (needs DATABASE_URL's server for a shadow database)
import { mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import { fileURLToPath } from "node:url";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: pnpm db:migrate-new <name>   (name: lowercase letters, digits, _)");
  process.exit(2);
}
const root = process.cwd();
const migrationsDir = join(root, "prisma", "migrations");
const url = new URL(process.env["DATABASE_URL"] ?? "postgresql://postgres@127.0.0.1:5432/test");
const shadowName = `drnn_shadow_${process.pid}`;

function listMigrations() {
  if (!existsSync(migrationsDir)) return [];
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((dir) => ({
      path: join(migrationsDir, dir),
      migrationFile: { path: "migration.sql", content: { tag: "ok", value: readFileSync(join(migrationsDir, dir, "migration.sql"), "utf8") } },
    }));
}

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try { await client.query(sql); } finally { await client.end(); }
}

// The package imports its .wasm as an ES module (a bundler feature Node lacks),
// so instantiate it by hand with the generated glue as its import object.
async function loadSchemaEngine() {
  const glue = import.meta.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const bytes = readFileSync(fileURLToPath(glue).replace(/\.js$/, ".wasm"));
  // Node has WebAssembly; the TS libs configured here (no DOM) do not declare it.
  const wasm = (globalThis as unknown as { WebAssembly: { instantiate(b: Uint8Array, i: object): Promise<{ instance: { exports: Record<string, unknown> } }> } }).WebAssembly;
  const { instance } = await wasm.instantiate(bytes, { "./schema_engine_bg.js": bg });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports["__wbindgen_start"] as () => void)();
  return bg.SchemaEngine;
}

// Two adapter-pg 7.10 bugs on the migration path: it refuses the "char" column
// type (OID 18) that the engine's introspection selects (read it as text, which
// is what it is), and its executeScript splits scripts on every ";", which
// breaks function bodies (send the script whole: the simple query protocol
// runs several statements).
function patchAdapter(adapter: object) {
  const withScript = adapter as { executeScript: (s: string) => Promise<void>; underlyingDriver: () => pg.Pool };
  withScript.executeScript = async (script: string) => { await withScript.underlyingDriver().query(script); };
  let proto: Record<string, unknown> | null = Object.getPrototypeOf(adapter) as Record<string, unknown>;
  while (proto && !Object.hasOwn(proto, "performIO")) proto = Object.getPrototypeOf(proto) as Record<string, unknown> | null;
  if (!proto || (proto["performIO"] as { patched?: boolean }).patched) return;
  const original = proto["performIO"] as (this: unknown, q: unknown) => Promise<{ fields: { dataTypeID: number }[] } | undefined>;
  const patched = async function (this: unknown, q: unknown) {
    const result = await original.call(this, q);
    for (const f of result?.fields ?? []) if (f.dataTypeID === 18) f.dataTypeID = 25;
    return result;
  };
  proto["performIO"] = Object.assign(patched, { patched: true });
}

async function main() {
  const SchemaEngine = await loadSchemaEngine();
  await admin(`CREATE DATABASE ${shadowName}`);
  const pgConfig = { host: url.hostname, port: Number(url.port || 5432), user: decodeURIComponent(url.username || "postgres"), password: decodeURIComponent(url.password), database: shadowName };
  const factory = new PrismaPg(pgConfig);
  const migrationAware = {
    ...factory,
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => { const a = await factory.connect(); patchAdapter(a); return a; },
    connectToShadowDb: async () => { const a = await new PrismaPg({ ...pgConfig }).connect(); patchAdapter(a); return a; },
  };
  const engine = await SchemaEngine.new({ datamodels: undefined }, (msg: string) => process.stderr.write(`${msg}\n`), bindMigrationAwareSqlAdapterFactory(migrationAware as never));
  try {
    const schema = readFileSync(join(root, "prisma", "schema.prisma"), "utf8");
    const migrations = listMigrations();
    const from = migrations.length === 0
      ? { tag: "empty" as const }
      : { tag: "migrations" as const, baseDir: migrationsDir, lockfile: { path: "migration_lock.toml", content: readFileSync(join(migrationsDir, "migration_lock.toml"), "utf8") }, migrationDirectories: migrations, shadowDbInitScript: "" };
    const result = await engine.diff({
      from: from as never,
      to: { tag: "schemaDatamodel", files: [{ path: "prisma/schema.prisma", content: schema }] },
      script: true, exitCode: true, filters: { externalTables: [], externalEnums: [] },
    });
    if (result.exitCode === 0 || !result.stdout) { console.log("schema and migrations agree: nothing to write"); return; }
    const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
    const dir = join(migrationsDir, `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "migration.sql"), result.stdout);
    if (!existsSync(join(migrationsDir, "migration_lock.toml"))) {
      writeFileSync(join(migrationsDir, "migration_lock.toml"), '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n');
    }
    console.log(`wrote ${dir}/migration.sql`);
  } finally {
    engine.free();
    await admin(`DROP DATABASE IF EXISTS ${shadowName} WITH (FORCE)`);
  }
}

main().catch((err: unknown) => { console.error(err instanceof Error ? err.message : String(err)); process.exit(1); });
