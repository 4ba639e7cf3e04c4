// What a campaign row's `gaSettings` column holds: the GA settings, how each
// candidate is trained (the fitness rule and pruning; defaults from @drnn/ga's
// tuning defaults), and a wall-clock budget.
import { TrainingSettingsSchema } from "@drnn/ga";
import { z } from "zod";

export const trainingSettings = TrainingSettingsSchema;

/** A wall-clock budget of at most 30 days. */
export const MAX_CAMPAIGN_SECONDS = 30 * 24 * 3600;

export const campaignSettings = z.object({
  /** GA settings as @drnn/ga's parseGaSettings takes them (seed and budget come from the campaign row). */
  ga: z.record(z.string(), z.unknown()).default({}),
  training: TrainingSettingsSchema.prefault({}),
  /** Wall-clock budget; the campaign completes with what it has when it is spent. */
  maxSeconds: z.number().positive().max(MAX_CAMPAIGN_SECONDS).nullable().default(null),
});

export type CampaignSettings = z.infer<typeof campaignSettings>;
export type CampaignSettingsInput = z.input<typeof campaignSettings>;
