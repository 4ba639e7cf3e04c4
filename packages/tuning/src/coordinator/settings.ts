// What a campaign row's `gaSettings` column holds: the GA settings, how each
// candidate is trained (the fitness rule's R and pi), and a wall-clock budget.
import { z } from "zod";

export const trainingSettings = z.object({
  /** R: at most this many epochs per candidate. */
  maxEpochs: z.int().min(1).default(10),
  /** pi: training stops once validation accuracy moves less than this between epochs. */
  pi: z.number().min(0).default(0.001),
  /** Fitness of a run that never settles within R epochs (the paper: 0). */
  unsettledFitness: z.number().default(0),
});

export const campaignSettings = z.object({
  /** GA settings as @drnn/ga's parseGaSettings takes them (seed and budget come from the campaign row). */
  ga: z.record(z.string(), z.unknown()).default({}),
  training: trainingSettings.default({ maxEpochs: 10, pi: 0.001, unsettledFitness: 0 }),
  /** Wall-clock budget; the campaign completes with what it has when it is spent. */
  maxSeconds: z.number().positive().nullable().default(null),
});

export type CampaignSettings = z.infer<typeof campaignSettings>;
export type CampaignSettingsInput = z.input<typeof campaignSettings>;
