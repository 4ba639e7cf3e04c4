// The launch form's model: pre-filled from the platform's default search
// space (whose gene defaults are the paper's Table I) and the GA's own
// defaults, validated with the same @drnn/ga schemas the server uses before
// anything is sent.
import { GaSettingsSchema, PAPER_DEFAULTS, STRATEGY_NAMES, defaultSearchSpace, paperSearchSpace, parseSearchSpace, InvalidSearchSpaceError, type StrategyName } from "@drnn/ga";
import type { FieldIssue } from "./types.js";

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
  maxEpochs: string;
  pi: string;
  searchSpace: string;
}

export const SPACES = { cpu: defaultSearchSpace, paper: paperSearchSpace } as const;

export function defaultForm(datasetId = ""): LaunchForm {
  const ga = GaSettingsSchema.parse({ strategy: "elitist", seed: 1 });
  return {
    name: "",
    datasetId,
    strategy: "elitist",
    seed: "1",
    budget: "20",
    populationSize: String(Math.min(ga.populationSize, 6)),
    generations: "3",
    crossoverRate: String(ga.crossoverRate),
    mutationRate: String(ga.mutationRate),
    maxEpochs: "10",
    pi: "0.001",
    searchSpace: JSON.stringify(defaultSearchSpace(), null, 2),
  };
}

export const paperDefaultsText = JSON.stringify(PAPER_DEFAULTS);

const num = (s: string) => (s.trim() === "" ? Number.NaN : Number(s));

/** The request body, or the problems keyed by form field. */
export function buildLaunch(f: LaunchForm): { body: Record<string, unknown>; issues: [] } | { body: null; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  if (!f.datasetId) issues.push({ path: "datasetId", message: "choose a dataset" });
  if (!(STRATEGY_NAMES as readonly string[]).includes(f.strategy)) issues.push({ path: "strategy", message: "unknown strategy" });
  const budget = num(f.budget);
  if (!Number.isInteger(budget) || budget < 1) issues.push({ path: "budget", message: "a whole number of evaluations, at least 1" });
  if (!/^\d{1,15}$/.test(f.seed.trim())) issues.push({ path: "seed", message: "a non-negative integer" });
  const maxEpochs = num(f.maxEpochs);
  if (!Number.isInteger(maxEpochs) || maxEpochs < 1) issues.push({ path: "training.maxEpochs", message: "R: at least 1 epoch" });
  const pi = num(f.pi);
  if (!(pi >= 0 && pi <= 1)) issues.push({ path: "training.pi", message: "pi: between 0 and 1" });
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
      training: { maxEpochs, pi },
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
  if (head === "training" && (second === "maxEpochs" || second === "pi")) return second;
  if (["name", "datasetId", "strategy", "seed", "budget", "searchSpace"].includes(head)) return head as keyof LaunchForm;
  return "other";
}
