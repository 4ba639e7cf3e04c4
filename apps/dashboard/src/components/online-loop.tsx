// The models page's online loop: the live version's lineage, every guarded
// promotion decision, and hit@1 on each new batch (scored before training on
// it) of the live model against a frozen copy of the first version.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { OnlineStatus } from "@drnn/contract";
import { accuracySeries, lineageOf, points } from "../online-view.js";

const f3 = (v: number) => v.toFixed(3);

export function AccuracyChart({ status }: { status: OnlineStatus }) {
  const data = accuracySeries(status);
  return (
    <div className="chart" data-testid="online-accuracy-chart" data-points={data.length}>
      <h3>
        hit@1 on each new batch, before training on it <span className="muted">(mean gain of the live model: {points(status.meanGain)})</span>
      </h3>
      {data.length === 0 ? <p className="muted">no batch decided yet</p> : null}
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="batch" type="number" domain={["dataMin", "dataMax"]} allowDecimals={false} label={{ value: "batch", position: "insideBottomRight", offset: -4 }} />
          <YAxis domain={["auto", "auto"]} tickFormatter={(v: number) => v.toFixed(2)} />
          <Tooltip formatter={(v) => (typeof v === "number" ? v.toFixed(4) : String(v))} />
          <Legend />
          <Line isAnimationActive={false} dataKey="live" name="live model" stroke="#1a7f37" strokeWidth={2} />
          <Line isAnimationActive={false} dataKey="frozen" name="frozen first version" stroke="#cf222e" strokeDasharray="5 3" />
          <Line isAnimationActive={false} dataKey="spop" name="S-POP (no training)" stroke="#6e7781" strokeDasharray="2 2" connectNulls={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

export function OnlineLoop({ status }: { status: OnlineStatus }) {
  const lineage = lineageOf(status);
  const waiting = status.batches.filter((b) => b.state !== "decided");
  return (
    <div className="panel" data-testid="online-loop">
      <h3>
        Online loop <span className="muted">({status.batches.length} batches, {status.decisions.length} decisions{waiting.length > 0 ? `; not decided: ${waiting.map((b) => `#${b.seq} ${b.state}`).join(", ")}` : ""})</span>
      </h3>
      <p data-testid="online-lineage">
        lineage of the live version:{" "}
        {lineage.map((s, i) => (
          <span key={s.version} className="mono">
            {i > 0 ? ` → ` : ""}v{s.version}
            {s.batchSeq === null ? "" : <span className="muted"> (batch {s.batchSeq})</span>}
          </span>
        ))}
      </p>
      <AccuracyChart status={status} />
      <table data-testid="online-decisions">
        <thead>
          <tr>
            <th>batch</th><th>decision</th><th>version</th><th>parent</th><th>holdout hit@1 candidate / live</th><th>MRR@20 candidate / live</th>
            <th>margin</th><th>new pages</th><th>new items</th><th>sessions seen</th><th>reason</th>
          </tr>
        </thead>
        <tbody>
          {[...status.decisions].reverse().map((d) => (
            <tr key={d.batchId} data-batch={d.batchSeq}>
              <td>#{d.batchSeq}</td>
              <td><span className={`state ${d.outcome === "promoted" ? "completed" : "cancelled"}`}>{d.outcome}</span></td>
              <td>v{d.candidateVersion}</td>
              <td>{d.parentVersion === null ? "–" : `v${d.parentVersion}`}</td>
              <td>{f3(d.candidate.hit1)} / {f3(d.live.hit1)}</td>
              <td>{f3(d.candidate.mrr20)} / {f3(d.live.mrr20)}</td>
              <td>{d.margin}</td>
              <td>{d.addedPages}</td>
              <td>{d.addedGeneratorItems}</td>
              <td title={`batches: ${d.batchIds.length}`}>{d.sessionCount}</td>
              <td className="muted">{d.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
