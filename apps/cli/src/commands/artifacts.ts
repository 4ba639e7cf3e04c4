// `drnn artifacts ls | gc | fetch`: the content-addressed artifact store
// (datasets, trained models) and this node's cache of it.
import type { Command } from "commander";
import { collectGarbage } from "@drnn/artifacts";
import { action, type ContextFactory, type Result } from "../command.js";
import { UsageError } from "../errors.js";
import { numberOption } from "../options.js";
import { openArtifacts } from "../node-artifacts.js";
import { withPlatform } from "./campaign.js";

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

interface Listed {
  hash: string;
  kind: string;
  label: string | null;
  bytes: number;
  createdAt: string;
  cached: boolean;
}

function humanList(r: Result): string {
  const rows = r.artifacts as Listed[];
  const lines = rows.map((a) => `${a.hash.slice(0, 16)}  ${a.kind.padEnd(10)} ${mb(a.bytes).padStart(10)}  ${a.cached ? "cached " : "       "} ${a.createdAt.slice(0, 19)}  ${a.label ?? ""}`);
  return [...lines, `${rows.length} artifacts, ${mb(Number(r.totalBytes))} in ${String(r.store)}; this node's cache: ${mb(Number(r.cacheBytes))} in ${String(r.cacheDir)}`].join("\n");
}

function humanGc(r: Result): string {
  const deleted = r.deleted as { hash: string; bytes: number; reason: string; label: string | null }[];
  const verb = r.dryRun ? "would delete" : "deleted";
  return [
    ...deleted.map((d) => `${verb} ${d.hash.slice(0, 16)} ${mb(d.bytes)} (${d.reason}) ${d.label ?? ""}`),
    `${verb} ${deleted.length} artifacts, ${mb(Number(r.freedBytes))}; kept ${String(r.kept)}; abandoned uploads removed ${String(r.abandonedUploads)}`,
  ].join("\n");
}

export function registerArtifactCommands(program: Command, ctx: ContextFactory): void {
  const artifacts = program.command("artifacts").description("the artifact store: list, garbage-collect, fetch into this node's cache");
  artifacts
    .command("ls")
    .description("every stored artifact (hash, kind, size, whether this node has it cached)")
    .action(
      action(ctx, {
        handler: (c) =>
          withPlatform(c, async (p) => {
            const a = openArtifacts(c.config, p.repos, c.out);
            const cached = new Map(a.cache.entries().map((e) => [e.hash, e.bytes]));
            const rows = (await a.store.list()).map((x): Listed => ({ ...x, createdAt: x.createdAt.toISOString(), cached: cached.has(x.hash) }));
            return {
              store: a.store.location,
              artifacts: rows,
              totalBytes: rows.reduce((n, x) => n + x.bytes, 0),
              cacheDir: a.cache.dir,
              cacheBytes: [...cached.values()].reduce((n, b) => n + b, 0),
            };
          }),
        human: humanList,
      }),
    );
  artifacts
    .command("gc")
    .description("delete artifacts no campaign, model version or live alias references (after a grace period)")
    .option("--grace-hours <h>", "keep unreferenced artifacts younger than this", "24")
    .option("--dry-run", "only say what would be deleted")
    .action(
      action<{ graceHours: string; dryRun?: boolean }>(ctx, {
        handler: (c, f) =>
          withPlatform(c, async (p) => {
            const a = openArtifacts(c.config, p.repos, c.out);
            const r = await collectGarbage(p.repos, a.store, { graceMs: numberOption("--grace-hours", f.graceHours, 0) * 3600_000, dryRun: f.dryRun === true });
            return { ...r, kept: r.kept.length, keptBytes: r.kept.reduce((n, k) => n + k.bytes, 0) };
          }),
        human: humanGc,
      }),
    );
  artifacts
    .command("fetch <hash>")
    .description("fetch an artifact into this node's cache (verified by hash) and print its directory")
    .action(
      action(ctx, {
        handler: (c, _f, [hash]) => {
          if (!hash || !/^[0-9a-f]{64}$/.test(hash)) throw new UsageError(`drnn artifacts fetch HASH: a sha-256 hex digest is required; got ${hash ?? "nothing"}`);
          return withPlatform(c, async (p) => {
            const began = performance.now();
            const dir = await openArtifacts(c.config, p.repos, c.out).fetch(hash, `artifact ${hash.slice(0, 12)}`);
            return { hash, dir, seconds: (performance.now() - began) / 1000 };
          });
        },
        human: (r) => String(r.dir),
      }),
    );
}
