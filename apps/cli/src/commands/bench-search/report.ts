// Aggregating `drnn bench search` runs: per contender the median (and
// quartiles) over seeds of the best-so-far fitness at each epoch count, the
// winner's test hit@1, and the two targets, computed as measured.
import type { RunTrace } from "./contenders.js";

export interface CurvePoint {
  epochs: number;
  median: number;
  q1: number;
  q3: number;
}

export interface ContenderReport {
  curve: CurvePoint[];
  finalMedian: number;
  /** Median over seeds of the test hit@1 of each run's best candidate. */
  testHit1Median: number | null;
  runs: { best: number; evaluations: number; pruned: number; testHit1: number | null; chromosome: unknown }[];
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return (sorted[lo] ?? 0) + ((sorted[hi] ?? 0) - (sorted[lo] ?? 0)) * (at - lo);
}

/** Best fitness a run had found once `epochs` epochs were spent (0 before its first result). */
export function bestAt(trace: RunTrace, epochs: number): number {
  let best = 0;
  for (const p of trace.points) if (p.epochs <= epochs) best = Math.max(best, p.best);
  return best;
}

function medianAt(traces: readonly RunTrace[], epochs: number): CurvePoint {
  const v = traces.map((t) => bestAt(t, epochs)).sort((a, b) => a - b);
  return { epochs, median: quantile(v, 0.5), q1: quantile(v, 0.25), q3: quantile(v, 0.75) };
}

const round = (x: number) => Number(x.toFixed(4));

export function aggregate(traces: Map<string, RunTrace[]>, budget: number): Record<string, ContenderReport> {
  const out: Record<string, ContenderReport> = {};
  for (const [name, runs] of traces) {
    const curve = Array.from({ length: budget }, (_, i) => medianAt(runs, i + 1)).map((p) => ({ epochs: p.epochs, median: round(p.median), q1: round(p.q1), q3: round(p.q3) }));
    const hits = runs.map((r) => r.best?.testHit1).filter((h): h is number => typeof h === "number").sort((a, b) => a - b);
    out[name] = {
      curve,
      finalMedian: curve.at(-1)?.median ?? 0,
      testHit1Median: hits.length === 0 ? null : round(quantile(hits, 0.5)),
      runs: runs.map((r) => ({ best: round(r.best?.fitness ?? 0), evaluations: r.evaluations, pruned: r.pruned, testHit1: r.best?.testHit1 ?? null, chromosome: r.best?.chromosome ?? null })),
    };
  }
  return out;
}

/** The first epoch count at which `c`'s median reaches `level`, or null. */
function reaches(c: ContenderReport | undefined, level: number): number | null {
  return c?.curve.find((p) => p.median >= level)?.epochs ?? null;
}

export function targets(contenders: Record<string, ContenderReport>, budget: number) {
  const names = Object.keys(contenders);
  const winner = names.reduce((w, n) => ((contenders[n]?.finalMedian ?? 0) > (contenders[w]?.finalMedian ?? 0) ? n : w), names[0] ?? "");
  const random = contenders["random"];
  const pruned = contenders["elitist+pruning"];
  const at = reaches(pruned, random?.finalMedian ?? Number.POSITIVE_INFINITY);
  const tpe = contenders["tpe"];
  const gaVsTpe = tpe
    ? Object.fromEntries(
        names
          .filter((n) => n.startsWith("ga-") || n === "elitist+pruning")
          .map((n) => {
            const ga = contenders[n]?.curve ?? [];
            const ahead = ga.filter((p, i) => p.median >= (tpe.curve[i]?.median ?? 0)).length;
            return [n, { final: contenders[n]?.finalMedian ?? 0, tpeFinal: tpe.finalMedian, atLeastTpeAtFinal: (contenders[n]?.finalMedian ?? 0) >= tpe.finalMedian, epochCountsAtLeastTpe: `${ahead}/${ga.length}` }];
          }),
      )
    : null;
  return {
    winner,
    winnerTestHit1: contenders[winner]?.testHit1Median ?? null,
    targets: {
      pruningReachesRandomFinal: { randomFinal: random?.finalMedian ?? null, atEpochs: at, share: at === null ? null : round(at / budget), met: at !== null && at <= budget / 2 },
      gaVsTpe,
    },
  };
}

export function markdownTable(contenders: Record<string, ContenderReport>, budget: number): string {
  const names = Object.keys(contenders);
  const marks = [...new Set([0.1, 0.25, 0.5, 0.75, 1].map((q) => Math.max(1, Math.round(q * budget))))];
  const head = `| epochs | ${names.join(" | ")} |\n|---:|${names.map(() => "---:").join("|")}|\n`;
  const rows = marks.map((m) => `| ${m} | ${names.map((n) => (contenders[n]?.curve[m - 1]?.median ?? 0).toFixed(4)).join(" | ")} |`).join("\n");
  const hits = `| test hit@1 of each run's best (median) | ${names.map((n) => contenders[n]?.testHit1Median?.toFixed(4) ?? "-").join(" | ")} |`;
  return `${head}${rows}\n${hits}\n`;
}
