// A candidate's page, as data: its genes beside the gene table's defaults,
// why it stopped in words, and where its time went. Pure, so it is tested
// without a browser.
import { DRNN_GENES, type Candidate, type Epoch } from "@drnn/contract";

export interface GeneRowView {
  gene: string;
  value: string;
  defaultValue: string;
  /** Differs from the gene table's default (the paper's Table I). */
  changed: boolean;
  description: string;
}

const text = (v: unknown): string => (v === undefined ? "–" : Array.isArray(v) ? v.join(", ") : String(v));

/** Every gene of the chromosome in the gene table's order, then any the table does not know. */
export function chromosomeRows(chromosome: Readonly<Record<string, unknown>>): GeneRowView[] {
  const known = DRNN_GENES.map((g): GeneRowView => {
    const value = chromosome[g.name];
    return { gene: g.name, value: text(value), defaultValue: text(g.default), changed: value !== undefined && text(value) !== text(g.default), description: "description" in g ? g.description : "" };
  });
  const names = new Set<string>(DRNN_GENES.map((g) => g.name));
  const extra = Object.keys(chromosome)
    .filter((k) => !names.has(k))
    .map((k) => ({ gene: k, value: text(chromosome[k]), defaultValue: "–", changed: true, description: "not a gene of the table" }));
  return [...known, ...extra];
}

/** What each stop reason (the trainer's and the evaluation's) means to someone reading the page. */
export const STOP_REASONS: Record<string, string> = {
  converged: "validation accuracy stopped improving by more than π: the fitness policy counts it as settled",
  patience: "no better validation accuracy for `patience` epochs",
  "max-epochs": "trained the most epochs R allows",
  pruned: "stopped at a pruning rung: its accuracy there was below the top 1/η of its rung",
  unsettled: "ran out of epochs before settling; the paper's policy scores it as unsettled",
  "nan-loss": "the loss became NaN (diverged); it scores no fitness",
  "out-of-memory": "the model did not fit in the device's memory",
  aborted: "stopped from outside (the campaign was cancelled)",
};

export function stopReasonText(reason: string | null): string {
  if (reason === null) return "not stopped yet";
  return STOP_REASONS[reason] ?? reason;
}

export interface Timings {
  /** From queued to started: time spent waiting for a worker. */
  waitSeconds: number | null;
  trainSeconds: number | null;
  /** From started to finished, including data loading and test scoring. */
  durationSeconds: number | null;
  epochSecondsMean: number | null;
  samplesPerSecMean: number | null;
}

const seconds = (from: string | null, to: string | null) => (from && to ? (Date.parse(to) - Date.parse(from)) / 1000 : null);
const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((s, x) => s + x, 0) / xs.length);

export function timings(c: Candidate, epochs: readonly Epoch[]): Timings {
  return {
    waitSeconds: seconds(c.queuedAt, c.startedAt),
    trainSeconds: c.trainSeconds,
    durationSeconds: c.durationSeconds,
    epochSecondsMean: mean(epochs.map((e) => e.seconds)),
    samplesPerSecMean: mean(epochs.flatMap((e) => (e.samplesPerSec === null ? [] : [e.samplesPerSec]))),
  };
}

/** "12.3 s", "4 min 05 s", "1 h 02 min": short enough for a table cell. */
export function formatSeconds(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return "–";
  if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(Math.round(s % 60)).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.round((s % 3600) / 60)).padStart(2, "0")} min`;
}
