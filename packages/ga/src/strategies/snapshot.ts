// The engine's whole state as plain JSON. A coordinator stores it (e.g. in
// Campaign.engineState) after every tell and restores it after a crash; the
// schema guards against a truncated or foreign document coming back.
import { DrnnError } from "@drnn/contract";
import { z } from "zod";
import { SearchSpaceSchema } from "../search-space/schema.js";
import { GaSettingsSchema } from "./settings.js";

export const SNAPSHOT_FORMAT = "drnn-ga/engine@1";

const GeneValueSchema = z.union([z.number(), z.string(), z.boolean(), z.array(z.number())]);
const ChromosomeSchema = z.record(z.string(), GeneValueSchema);
const Hash = z.string().regex(/^[0-9a-f]{64}$/);

const IndividualSchema = z.object({ genes: ChromosomeSchema, hash: Hash, fitness: z.number().nullable() }).strict();

const SummarySchema = z
  .object({
    generation: z.int().min(0),
    size: z.int().min(0),
    evaluated: z.int().min(0),
    newEvaluations: z.int().min(0),
    evaluations: z.int().min(0),
    best: z.number().nullable(),
    mean: z.number().nullable(),
    worst: z.number().nullable(),
    bestSoFar: z.number().nullable(),
  })
  .strict();

export const EngineSnapshotSchema = z
  .object({
    format: z.literal(SNAPSHOT_FORMAT),
    space: SearchSpaceSchema,
    settings: GaSettingsSchema,
    rng: z.object({ algorithm: z.literal("sfc32"), words: z.tuple([z.int(), z.int(), z.int(), z.int()]) }).strict(),
    generation: z.int().min(0),
    phase: z.enum(["evaluating", "done"]),
    doneReason: z.enum(["generations", "budget", "exhausted"]).nullable(),
    population: z.array(IndividualSchema),
    pending: z.array(Hash),
    /** Fitness cache: every chromosome evaluated in this run, by canonical hash. */
    known: z.record(z.string(), z.number()),
    evaluations: z.int().min(0),
    generationStartEvaluations: z.int().min(0),
    idleGenerations: z.int().min(0),
    best: z.object({ hash: Hash, genes: ChromosomeSchema, fitness: z.number() }).strict().nullable(),
    history: z.array(SummarySchema),
  })
  .strict();

export type EngineSnapshot = z.output<typeof EngineSnapshotSchema>;

export class InvalidSnapshotError extends DrnnError {
  override readonly name = "InvalidSnapshotError";
  readonly code = "INVALID_SNAPSHOT" as const;
}

export function parseSnapshot(json: unknown): EngineSnapshot {
  const result = EngineSnapshotSchema.safeParse(json);
  if (!result.success) {
    const where = result.error.issues.map((i) => `${i.path.map(String).join(".")}: ${i.message}`).join("; ");
    throw new InvalidSnapshotError(`not a ${SNAPSHOT_FORMAT} snapshot: ${where}`);
  }
  const snap = result.data;
  const waiting = new Set(snap.population.filter((p) => p.fitness === null).map((p) => p.hash));
  const stray = snap.pending.find((h) => !waiting.has(h));
  if (stray !== undefined) throw new InvalidSnapshotError(`pending hash ${stray} is not an unevaluated population member`);
  return snap;
}
