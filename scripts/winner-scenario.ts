// `pnpm winner-scenario`: does the fitness rule pick a model that learned?
// The scenario a new user runs from the dashboard: "synthesize one" (600
// sessions, seed 1), then a 13-evaluation campaign with every other setting
// at its default. For each campaign seed it reports the winner's (highest
// fitness) validation accuracy against the campaign's best validation
// accuracy, and the winner's gap to it. Each seed runs in its own embedded
// home under --work, so an interrupted run resumes.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { cached, drnn } from "./lib/drnn-cli.js";

interface Row {
  seed: number;
  evaluations: number;
  winnerAccuracy: number;
  bestAccuracy: number;
  gap: number;
  learned: number;
}

type Summary = { state: string; fitness: number | null; accuracy: number | null };

function scenario(work: string, seed: number, budget: number): Row {
  const dir = join(work, `seed-${seed}`);
  mkdirSync(dir, { recursive: true });
  const env = { DRNN_HOME: join(dir, "home"), DRNN_ARTIFACTS_DIR: join(dir, "artifacts") };
  cached(join(dir, "synth.json"), () => drnn(["data", "synth", "--sessions", "600", "--seed", "1", "--out", join(dir, "log.jsonl")], env));
  cached(join(dir, "prepare.json"), () => drnn(["data", "prepare", "--format", "jsonl", "--input", join(dir, "log.jsonl"), "--out", join(dir, "dataset")], env));
  const c = cached(join(dir, "campaign.json"), () => drnn(["campaign", "launch", "--dataset", join(dir, "dataset"), "--budget", String(budget), "--seed", String(seed), "--threads", "2"], env));
  const done = (c["candidates"] as Summary[]).filter((x) => x.state === "completed" && x.accuracy !== null);
  if (done.length === 0) throw new Error(`seed ${seed}: no completed candidate`);
  const winner = done.reduce((a, b) => ((b.fitness ?? 0) > (a.fitness ?? 0) ? b : a));
  const best = Math.max(...done.map((x) => x.accuracy ?? 0));
  // "Learned": validation accuracy above that of the worst candidate by more than 0.05.
  const floor = Math.min(...done.map((x) => x.accuracy ?? 0));
  return { seed, evaluations: done.length, winnerAccuracy: winner.accuracy ?? 0, bestAccuracy: best, gap: best - (winner.accuracy ?? 0), learned: (winner.accuracy ?? 0) - floor };
}

const { values } = parseArgs({ options: { work: { type: "string", default: ".drnn/winner-scenario" }, seeds: { type: "string", default: "5" }, budget: { type: "string", default: "13" }, out: { type: "string" } } });
const rows: Row[] = [];
for (let s = 1; s <= Number(values.seeds); s++) rows.push(scenario(resolve(values.work), s, Number(values.budget)));
const f = (x: number) => x.toFixed(4);
const table = ["| campaign seed | completed | winner's val accuracy | campaign's best val accuracy | gap | winner above the worst |", "|---:|---:|---:|---:|---:|---:|", ...rows.map((r) => `| ${r.seed} | ${r.evaluations} | ${f(r.winnerAccuracy)} | ${f(r.bestAccuracy)} | ${f(r.gap)} | ${f(r.learned)} |`)];
const verdict = `Winner within 0.02 of the campaign's best validation accuracy: ${rows.filter((r) => r.gap <= 0.02).length}/${rows.length} seeds; largest gap ${f(Math.max(...rows.map((r) => r.gap)))}.`;
console.log([...table, verdict].join("\n"));
if (values.out !== undefined) {
  const doc = [
    "# Does the fitness rule pick a model that learned?",
    "",
    `Written by \`pnpm winner-scenario --seeds ${values.seeds} --budget ${values.budget}\` (scripts/winner-scenario.ts); not edited by hand.`,
    "The dashboard's first-use scenario: \"synthesize one\" (600 sessions, seed 1), then a campaign of",
    `${values.budget} evaluations with every other setting at its default (fitness policy, R, pi, patience), once per campaign seed.`,
    "The winner is the candidate of highest fitness; accuracies are on the validation split at each candidate's scored epoch.",
    `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), Node ${process.version}.`,
    "",
    ...table,
    "",
    verdict,
    "",
  ];
  writeFileSync(values.out, doc.join("\n"));
}
