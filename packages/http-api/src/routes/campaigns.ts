// Campaigns: launch (create + queue for a coordinator), read, cancel, resume,
// promote. The rules live in @drnn/tuning; these handlers only translate.
import { CampaignsQuery, CandidatesQuery, isFinished, PromoteBody, Responses, STRATEGY_NAMES, type CampaignDetail, type CandidateDetail } from "@drnn/contract";
import { CAMPAIGN_DEFAULTS, GA_LIMITS, MAX_SEED, TrainingSettingsSchema, defaultBudget } from "@drnn/ga";
import { z } from "zod";
import { campaignStatus, cancelCampaign, datasetBaselines, launchCampaign, MAX_CAMPAIGN_SECONDS, recordedPath } from "@drnn/tuning";
import type { Repositories } from "@drnn/db";
import { campaignDto, candidateDto, epochDto, generationDto, workerDto } from "../dto.js";
import { ApiError } from "../errors.js";
import { route, type ApiDeps, type RouteDef } from "../types.js";
import { IdParam } from "./params.js";

export const CreateCampaignBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  datasetId: z.uuid(),
  strategy: z.enum(STRATEGY_NAMES),
  seed: z
    .union([z.int().min(0), z.string().regex(/^\d{1,19}$/, "a non-negative integer")])
    .refine((s) => BigInt(s) <= MAX_SEED, `at most ${MAX_SEED} (a PostgreSQL bigint)`)
    .default(1),
  budget: z.int().min(1).max(GA_LIMITS.maxEvaluations).optional().describe("most fitness evaluations; default populationSize x (generations + 1)"),
  searchSpace: z.unknown().optional().describe("a search space document (genes, ranges, conditions); default: the built-in CPU space"),
  ga: z
    .record(z.string(), z.unknown())
    .default({})
    .describe("GA settings of @drnn/ga (populationSize, generations, crossoverRate, mutationRate, ...); strategy, seed and budget come from this body"),
  training: TrainingSettingsSchema.prefault({}).describe("fitness policy (patience | paper), maxEpochs (R), pi, patience, pruning ({eta, minEpochs} or null); defaults from @drnn/ga's TRAINING_DEFAULTS"),
  warmStart: z
    .strictObject({
      initial: z.array(z.record(z.string(), z.unknown())).max(10_000).optional().describe("chromosomes placed first in the initial population"),
      fromCampaign: z.uuid().optional().describe("a campaign whose best chromosomes seed the initial population"),
    })
    .optional(),
  maxSeconds: z.number().positive().max(MAX_CAMPAIGN_SECONDS).nullable().optional(),
});
type CreateCampaign = z.infer<typeof CreateCampaignBody>;

function budgetOf(body: CreateCampaign): number {
  if (body.budget !== undefined) return body.budget;
  const p = typeof body.ga["populationSize"] === "number" ? body.ga["populationSize"] : CAMPAIGN_DEFAULTS.populationSize;
  const g = typeof body.ga["generations"] === "number" ? body.ga["generations"] : CAMPAIGN_DEFAULTS.generations;
  return Math.max(1, defaultBudget(p, Math.max(0, g)));
}

export async function campaignDetail(repos: Repositories, id: string): Promise<CampaignDetail> {
  const campaign = await repos.campaigns.get(id);
  const [status, generations, dataset] = await Promise.all([campaignStatus(repos, id), repos.campaigns.generations(id), repos.datasets.get(campaign.datasetId)]);
  const counts: Record<string, number> = { queued: 0, running: 0, completed: 0, failed: 0, cancelled: 0 };
  for (const c of status.candidates) counts[c.state] = (counts[c.state] ?? 0) + 1;
  return {
    campaign: campaignDto(campaign),
    dataset: { id: dataset.id, name: dataset.name },
    generation: status.generation,
    evaluations: status.evaluations,
    counts,
    best: status.best,
    comparison: status.comparison,
    generations: generations.map(generationDto),
  };
}

async function candidateDetail(deps: ApiDeps, id: string): Promise<CandidateDetail> {
  const [candidate, epochs] = await Promise.all([deps.repos.candidates.get(id), deps.repos.epochs.list(id)]);
  const campaign = await deps.repos.campaigns.get(candidate.campaignId);
  const [dataset, worker] = await Promise.all([deps.repos.datasets.get(campaign.datasetId), candidate.workerId ? deps.repos.workers.get(candidate.workerId) : null]);
  const dto = campaignDto(campaign);
  return {
    candidate: candidateDto(candidate),
    epochs: epochs.map(epochDto),
    campaign: { id: dto.id, name: dto.name, state: dto.state, strategy: dto.strategy, fitnessPolicy: dto.fitnessPolicy, datasetId: dto.datasetId },
    dataset: { id: dataset.id, name: dataset.name },
    baselines: await datasetBaselines(deps.repos, dataset, recordedPath),
    worker: worker ? workerDto(worker, new Date(), deps.config.workerLivenessMs) : null,
  };
}

// eslint-disable-next-line max-lines-per-function -- a route table: data, one entry per route
export function campaignRoutes(): RouteDef[] {
  return [
    route({
      method: "get",
      path: "/api/campaigns",
      response: Responses.campaigns,
      scope: "read",
      tag: "campaigns",
      summary: "Campaigns, newest first",
      query: CampaignsQuery,
      handler: async ({ deps, query }) => ({ campaigns: (await deps.repos.campaigns.list({ take: query.take })).map(campaignDto) }),
    }),
    route({
      method: "post",
      path: "/api/campaigns",
      response: Responses.campaign,
      scope: "write",
      tag: "campaigns",
      summary: "Launch a campaign: validated, stored as queued, picked up by a coordinator",
      body: CreateCampaignBody,
      status: 201,
      handler: async ({ deps, body }) => {
        await deps.repos.datasets.get(body.datasetId);
        const row = await launchCampaign(deps.repos, {
          ...(body.name ? { name: body.name } : {}),
          datasetId: body.datasetId,
          strategy: body.strategy,
          seed: BigInt(body.seed),
          budget: budgetOf(body),
          ...(body.searchSpace === undefined ? {} : { searchSpace: body.searchSpace }),
          ...(body.warmStart === undefined ? {} : { warmStart: body.warmStart }),
          settings: { ga: body.ga, training: body.training, ...(body.maxSeconds === undefined ? {} : { maxSeconds: body.maxSeconds }) },
        });
        return { campaign: campaignDto(row) };
      },
    }),
    route({
      method: "get",
      path: "/api/campaigns/:id",
      response: Responses.campaignDetail,
      scope: "read",
      tag: "campaigns",
      summary: "A campaign with its generations (best/mean/worst fitness), counts and best candidate",
      handler: async ({ deps, params }) => campaignDetail(deps.repos, IdParam.parse(params).id),
    }),
    route({
      method: "post",
      path: "/api/campaigns/:id/cancel",
      response: Responses.campaign,
      scope: "write",
      tag: "campaigns",
      summary: "Cancel a queued or running campaign; running candidates stop at their next heartbeat",
      handler: async ({ deps, params }) => ({ campaign: campaignDto(await cancelCampaign(deps.repos, IdParam.parse(params).id)) }),
    }),
    route({
      method: "post",
      path: "/api/campaigns/:id/resume",
      response: Responses.resume,
      scope: "write",
      tag: "campaigns",
      summary: "Resume an interrupted campaign: a coordinator picks it up once no live lease holds it",
      handler: async ({ deps, params }) => {
        const campaign = await deps.repos.campaigns.get(IdParam.parse(params).id);
        if (isFinished(campaign.state)) {
          throw new ApiError("ILLEGAL_TRANSITION", `campaign ${campaign.id} is ${campaign.state}: only a queued or running campaign can be resumed`);
        }
        const held = campaign.leaseUntil !== null && campaign.leaseUntil.getTime() > Date.now();
        return { campaign: campaignDto(campaign), coordinator: deps.coordinator ?? null, leaseHeldUntil: held ? campaign.leaseUntil?.toISOString() : null };
      },
    }),
    route({
      method: "post",
      path: "/api/campaigns/:id/promote",
      response: Responses.promotion,
      scope: "write",
      tag: "campaigns",
      summary: "Promote the campaign's best model to the registry under a name",
      body: PromoteBody,
      status: 201,
      handler: async ({ deps, params, body, token }) => {
        const { id } = IdParam.parse(params);
        await deps.repos.campaigns.get(id);
        if (!deps.promote) throw new ApiError("NOT_IMPLEMENTED", "promotion needs the model registry (packages/serving), which this server was started without");
        // The registry's refusals (nothing to promote, unservable artifact) map through their codes.
        return { promotion: await deps.promote(deps.repos, { campaignId: id, name: body.name, actor: token ? `token:${token.name}` : "api" }) };
      },
    }),
    route({
      method: "get",
      path: "/api/campaigns/:id/candidates",
      response: Responses.candidates,
      scope: "read",
      tag: "candidates",
      summary: "The campaign's candidates (genes, state, fitness, backend, worker, duration), paged",
      query: CandidatesQuery,
      handler: async ({ deps, params, query }) => {
        const { id } = IdParam.parse(params);
        await deps.repos.campaigns.get(id);
        const all = await deps.repos.candidates.listByCampaign(id);
        // A total order (ties broken by id), so pages never overlap or skip.
        const launchOrder = (a: (typeof all)[number], b: (typeof all)[number]) => a.queuedAt.getTime() - b.queuedAt.getTime() || a.id.localeCompare(b.id);
        all.sort(query.sort === "fitness" ? (a, b) => (b.fitness ?? -Infinity) - (a.fitness ?? -Infinity) || launchOrder(a, b) : launchOrder);
        return { total: all.length, offset: query.offset, limit: query.limit, candidates: all.slice(query.offset, query.offset + query.limit).map(candidateDto) };
      },
    }),
    route({
      method: "get",
      path: "/api/campaigns/:id/epochs",
      response: Responses.epochs,
      scope: "read",
      tag: "candidates",
      summary: "Per-epoch validation accuracy and loss of every candidate of the campaign",
      handler: async ({ deps, params }) => {
        const { id } = IdParam.parse(params);
        await deps.repos.campaigns.get(id);
        return { epochs: (await deps.repos.epochs.listForCampaign(id)).map(epochDto) };
      },
    }),
    route({
      method: "get",
      path: "/api/candidates/:id",
      response: Responses.candidate,
      scope: "read",
      tag: "candidates",
      summary: "One candidate with its per-epoch curve, its campaign, the dataset's baselines on the test split and the worker that ran it",
      handler: async ({ deps, params }) => candidateDetail(deps, IdParam.parse(params).id),
    }),
  ];
}
