// `drnn online status` for a terminal.
import type { OnlineStatus } from "@drnn/online";
import type { Result } from "../../command.js";

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

export function humanStatus(r: Result): string {
  const s = r as unknown as OnlineStatus;
  const lines = [`${s.name}: live version ${s.liveVersion ?? "none"}, first version ${s.firstVersion ?? "none"}; ${s.batches.length} batch(es), ${s.decisions.length} decision(s)`];
  if (s.decisions.length > 0) {
    lines.push("", "batch  decision  version  parent  holdout hit@1 cand / live  MRR@20 cand / live  new pages  new items  reason");
    for (const d of s.decisions) {
      lines.push(
        `${String(d.batchSeq).padStart(5)}  ${d.outcome.padEnd(8)}  ${String(d.candidateVersion).padStart(7)}  ${String(d.parentVersion ?? "-").padStart(6)}  ` +
          `${pct(d.candidate.hit1).padStart(12)} / ${pct(d.live.hit1).padEnd(8)}  ${d.candidate.mrr20.toFixed(3)} / ${d.live.mrr20.toFixed(3)}       ${String(d.addedPages).padStart(9)}  ${String(d.addedGeneratorItems).padStart(9)}  ${d.reason}`,
      );
    }
  }
  if (s.accuracy.length > 0) {
    lines.push("", "batch  live version  hit@1 live  hit@1 frozen first  gain");
    for (const a of s.accuracy) lines.push(`${String(a.batchSeq).padStart(5)}  ${String(a.liveVersion).padStart(12)}  ${pct(a.live.hit1).padStart(10)}  ${pct(a.frozen.hit1).padStart(18)}  ${(100 * (a.live.hit1 - a.frozen.hit1)).toFixed(1)} pt`);
    lines.push(`mean gain: ${s.meanGain === null ? "-" : `${(100 * s.meanGain).toFixed(2)} pt of hit@1`}`);
  }
  const waiting = s.batches.filter((b) => b.state !== "decided");
  if (waiting.length > 0) lines.push("", `not decided: ${waiting.map((b) => `#${b.seq} ${b.state}`).join(", ")}`);
  return lines.join("\n");
}
