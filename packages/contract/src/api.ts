// The REST API's request and response shapes. http-api validates bodies with
// the request schemas, types its DTOs by the response schemas and writes them
// into the OpenAPI document; the dashboard infers its types from them.
import { z } from "zod";
import { OnlineStatusSchema } from "./online.js";
import { API_ERROR_CODES, type ErrorBody, type FieldIssue } from "./errors.js";
import { CAMPAIGN_STATES, CANDIDATE_STATES } from "./states.js";

export const STRATEGY_NAMES = ["paper", "elitist", "random"] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

const Iso = z.string().describe("an ISO-8601 time");
const JsonObject = z.record(z.string(), z.unknown());
const num = z.number().nullable();
const str = z.string().nullable();

// ---- requests ----

export const PromoteBody = z.strictObject({
  name: z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9._-]+$/, "letters, digits, '.', '_' and '-'").default("drnn"),
});
export const RollbackBody = z.strictObject({ toVersion: z.int().min(1).describe("the earlier version (1, 2, ...) the name's production alias goes back to") });
export const RegisterDatasetBody = z.strictObject({
  path: z.string().min(1).max(4096).describe("a prepared dataset directory on the API's machine (drnn data prepare --out)"),
});
export const SyntheticDatasetBody = z.strictObject({
  sessions: z.int().min(50).max(100_000).default(1000),
  seed: z.int().min(0).max(2 ** 31 - 1).default(1),
});

export const CampaignsQuery = z.object({ take: z.coerce.number().int().min(1).max(1000).default(100) });
export const CandidatesQuery = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(10_000).default(50),
  sort: z.enum(["queued", "fitness"]).default("queued"),
});

// ---- responses ----

export const FieldIssueSchema = z.object({ path: z.string().describe('dotted path into the body or query, e.g. "ga.populationSize"'), message: z.string() }) satisfies z.ZodType<FieldIssue>;

/** Every error answer, from the API and from serving. */
export const ErrorBodySchema = z.object({
  error: z.object({ code: z.enum(API_ERROR_CODES), message: z.string(), issues: z.array(FieldIssueSchema).optional() }),
}) satisfies z.ZodType<ErrorBody>;

export const DatasetSchema = z.object({
  id: z.string(),
  name: z.string(),
  format: z.string(),
  contentHash: z.string(),
  /** Where it was prepared: a hint, valid on that machine only. */
  location: z.string(),
  /** The packed dataset in the artifact store (sha-256); null when it was never stored. */
  artifactHash: z.string().nullable(),
  /** Size of the packed dataset in bytes; null when it was never stored. */
  bytes: z.number().nullable(),
  stats: z.unknown(),
  createdAt: Iso,
});
export type Dataset = z.infer<typeof DatasetSchema>;

/**
 * What a dataset row's `stats` holds once registered (the data package's
 * registeredStats) and after a campaign scored the baselines on it. Every
 * field is optional: rows registered by older versions lack some.
 */
export const DatasetStatsSchema = z.looseObject({
  records: z.number().optional(),
  badRecords: z.number().optional(),
  sessions: z.number().optional().describe("sessions with at least one view"),
  purchaseSessions: z.number().optional().describe("sessions with a view and a purchase"),
  sampleSessions: z.number().optional().describe("purchase sessions with a view before the purchase: the ones in the splits"),
  users: z.number().optional(),
  firstTimestamp: z.number().optional(),
  lastTimestamp: z.number().optional(),
  pages: z.number().optional().describe("page vocabulary M, reserved ids included"),
  items: z.number().optional().describe("N, the items the generator's softmax covers"),
  rankableItems: z.number().optional(),
  samples: z.number().optional(),
  samplesBySplit: z.object({ train: z.number(), val: z.number(), test: z.number() }).optional(),
  window: z.number().optional(),
  baselines: z.record(z.string(), z.lazy(() => RankingMetricsSchema)).optional(),
});
export type DatasetStats = z.infer<typeof DatasetStatsSchema>;

export const CampaignSchema = z.object({
  id: z.string(),
  name: str,
  datasetId: z.string(),
  strategy: z.enum(STRATEGY_NAMES),
  state: z.enum(CAMPAIGN_STATES),
  seed: z.string(),
  budget: z.int(),
  fitnessPolicy: z.string().describe("patience (the default) or paper"),
  pruning: z.boolean(),
  searchSpace: z.unknown(),
  settings: z.unknown(),
  error: str,
  createdAt: Iso,
  startedAt: Iso.nullable(),
  finishedAt: Iso.nullable(),
});
export type Campaign = z.infer<typeof CampaignSchema>;

export const GenerationSchema = z.object({ index: z.int(), bestFitness: num, meanFitness: num, worstFitness: num, createdAt: Iso, completedAt: Iso.nullable() });
export type Generation = z.infer<typeof GenerationSchema>;

export const CandidateSchema = z.object({
  id: z.string(),
  campaignId: z.string(),
  hash: z.string(),
  chromosome: JsonObject,
  state: z.enum(CANDIDATE_STATES),
  attempts: z.int(),
  fitness: num,
  accuracy: num,
  loss: num,
  converged: z.boolean().nullable(),
  epochs: z.int().nullable(),
  stopReason: str.describe("converged, patience, max-epochs, pruned, unsettled, nan-loss, out-of-memory"),
  bestEpoch: z.int().nullable(),
  rung: z.int().nullable().describe("the highest pruning rung reached, in epochs"),
  backend: str,
  device: str,
  workerId: str,
  error: str,
  testMetrics: z.unknown(),
  trainSeconds: num,
  durationSeconds: num,
  queuedAt: Iso,
  startedAt: Iso.nullable(),
  finishedAt: Iso.nullable(),
});
export type Candidate = z.infer<typeof CandidateSchema>;

export const EpochSchema = z.object({ candidateId: z.string(), epoch: z.int(), trainLoss: z.number(), valLoss: z.number(), valAccuracy: z.number(), seconds: z.number(), samplesPerSec: num, createdAt: Iso });
export type Epoch = z.infer<typeof EpochSchema>;

export const WorkerSchema = z.object({ id: z.string(), hostname: z.string(), backend: z.string(), device: z.string(), concurrency: z.int(), startedAt: Iso, heartbeatAt: Iso, alive: z.boolean() });
export type Worker = z.infer<typeof WorkerSchema>;

export const ModelVersionSchema = z.object({
  id: z.string(),
  name: z.string(),
  version: z.int(),
  campaignId: str,
  candidateId: str,
  chromosome: z.unknown(),
  fitness: z.number(),
  metrics: z.unknown().describe("what promotion stored: { test, validation, datasetId, datasetHash, origin, promotedBy } (older rows may lack any of it)"),
  createdAt: Iso,
});
export type ModelVersion = z.infer<typeof ModelVersionSchema>;

export const PromotionSchema = z.object({ id: z.string(), name: z.string(), modelVersionId: z.string(), action: z.enum(["promote", "rollback"]), actor: str, createdAt: Iso });
export type Promotion = z.infer<typeof PromotionSchema>;

export const TokenSchema = z.object({ id: z.string(), name: z.string(), prefix: z.string(), scopes: z.array(z.string()) });
export type Token = z.infer<typeof TokenSchema>;

export const BestCandidateSchema = z.object({ hash: z.string(), chromosome: z.unknown(), fitness: z.number(), accuracy: num });

/** The offline metrics of a ranker on one split (DESIGN.md section 4), as @drnn/model's scoreSplit gives them. */
export const RankingMetricsSchema = z.object({
  split: z.string(),
  samples: z.int(),
  sessions: z.int(),
  accuracy: z.number(),
  hit: z.object({ 1: z.number(), 5: z.number(), 10: z.number(), 20: z.number() }),
  mrr20: z.number(),
  pathCompression: z.number(),
  sessionAccuracy: z.number(),
  reachable: z.number(),
});
export type RankingMetricsDto = z.infer<typeof RankingMetricsSchema>;

/** The best model beside the baselines on the same split (null where not known yet, or not readable on the API's machine). */
export const ComparisonSchema = z.object({
  split: z.literal("test"),
  drnn: RankingMetricsSchema.nullable(),
  baselines: z.record(z.string(), RankingMetricsSchema).nullable(),
});
export type ComparisonDto = z.infer<typeof ComparisonSchema>;

export const CampaignDetailSchema = z.object({
  campaign: CampaignSchema,
  dataset: z.object({ id: z.string(), name: z.string() }),
  generation: z.int(),
  evaluations: z.int(),
  counts: z.record(z.string(), z.int()),
  best: BestCandidateSchema.nullable(),
  comparison: ComparisonSchema,
  generations: z.array(GenerationSchema),
});
export type CampaignDetail = z.infer<typeof CampaignDetailSchema>;

/** One candidate with what its page shows beside it: its curve, campaign, dataset's baselines and worker. */
export const CandidateDetailSchema = z.object({
  candidate: CandidateSchema,
  epochs: z.array(EpochSchema),
  campaign: CampaignSchema.pick({ id: true, name: true, state: true, strategy: true, fitnessPolicy: true, datasetId: true }),
  dataset: z.object({ id: z.string(), name: z.string() }),
  /** The baselines on the same test split (null where not computed yet and the dataset is not readable on the API's machine). */
  baselines: z.record(z.string(), RankingMetricsSchema).nullable(),
  /** The worker that ran it, when it registered. */
  worker: WorkerSchema.nullable(),
});
export type CandidateDetail = z.infer<typeof CandidateDetailSchema>;

export const ModelDetailSchema = z.object({ name: z.string(), live: ModelVersionSchema.nullable(), versions: z.array(ModelVersionSchema), history: z.array(PromotionSchema) });
export type ModelDetail = z.infer<typeof ModelDetailSchema>;

/** Each route's success body, by name; http-api attaches them to its routes and the OpenAPI document. */
export const Responses = {
  health: z.object({ ok: z.boolean(), openReads: z.boolean(), coordinator: z.object({ owner: z.string(), executor: z.string() }).nullable(), promote: z.boolean(), rollback: z.boolean() }),
  session: z.object({ token: TokenSchema.nullable() }),
  workers: z.object({ livenessMs: z.number(), workers: z.array(WorkerSchema) }),
  datasets: z.object({ datasets: z.array(DatasetSchema) }),
  dataset: z.object({ dataset: DatasetSchema }),
  campaigns: z.object({ campaigns: z.array(CampaignSchema) }),
  campaign: z.object({ campaign: CampaignSchema }),
  campaignDetail: CampaignDetailSchema,
  resume: z.object({ campaign: CampaignSchema, coordinator: z.object({ owner: z.string(), executor: z.string() }).nullable(), leaseHeldUntil: Iso.nullable().optional() }),
  promotion: z.object({ promotion: z.unknown() }),
  rollback: z.object({ rollback: z.unknown() }),
  candidates: z.object({ total: z.int(), offset: z.int(), limit: z.int(), candidates: z.array(CandidateSchema) }),
  epochs: z.object({ epochs: z.array(EpochSchema) }),
  candidate: CandidateDetailSchema,
  model: ModelDetailSchema,
  online: OnlineStatusSchema,
} as const;

/** The success body of a route, by its name in `Responses` (what clients such as the dashboard read). */
export type ResponseBody<K extends keyof typeof Responses> = z.infer<(typeof Responses)[K]>;
