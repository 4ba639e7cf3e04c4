// The launch form's model: pre-filled from the platform's default search
// space (whose gene defaults are the paper's Table I) and the GA's own
// defaults, validated with the same @drnn/ga schemas the server uses before
// anything is sent.
import {
  CAMPAIGN_DEFAULTS,
  FITNESS_POLICIES,
  GaSettingsSchema,
  PRUNING_DEFAULTS,
  TRAINING_DEFAULTS,
  TrainingSettingsSchema,
  defaultBudget,
  defaultSearchSpace,
  paperSearchSpace,
  parseSearchSpace,
  InvalidSearchSpaceError,
  type FitnessPolicy,
} from "@drnn/ga";
import { CHROMOSOME_DEFAULTS, STRATEGY_NAMES, type FieldIssue, type StrategyName } from "@drnn/contract";

export interface LaunchForm {
  name: string;
  datasetId: string;
  strategy: StrategyName;
  seed: string;
  budget: string;
  populationSize: string;
  generations: string;
  crossoverRate: string;
  mutationRate: string;
  policy: FitnessPolicy;
  maxEpochs: string;
  pi: string;
  patience: string;
  /** "on" or "off". */
  pruning: string;
  eta: string;
  searchSpace: string;
}

export const SPACES = { cpu: defaultSearchSpace, paper: paperSearchSpace } as const;

export function defaultForm(datasetId = ""): LaunchForm {
  const ga = GaSettingsSchema.parse({ strategy: CAMPAIGN_DEFAULTS.strategy, seed: CAMPAIGN_DEFAULTS.seed });
  const t = TRAINING_DEFAULTS;
  return {
    name: "",
    datasetId,
    strategy: CAMPAIGN_DEFAULTS.strategy,
    seed: String(CAMPAIGN_DEFAULTS.seed),
    budget: String(defaultBudget(ga.populationSize, ga.generations)),
    populationSize: String(ga.populationSize),
    generations: String(ga.generations),
    crossoverRate: String(ga.crossoverRate),
    mutationRate: String(ga.mutationRate),
    policy: t.policy,
    maxEpochs: String(t.maxEpochs),
    pi: String(t.pi),
    patience: String(t.patience),
    pruning: "off",
    eta: String(PRUNING_DEFAULTS.eta),
    searchSpace: JSON.stringify(defaultSearchSpace(), null, 2),
  };
}

export const POLICY_NAMES = FITNESS_POLICIES;

export const paperDefaultsText = JSON.stringify(CHROMOSOME_DEFAULTS);

const num = (s: string) => (s.trim() === "" ? Number.NaN : Number(s));

/** The request body, or the problems keyed by form field. */
export function buildLaunch(f: LaunchForm): { body: Record<string, unknown>; issues: [] } | { body: null; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  if (!f.datasetId) issues.push({ path: "datasetId", message: "choose a dataset" });
  if (!(STRATEGY_NAMES as readonly string[]).includes(f.strategy)) issues.push({ path: "strategy", message: "unknown strategy" });
  const budget = num(f.budget);
  if (!Number.isInteger(budget) || budget < 1) issues.push({ path: "budget", message: "a whole number of evaluations, at least 1" });
  if (!/^\d{1,15}$/.test(f.seed.trim())) issues.push({ path: "seed", message: "a non-negative integer" });
  const pruning = f.pruning === "on" ? { eta: num(f.eta), minEpochs: PRUNING_DEFAULTS.minEpochs } : null;
  const training = { policy: f.policy, maxEpochs: num(f.maxEpochs), pi: num(f.pi), patience: num(f.patience), pruning };
  const trainingCheck = TrainingSettingsSchema.safeParse(training);
  if (!trainingCheck.success) for (const i of trainingCheck.error.issues) issues.push({ path: `training.${i.path.map(String).join(".")}`, message: i.message });
  const ga = { populationSize: num(f.populationSize), generations: num(f.generations), crossoverRate: num(f.crossoverRate), mutationRate: num(f.mutationRate) };
  const gaCheck = GaSettingsSchema.safeParse({ ...ga, strategy: f.strategy, seed: f.seed.trim() || "0", maxEvaluations: Number.isInteger(budget) && budget >= 1 ? budget : null });
  if (!gaCheck.success) for (const i of gaCheck.error.issues) issues.push({ path: `ga.${i.path.map(String).join(".")}`, message: i.message });
  let searchSpace: unknown;
  try {
    searchSpace = parseSearchSpace(JSON.parse(f.searchSpace));
  } catch (err) {
    if (err instanceof InvalidSearchSpaceError) for (const i of err.issues) issues.push({ path: `searchSpace.${i.path}`.replace(/\.$/, ""), message: i.message });
    else issues.push({ path: "searchSpace", message: `not JSON: ${err instanceof Error ? err.message : String(err)}` });
  }
  if (issues.length > 0) return { body: null, issues };
  return {
    body: {
      ...(f.name.trim() ? { name: f.name.trim() } : {}),
      datasetId: f.datasetId,
      strategy: f.strategy,
      seed: Number(f.seed),
      budget,
      searchSpace,
      ga,
      training,
    },
    issues: [],
  };
}

/** Which form field an issue (ours or the server's) belongs to. */
export function fieldOf(path: string): keyof LaunchForm | "other" {
  const head = path.split(".")[0] ?? "";
  const second = path.split(".")[1] ?? "";
  if (head === "ga" && ["populationSize", "generations", "crossoverRate", "mutationRate"].includes(second)) return second as keyof LaunchForm;
  if (head === "ga" && second === "maxEvaluations") return "budget";
  if (head === "training" && ["policy", "maxEpochs", "pi", "patience"].includes(second)) return second as keyof LaunchForm;
  if (head === "training" && second === "pruning") return path.split(".")[2] === "eta" ? "eta" : "pruning";
  if (["name", "datasetId", "strategy", "seed", "budget", "searchSpace"].includes(head)) return head as keyof LaunchForm;
  return "other";
}
