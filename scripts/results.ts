// `pnpm results`: docs/RESULTS.md from real runs, never edited by hand. For
// each shop log in ../shared/data it prepares the dataset, runs one GA
// campaign in embedded mode, loads the campaign's best model and scores it
// and the baselines on the test split, with a bootstrap interval over test
// sessions (resampled with replacement, seeded). A step whose output is
// already in the work directory (--work, default .drnn/results) is reused,
// so an interrupted run resumes; delete the directory to start over.
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { Rng } from "@drnn/contract";
import { loadDataset, sampleTargets, type Dataset } from "@drnn/data";
import { cached, drnn } from "./lib/drnn-cli.js";
import { fitBaseline, firstHitRank, loadModel, scoreSplit, selectBackend, type Ranker, type RankingMetrics } from "@drnn/model";

interface Shop {
  name: string;
  prepare: string[];
  campaign: string[];
}

/** The shop logs: ../shared/data beside the repository, or DRNN_SHOP_DATA. */
const DATA = resolve(process.env["DRNN_SHOP_DATA"] ?? join(import.meta.dirname, "../../shared/data"));
/**
 * One campaign for every shop (the same pipeline, unmodified): at most 40
 * evaluations, each epoch on at most 10,000 training samples, both cores.
 */
const CAMPAIGN = ["--strategy", "elitist", "--population", "8", "--generations", "4", "--max-epochs", "4", "--patience", "1", "--pruning", "--train-samples", "10000", "--threads", "2", "--seed", "1"];
const SHOPS: Shop[] = [
  {
    name: "yoochoose",
    prepare: ["--format", "yoochoose", "--input", join(DATA, "yoochoose"), "--min-item-count", "5"],
    campaign: CAMPAIGN,
  },
  {
    name: "diginetica",
    prepare: ["--format", "diginetica", "--input", join(DATA, "diginetica")],
    campaign: CAMPAIGN,
  },
];
const RANKERS = ["tuned DRNN", "pop", "spop", "itemknn"] as const;
const BOOTSTRAP = 1000;

/** Per test sample: its session and reciprocal rank (0 when missed). */
function perSample(d: Dataset, ranker: Ranker): { session: number; rr: number }[] {
  const [from, to] = d.manifest.splits.test.samples;
  const samples = Int32Array.from({ length: to - from }, (_, i) => from + i);
  const ranked = ranker.rank(samples);
  return Array.from(samples, (s, i) => {
    const rank = firstHitRank(ranked[i] ?? [], sampleTargets(d, s));
    return { session: d.columns.sampleSession[s] ?? 0, rr: rank > 0 ? 1 / rank : 0 };
  });
}

/** 95 % bootstrap intervals of hit@1 and MRR@20 over sessions. */
function bootstrap(rows: { session: number; rr: number }[], seed: number): { hit1: [number, number]; mrr: [number, number] } {
  const bySession = new Map<number, number[]>();
  for (const r of rows) bySession.set(r.session, [...(bySession.get(r.session) ?? []), r.rr]);
  const sessions = [...bySession.values()];
  const rng = Rng.fromSeed(seed);
  const hit: number[] = [];
  const mrr: number[] = [];
  for (let b = 0; b < BOOTSTRAP; b++) {
    let n = 0, h = 0, m = 0;
    for (let i = 0; i < sessions.length; i++) {
      for (const rr of sessions[rng.int(0, sessions.length - 1)] ?? []) {
        n++;
        h += rr === 1 ? 1 : 0;
        m += rr;
      }
    }
    hit.push(h / Math.max(1, n));
    mrr.push(m / Math.max(1, n));
  }
  const ci = (v: number[]): [number, number] => {
    const s = v.sort((a, b) => a - b);
    return [s[Math.floor(0.025 * s.length)] ?? 0, s[Math.floor(0.975 * s.length)] ?? 0];
  };
  return { hit1: ci(hit), mrr: ci(mrr) };
}

interface ShopResult {
  shop: Shop;
  dataset: Record<string, unknown>;
  campaign: Record<string, unknown>;
  rows: { name: string; m: RankingMetrics; ci: ReturnType<typeof bootstrap> }[];
}

async function runShop(shop: Shop, work: string): Promise<ShopResult> {
  const dir = join(work, shop.name);
  mkdirSync(dir, { recursive: true });
  const env = { DRNN_HOME: join(dir, "home"), DRNN_ARTIFACTS_DIR: join(dir, "artifacts") };
  const dataset = cached(join(dir, "prepare.json"), () => drnn(["data", "prepare", ...shop.prepare, "--out", join(dir, "dataset")], env));
  const began = Date.now();
  const campaign = cached(join(dir, "campaign.json"), () => ({ ...drnn(["campaign", "launch", "--dataset", join(dir, "dataset"), ...shop.campaign, "--follow"], env), wallSeconds: (Date.now() - began) / 1000, loadAverage: loadavg() }));
  const d = loadDataset(join(dir, "dataset"));
  const candidates = campaign["candidates"] as { hash: string; state: string; fitness: number | null }[];
  const best = candidates.filter((c) => c.state === "completed").sort((a, b) => (b.fitness ?? 0) - (a.fitness ?? 0))[0];
  if (best === undefined) throw new Error(`${shop.name}: the campaign completed no candidate`);
  const model = await loadModel(join(env.DRNN_ARTIFACTS_DIR, "candidates", String(campaign["campaignId"]), best.hash));
  const rankers: Record<(typeof RANKERS)[number], Ranker> = { "tuned DRNN": model.model.ranker(d), pop: fitBaseline("pop", d), spop: fitBaseline("spop", d), itemknn: fitBaseline("itemknn", d) };
  const rows = RANKERS.map((name, i) => ({ name, m: scoreSplit(d, "test", rankers[name]), ci: bootstrap(perSample(d, rankers[name]), 17 + i) }));
  model.model.dispose();
  return { shop, dataset, campaign, rows };
}

const f = (x: number) => x.toFixed(3);

function section(r: ShopResult): string {
  const c = r.campaign;
  const best = c["best"] as { chromosome: unknown } | null;
  const lines = [
    `## ${r.shop.name}`,
    "",
    `Dataset: \`drnn data prepare ${r.shop.prepare.join(" ").replace(DATA, "../shared/data")}\`: ${String(r.dataset["sessions"])} sessions, ${String(r.dataset["sampleSessions"])} purchase sessions with views, ${String(r.dataset["rankableItems"])} items (${String(r.dataset["items"])} in the generator's set), test samples ${String((r.dataset["samples"] as Record<string, number>)["test"])}.`,
    "",
    `Campaign: \`drnn campaign launch ${r.shop.campaign.join(" ")} --follow\`: ${String(c["evaluations"])} evaluations, ${String(c["state"])}, ${Math.round(Number(c["wallSeconds"] ?? 0) / 60)} min wall time (load average at its end, 1/5/15 min: ${((c["loadAverage"] as number[] | undefined) ?? []).map((x) => x.toFixed(1)).join(" / ") || "not recorded"}).`,
    `Best chromosome: \`${JSON.stringify(best?.chromosome ?? null)}\``,
    "",
    "Test split (hit@1 is the paper's accuracy; intervals: 95 % bootstrap over test sessions):",
    "",
    "| ranker | accuracy (hit@1) | hit@1 95 % CI | hit@5 | hit@10 | hit@20 | MRR@20 | MRR@20 95 % CI | path compression | session accuracy | reachable |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
    ...r.rows.map(({ name, m, ci }) => `| ${name} | ${f(m.hit[1])} | ${f(ci.hit1[0])}–${f(ci.hit1[1])} | ${f(m.hit[5])} | ${f(m.hit[10])} | ${f(m.hit[20])} | ${f(m.mrr20)} | ${f(ci.mrr[0])}–${f(ci.mrr[1])} | ${f(m.pathCompression)} | ${f(m.sessionAccuracy)} | ${f(m.reachable)} |`),
  ];
  const drnn = r.rows[0]?.m;
  const rivals = r.rows.slice(1);
  if (drnn) {
    const ahead = rivals.every((x) => drnn.hit[1] > x.m.hit[1] && drnn.mrr20 > x.m.mrr20);
    lines.push("", ahead ? "The tuned DRNN is ahead of every baseline on hit@1 and MRR@20." : "**The tuned DRNN is not ahead of every baseline on hit@1 and MRR@20.**");
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { work: { type: "string", default: ".drnn/results" }, out: { type: "string", default: "docs/RESULTS.md" }, only: { type: "string" } } });
  await selectBackend("wasm");
  const work = resolve(values.work);
  const results: ShopResult[] = [];
  for (const shop of SHOPS.filter((s) => values.only === undefined || values.only.split(",").includes(s.name))) results.push(await runShop(shop, work));
  const doc = [
    "# Results",
    "",
    "Written by `pnpm results` (scripts/results.ts) from the runs it makes; not edited by hand.",
    "Every item a session shows is rankable (the candidate set, DESIGN.md section 3) for the DRNN and the baselines alike.",
    `Machine: ${process.platform}, ${(await import("node:os")).cpus().length} cores (${(await import("node:os")).cpus()[0]?.model ?? "?"}), Node ${process.version}.`,
    "",
    ...results.map(section).flatMap((s) => [s, ""]),
  ].join("\n");
  writeFileSync(values.out, doc);
  console.log(JSON.stringify({ out: values.out, shops: results.map((r) => ({ shop: r.shop.name, rows: r.rows.map((x) => ({ name: x.name, hit1: x.m.hit[1], mrr20: x.m.mrr20 })) })) }));
}

await main();
