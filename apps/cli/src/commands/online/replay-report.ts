// The replay's table (ONLINE-REPLAY.md), JSON and plot (online-replay.png,
// matplotlib through /usr/bin/python3, as bench search draws its plots).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Repositories } from "@drnn/db";
import type { ChromosomeInput, RankingMetrics } from "@drnn/model";
import type { IngestTotals } from "@drnn/ingest";
import type { OnlineStatus, RetrainDeps } from "@drnn/online";
import type { ReplayLog } from "./replay-stream.js";

const PLOT = fileURLToPath(new URL("./replay-plot.py", import.meta.url));

export interface ReplayBatch {
  seq: number;
  closedAt: number;
  decidedAt: number;
  answeredAt: number | null;
  firstEventAt: number;
  lastEventAt: number;
}

export interface ReplayFacts {
  name: string;
  format: string;
  input: string;
  m: number;
  share: number;
  chromosome: ChromosomeInput;
  seed: number;
  firstEpochs: number;
  settings: Pick<RetrainDeps, "margin" | "fineTune">;
  log: ReplayLog;
  firstSessions: number;
  v1Test: RankingMetrics;
  batches: ReplayBatch[];
  status: OnlineStatus;
  seconds: number;
  repos: Repositories;
  ingested: IngestTotals;
}

const mean = (xs: number[]) => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s.length % 2 ? (s[s.length >> 1] ?? 0) : ((s[s.length / 2 - 1] ?? 0) + (s[s.length / 2] ?? 0)) / 2;
};
const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "-");

/** Items a version can rank at all (every id of its vocabulary) and its generator's items. */
async function vocabularySize(repos: Repositories, name: string, version: number | null): Promise<{ items: number; generator: number }> {
  if (version === null) return { items: 0, generator: 0 };
  const dir = (await repos.models.version(name, version)).artifact;
  const items = readFileSync(join(dir, "items.txt"), "utf8").split("\n").length - 1;
  const meta = JSON.parse(readFileSync(join(dir, "drnn.json"), "utf8")) as { dims: { items: number } };
  return { items, generator: meta.dims.items };
}

export async function writeReplayReport(outDir: string, r: ReplayFacts): Promise<Record<string, unknown>> {
  const s = r.status;
  const bySeq = new Map(s.decisions.map((d) => [d.batchSeq, d]));
  const rows = s.accuracy.map((a) => {
    const d = bySeq.get(a.batchSeq);
    const b = r.batches.find((x) => x.seq === a.batchSeq);
    return { seq: a.batchSeq, liveVersion: a.liveVersion, liveHit1: a.live.hit1, frozenHit1: a.frozen.hit1, spopHit1: a.spop?.hit1 ?? Number.NaN, spopMrr: a.spop?.mrr20 ?? Number.NaN, liveMrr: a.live.mrr20, frozenMrr: a.frozen.mrr20, liveReach: a.live.reachable, frozenReach: a.frozen.reachable, samples: a.live.samples, outcome: d?.outcome ?? "?", candHold: d?.candidate.hit1 ?? Number.NaN, liveHold: d?.live.hit1 ?? Number.NaN, addedPages: d?.addedPages ?? 0, addedItems: d?.addedGeneratorItems ?? 0, version: d?.candidateVersion ?? 0, latency: b?.answeredAt ? (b.answeredAt - b.closedAt) / 1000 : null, retrain: b ? (b.decidedAt - b.closedAt) / 1000 : null, from: b?.firstEventAt ?? 0, to: b?.lastEventAt ?? 0 };
  });
  const meanLive = mean(rows.map((x) => x.liveHit1));
  const meanFrozen = mean(rows.map((x) => x.frozenHit1));
  const meanSpop = mean(rows.map((x) => x.spopHit1));
  const latencies = rows.flatMap((x) => (x.latency === null ? [] : [x.latency]));
  const retrains = rows.flatMap((x) => (x.retrain === null || x.latency === null ? [] : [x.retrain]));
  const first = await vocabularySize(r.repos, r.name, s.firstVersion);
  const last = await vocabularySize(r.repos, r.name, s.liveVersion);
  const promoted = rows.filter((x) => x.outcome === "promoted").length;
  const cmd = `drnn online replay --format ${r.format} --input ${r.input} --batch-sessions ${r.m} --first-share ${r.share} --first-epochs ${r.firstEpochs}${r.settings.fineTune?.rule ? ` --epochs ${r.settings.fineTune.rule.maxEpochs}` : ""}${r.settings.fineTune?.trainSamplesPerEpoch ? ` --train-samples ${r.settings.fineTune.trainSamplesPerEpoch}` : ""}${r.settings.margin === undefined ? "" : ` --margin ${r.settings.margin}`} --seed ${r.seed}`;
  const md = [
    "# Online loop: prequential replay",
    "",
    `Written by \`${cmd}\` (${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, ${(r.seconds / 60).toFixed(1)} min, load average ${loadavg()[0]?.toFixed(1)} at the end: the machine was shared); not edited by hand.`,
    "The path is the deployed one: after version 1's period the log's records go one by one, in time order, through ingest (the online sessionizer; closed sessions and the cursor committed to PostgreSQL together; every M purchase sessions a batch is cut and its job goes on the drnn-retrain queue), a retrain worker takes each job, and a `drnn serve` process follows the production alias. The stream waits for each batch's decision (a live shop's batches come slower than a retrain), so latency is not queueing.",
    `Ingest took ${r.ingested.records} records in ${r.ingested.commits} commits and stored ${r.ingested.storedSessions} sessions (${r.ingested.storedPurchaseSessions} with a purchase).`,
    "",
    `Log: ${r.log.records} records, ${r.log.allSessions} sessions, ${r.log.sessions.length} purchase sessions with a view before the purchase, streamed in the order they close (last event). The first ${r.firstSessions} (${(r.share * 100).toFixed(0)} %) train version 1 (its own newest-10 % test split: hit@1 ${f3(r.v1Test.hit[1])}, MRR@20 ${f3(r.v1Test.mrr20)}); the next ${rows.length * r.m} come in ${rows.length} batches of ${r.m}.`,
    `Chromosome: \`${JSON.stringify(r.chromosome)}\`.`,
    "",
    "Each batch is scored **before** training on it (hit@1 and MRR@20 over every prefix sample of the batch) by the model live at that moment, by a frozen copy of version 1, and by S-POP (the session's own items, most viewed first: no training, every page of the batch known), the bar both must clear. Then the live model is fine-tuned on the batch's oldest 70 % (10 % choose the epoch), and the candidate goes live only if its hit@1 on the newest 20 % is not more than the margin below the live model's. As in `data prepare`, the candidate's vocabulary holds every page of the batch, the holdout's too (with the item each shows; rows it never trained), while a page the live (or frozen) model never had goes into its embedding as out of vocabulary, its item still a candidate for the copy (as serving treats it): the guard compares what each would serve. The prequential columns are the honest test: each batch is new to both models scored on it.",
    "",
    `- mean hit@1 on new batches: live **${f3(meanLive)}**, frozen first version **${f3(meanFrozen)}**: mean gain **${(100 * (meanLive - meanFrozen)).toFixed(2)} points** (live ahead on ${rows.filter((x) => x.liveHit1 > x.frozenHit1).length} of ${rows.length} batches)`,
    `- against S-POP on the same samples: mean hit@1 ${f3(meanSpop)}; the live model is ahead of it on ${rows.filter((x) => x.liveHit1 > x.spopHit1).length} of ${rows.length} batches (mean ${(100 * (meanLive - meanSpop)).toFixed(2)} points)`,
    `- mean MRR@20: live ${f3(mean(rows.map((x) => x.liveMrr)))}, frozen ${f3(mean(rows.map((x) => x.frozenMrr)))}, S-POP ${f3(mean(rows.map((x) => x.spopMrr)))}`,
    `- share of samples whose purchase the model can rank at all (reachable): live ${f3(mean(rows.map((x) => x.liveReach)))}, frozen ${f3(mean(rows.map((x) => x.frozenReach)))}`,
    `- new items that became rankable: the live version knows ${last.items} items against version 1's ${first.items} (+${last.items - first.items}); its generator covers ${last.generator} against ${first.generator} (+${last.generator - first.generator})`,
    `- decisions: ${promoted} promoted, ${rows.length - promoted} kept`,
    `- latency from a batch's last session closing to the new version answering page views (promoted batches): median ${f3(median(latencies))} s, max ${f3(Math.max(...latencies))} s; of which retraining up to the decision (the rest is \`drnn serve\` loading the version): median ${f3(median(retrains))} s`,
    "",
    "| batch | sessions from | to | samples | live version | hit@1 live | hit@1 frozen | hit@1 S-POP | gain (pt) | MRR@20 live | MRR@20 frozen | MRR@20 S-POP | holdout hit@1 candidate / live | decision | new pages | new generator items | latency (s) |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...rows.map((x) => `| ${x.seq} | ${new Date(x.from).toISOString().slice(0, 16)} | ${new Date(x.to).toISOString().slice(0, 16)} | ${x.samples} | ${x.liveVersion} | ${f3(x.liveHit1)} | ${f3(x.frozenHit1)} | ${f3(x.spopHit1)} | ${(100 * (x.liveHit1 - x.frozenHit1)).toFixed(1)} | ${f3(x.liveMrr)} | ${f3(x.frozenMrr)} | ${f3(x.spopMrr)} | ${f3(x.candHold)} / ${f3(x.liveHold)} | ${x.outcome} → v${x.version} | ${x.addedPages} | ${x.addedItems} | ${x.latency === null ? "-" : x.latency.toFixed(1)} |`),
    "",
    "![hit@1 per batch: live model against the frozen first version and S-POP](online-replay.png)",
    "",
  ].join("\n");
  const out = resolve(outDir);
  mkdirSync(out, { recursive: true });
  const table = join(out, "ONLINE-REPLAY.md");
  writeFileSync(table, md);
  const json = { dataset: r.format, m: r.m, firstShare: r.share, meanLive, meanFrozen, meanSpop, batches: rows };
  const plot = join(out, "online-replay.png");
  const drawn = existsSync("/usr/bin/python3") ? spawnSync("/usr/bin/python3", [PLOT, plot], { input: JSON.stringify(json), encoding: "utf8" }) : null;
  if (drawn?.status !== 0) throw new Error(`the plot failed: ${drawn?.stderr ?? "no /usr/bin/python3"}`);
  return { table, plot, meanLive, meanFrozen, meanSpop, meanGainPoints: Number((100 * (meanLive - meanFrozen)).toFixed(2)), promoted, kept: rows.length - promoted, latencyMedianSeconds: median(latencies), newItemsRankable: last.items - first.items, newGeneratorItems: last.generator - first.generator };
}
