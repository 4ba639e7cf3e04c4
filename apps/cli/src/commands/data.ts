// `drnn data synth` and `drnn data prepare` (DESIGN.md section 8).
import { resolve } from "node:path";
import type { Command } from "commander";
import { ArtifactExistsError, DataInputError, DEFAULT_CANDIDATE_SET, FORMATS, ITEM_SETS, WrongFormatError, isFormatName, isItemSetName, prepareDataset, writeSyntheticLog } from "@drnn/data";
import { action, type CommandContext, type ContextFactory, type Result } from "../command.js";
import { UsageError } from "../errors.js";
import { intOptionOr } from "../options.js";
import { openArtifacts } from "../node-artifacts.js";
import { withPlatform } from "./campaign.js";

interface SynthOptions {
  sessions?: string;
  seed?: string;
  out?: string;
}

interface PrepareCliOptions {
  format?: string;
  input?: string;
  out?: string;
  window?: string;
  gap?: string;
  splitSourceSessions?: boolean;
  minPageCount?: string;
  itemSet?: string;
  minItemCount?: string;
  force?: boolean;
  register?: boolean;
  years?: string;
}

/** `--years 1990-2100`: records outside [Jan 1 of FROM, Jan 1 of TO) are bad records. */
function yearsOption(value: string | undefined): { from: number; to: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d{4})-(\d{4})$/.exec(value);
  if (!m || Number(m[1]) >= Number(m[2])) throw new UsageError(`--years must be FROM-TO with FROM < TO, e.g. 1990-2100, got "${value}"`);
  return { from: Date.UTC(Number(m[1]), 0, 1), to: Date.UTC(Number(m[2]), 0, 1) };
}

function required(value: string | undefined, name: string): string {
  if (value === undefined || value === "") throw new UsageError(`--${name} is required`);
  return value;
}

/** Wrong input is the user's to fix: one line, exit 1. */
function asUsage(err: unknown): unknown {
  if (err instanceof WrongFormatError || err instanceof DataInputError || err instanceof ArtifactExistsError) return new UsageError(err.message);
  return err;
}

export async function runPrepare(ctx: Parameters<Parameters<typeof action>[1]["handler"]>[0], o: PrepareCliOptions): Promise<Result> {
  const format = required(o.format, "format");
  if (!isFormatName(format)) throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, got "${format}"`);
  const itemSet = o.itemSet ?? DEFAULT_CANDIDATE_SET.itemSet;
  if (!isItemSetName(itemSet)) throw new UsageError(`--item-set must be one of ${ITEM_SETS.join(", ")}, got "${itemSet}"`);
  try {
    const r = await prepareDataset({
      format,
      input: required(o.input, "input"),
      out: resolve(required(o.out, "out")),
      window: intOptionOr("--window", o.window, 4, 1),
      gapMinutes: intOptionOr("--gap", o.gap, 30, 1),
      splitSourceSessions: o.splitSourceSessions === true,
      minPageCount: intOptionOr("--min-page-count", o.minPageCount, 1, 1),
      itemSet,
      minItemCount: intOptionOr("--min-item-count", o.minItemCount, DEFAULT_CANDIDATE_SET.minItemCount, 1),
      force: o.force === true,
      ...(o.years === undefined ? {} : { timestampRange: yearsOption(o.years) }),
      onProgress: (line) => ctx.out.progress(line),
    });
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    // Default: register where other nodes can see it (DATABASE_URL); embedded mode registers on first use.
    if (!(o.register ?? ctx.config.DATABASE_URL !== undefined)) return { ...r, peakRssMb, registered: null };
    return { ...r, peakRssMb, registered: await pushDataset(ctx, r.out) };
  } catch (err) {
    throw asUsage(err);
  }
}

/** Stores a prepared directory in the artifact store and registers it: other nodes then fetch it by hash. */
async function pushDataset(ctx: CommandContext, dir: string, name?: string): Promise<Result> {
  return withPlatform(ctx, async (p) => {
    const pushed = await openArtifacts(ctx.config, p.repos, ctx.out).pushDataset(dir, name);
    const d = pushed.dataset;
    return { datasetId: d.id, name: d.name, contentHash: d.contentHash, artifactHash: pushed.artifact.hash, bytes: pushed.artifact.bytes, store: "postgres", seconds: Math.round(pushed.seconds * 1000) / 1000 };
  });
}

function humanPush(r: Result): string {
  return `dataset ${String(r.name)} (id ${String(r.datasetId)}) stored as ${String(r.artifactHash).slice(0, 12)}, ${(Number(r.bytes) / 1e6).toFixed(1)} MB in ${String(r.store)}, ${String(r.seconds)} s`;
}

function humanPrepare(r: Result): string {
  const s = r.samples as Record<string, number>;
  return [
    `dataset ${String(r.out)} (${String(r.contentHash).slice(0, 12)}${r.unchanged ? ", unchanged" : ""})`,
    `sessions ${String(r.sessions)}, with a purchase ${String(r.purchaseSessions)}, pages ${String(r.pages)}, items ${String(r.rankableItems)} (${String(r.items)} in the generator's set)`,
    `samples train ${s.train} / val ${s.val} / test ${s.test}; bad records ${String(r.badRecords)}${r.badRecordsReport ? ` (see ${String(r.badRecordsReport)})` : ""}`,
    `${String(r.seconds)} s, peak RSS ${String(r.peakRssMb)} MB`,
    r.registered ? humanPush(r.registered as Result) : "not registered (no DATABASE_URL): 'drnn campaign launch --dataset DIR' or 'drnn data push DIR' does it",
  ].join("\n");
}

export function registerDataCommands(program: Command, ctx: ContextFactory): void {
  const data = program.command("data").description("synthesize logs and prepare datasets");
  data
    .command("synth")
    .description("write a synthetic shop log (the embedded demo data), jsonl log records")
    .option("--sessions <N>", "sessions to generate", "2000")
    .option("--seed <S>", "seed: the same seed gives the same log", "1")
    .option("--out <file>", "the jsonl file to write")
    .action(
      action<SynthOptions>(ctx, {
        handler: async (c, o) => {
          const out = resolve(required(o.out, "out"));
          const sessions = intOptionOr("--sessions", o.sessions, 2000, 1);
          const seed = intOptionOr("--seed", o.seed, 1, 0);
          c.out.progress(`writing ${sessions} synthetic sessions (seed ${seed}) to ${out}`);
          const r = await writeSyntheticLog(out, { sessions, seed });
          return { out, seed, ...r };
        },
        human: (r) => `wrote ${String(r.records)} records in ${String(r.sessions)} sessions to ${String(r.out)}`,
      }),
    );
  data
    .command("prepare")
    .description("sessionize a log into samples, splits and a dataset artifact")
    .option("--format <f>", FORMATS.join(" | "))
    .option("--input <path>", "the log: a directory (yoochoose, diginetica) or a file")
    .option("--out <dir>", "dataset directory to create (immutable)")
    .option("--window <k>", "window of k states", "4")
    .option("--gap <minutes>", "inactivity that ends a session (T)", "30")
    .option("--split-source-sessions", "apply the gap rule inside the source's own sessions too")
    .option("--min-page-count <n>", "pages seen fewer times become the out-of-vocabulary page", "1")
    .option("--item-set <set>", "items the model's softmax covers: seen (viewed or bought in the training period) | bought (the paper's N); every item a session shows stays rankable", DEFAULT_CANDIDATE_SET.itemSet)
    .option("--min-item-count <n>", "training-period events an item needs to be in that set", String(DEFAULT_CANDIDATE_SET.minItemCount))
    .option("--years <from-to>", "records dated outside these years are bad records", "1990-2100")
    .option("--force", "replace a different dataset already in --out")
    .option("--register", "store and register it in the database (default when DATABASE_URL is set)")
    .option("--no-register", "only write the directory")
    .action(action<PrepareCliOptions>(ctx, { handler: (c, o) => runPrepare(c, o), human: humanPrepare }));
  data
    .command("push <dir>")
    .description("store a prepared dataset in the artifact store and register it, so every node can fetch it by hash")
    .option("--name <name>", "dataset name (default: the directory's name)")
    .action(
      action<{ name?: string }>(ctx, {
        handler: (c, o, [dir]) => {
          if (!dir) throw new UsageError("drnn data push DIR: the prepared dataset directory is required");
          return pushDataset(c, resolve(dir), o.name).catch((err: unknown) => Promise.reject(asUsage(err)));
        },
        human: humanPush,
      }),
    );
}
