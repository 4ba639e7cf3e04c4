// The contenders of `drnn bench search`, each a run that spends exactly
// `budget` training epochs on the objective and records its best-so-far
// fitness as epochs are spent. The GA strategies and random search run on
// @drnn/ga's engine (ask/tell); TPE is Optuna's, asked from a python child.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { GaEngine, isGeneActive, validateChromosome, type Chromosome, type SearchSpace, type StrategyName } from "@drnn/ga";
import type { Evaluation, Objective } from "./objective.js";

export interface RunTrace {
  /** After each evaluation: epochs spent so far and the best fitness so far. */
  points: { epochs: number; best: number }[];
  best: Evaluation | null;
  evaluations: number;
  pruned: number;
}

export type Contender = (objective: Objective, space: SearchSpace, budget: number, seed: number) => Promise<RunTrace>;

class Ledger {
  readonly trace: RunTrace = { points: [], best: null, evaluations: 0, pruned: 0 };
  spent = 0;
  constructor(readonly budget: number) {}
  get left(): number {
    return this.budget - this.spent;
  }
  add(e: Evaluation): void {
    this.spent += e.epochs;
    this.trace.evaluations++;
    if (e.stopReason === "pruned") this.trace.pruned++;
    if (this.trace.best === null || e.fitness > this.trace.best.fitness) this.trace.best = e;
    this.trace.points.push({ epochs: this.spent, best: this.trace.best.fitness });
  }
}

export function gaContender(strategy: StrategyName, populationSize: number): Contender {
  return async (objective, space, budget, seed) => {
    const ledger = new Ledger(budget);
    const engine = GaEngine.create(space, { strategy, seed, populationSize, generations: 10_000 });
    while (ledger.left > 0 && !engine.done) {
      for (const c of engine.ask()) {
        if (ledger.left <= 0) break;
        const e = await objective.evaluate(c.genes as Record<string, unknown>, ledger.left);
        ledger.add(e);
        engine.tell(c.hash, e.fitness);
      }
    }
    return ledger.trace;
  };
}

interface Dimension {
  name: string;
  kind: "int" | "float" | "categorical";
  low?: number;
  high?: number;
  log?: boolean;
  choices?: unknown[];
}

/** Every gene as an Optuna distribution over its search range; list genes as one dimension per possible element. */
export function dimensionsOf(space: SearchSpace): Dimension[] {
  const out: Dimension[] = [];
  for (const g of space.genes) {
    if (g.type === "categorical") out.push({ name: g.name, kind: "categorical", choices: [...g.choices] });
    else if (g.type === "bool") out.push({ name: g.name, kind: "categorical", choices: [true, false] });
    else if (g.type === "int-list") {
      const r = g.search ?? g;
      const length = space.genes.find((x) => x.name === g.lengthGene);
      const most = length && length.type === "int" ? (length.search ?? length).max : 1;
      for (let i = 0; i < most; i++) out.push({ name: `${g.name}.${i}`, kind: "int", low: r.min, high: r.max, log: g.log === true });
    } else {
      const r = g.search ?? g;
      out.push({ name: g.name, kind: g.type === "int" ? "int" : "float", low: r.min, high: r.max, log: g.type === "log-float" || ("log" in g && g.log === true) });
    }
  }
  return out;
}

/** Optuna's flat params back into a chromosome: lists cut to their length gene, h capped by l, dormant genes dropped. */
export function chromosomeFrom(space: SearchSpace, params: Record<string, unknown>): Record<string, unknown> {
  const c: Record<string, unknown> = {};
  for (const g of space.genes) {
    if (g.type === "int-list") {
      const n = Number(params[g.lengthGene] ?? 1);
      c[g.name] = Array.from({ length: n }, (_, i) => params[`${g.name}.${i}`]);
    } else c[g.name] = params[g.name];
  }
  for (const g of space.genes) if (g.type === "int" && g.maxGene !== undefined) c[g.name] = Math.min(Number(c[g.name]), Number(c[g.maxGene]));
  for (const g of space.genes) if (!isGeneActive(space, c as Chromosome, g)) delete c[g.name];
  return validateChromosome(space, c) as Record<string, unknown>;
}

export class OptunaMissingError extends Error {
  override readonly name = "OptunaMissingError";
}

const TPE_SCRIPT = fileURLToPath(new URL("./tpe.py", import.meta.url));

/**
 * The python children, one per seed, started before any training thread:
 * a fork while another thread is inside OpenBLAS hung both training threads
 * here (OpenBLAS's fork handler stops its thread pool under a running call).
 */
export function startTpeProcesses(seeds: number): Map<number, ChildProcess> {
  return new Map(Array.from({ length: seeds }, (_, i) => [i + 1, spawn("/usr/bin/python3", [TPE_SCRIPT], { stdio: ["pipe", "pipe", "inherit"] })]));
}

export function tpeContender(startupTrials: number, children: Map<number, ChildProcess>): Contender {
  return async (objective, space, budget, seed) => {
    const ledger = new Ledger(budget);
    const child = children.get(seed);
    if (!child) throw new Error(`no TPE process was started for seed ${seed}`);
    if (!child.stdout || !child.stdin) throw new Error("the TPE process has no pipes");
    const stdin = child.stdin;
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const next = async (): Promise<Record<string, unknown>> => {
      const { value, done } = await lines.next();
      if (done === true) throw new OptunaMissingError("the TPE script ended early (is /usr/bin/python3 with python3-optuna installed?)");
      const msg = JSON.parse(String(value)) as { params?: Record<string, unknown>; error?: string };
      if (msg.error !== undefined) throw new OptunaMissingError(msg.error);
      return msg.params ?? {};
    };
    const send = (m: unknown) => stdin.write(`${JSON.stringify(m)}\n`);
    try {
      send({ dims: dimensionsOf(space), seed, startup: startupTrials });
      while (ledger.left > 0) {
        const e = await objective.evaluate(chromosomeFrom(space, await next()), ledger.left);
        ledger.add(e);
        if (ledger.left > 0) send({ value: e.fitness });
      }
      send({ stop: true });
    } finally {
      stdin.end();
    }
    return ledger.trace;
  };
}
