// One candidate: its chromosome, state and why it stopped, its per-epoch
// curves, its test metrics beside the dataset's baselines, the worker and
// backend that ran it, where its time went, and its attempts and error.
import { useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { isFinished, type ResponseBody } from "@drnn/contract";
import { usePoll } from "../use-poll.js";
import { chromosomeRows, formatSeconds, stopReasonText, timings } from "../candidate-view.js";
import { BaselineComparison } from "../components/comparison.js";
import { campaignHref, datasetHref } from "../routes.js";

type Detail = ResponseBody<"candidate">;

const fmt = (v: number | null, d = 4) => (v === null ? "–" : v.toFixed(d));

function Curves({ epochs }: { epochs: Detail["epochs"] }) {
  return (
    <div className="chart" data-testid="candidate-curves" data-points={epochs.length}>
      <h3>Per-epoch curves</h3>
      {epochs.length === 0 ? <p className="muted">no epoch reported yet</p> : null}
      <ResponsiveContainer width="100%" height={260}>
        <LineChart data={epochs} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="epoch" type="number" domain={[1, "dataMax"]} allowDecimals={false} />
          <YAxis yAxisId="acc" domain={["auto", "auto"]} tickFormatter={(v: number) => v.toFixed(2)} width={44} />
          <YAxis yAxisId="loss" orientation="right" domain={["auto", "auto"]} tickFormatter={(v: number) => v.toFixed(1)} width={40} />
          <Tooltip formatter={(v) => (typeof v === "number" ? v.toFixed(4) : String(v))} />
          <Legend />
          <Line yAxisId="acc" isAnimationActive={false} dataKey="valAccuracy" name="val accuracy" stroke="#1a7f37" strokeWidth={2} />
          <Line yAxisId="loss" isAnimationActive={false} dataKey="valLoss" name="val loss" stroke="#cf222e" />
          <Line yAxisId="loss" isAnimationActive={false} dataKey="trainLoss" name="train loss" stroke="#0969da" strokeDasharray="4 3" />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

function Facts({ d }: { d: Detail }) {
  const c = d.candidate;
  const t = timings(c, d.epochs);
  const facts: [string, string][] = [
    ["fitness", fmt(c.fitness)],
    ["val accuracy", fmt(c.accuracy)],
    ["val loss", fmt(c.loss)],
    ["epochs (best)", `${c.epochs ?? "–"} (${c.bestEpoch ?? "–"})`],
    ["pruning rung", c.rung === null ? "–" : `${c.rung} epochs`],
    ["backend / device", `${c.backend ?? "–"} / ${c.device ?? "–"}`],
    ["worker", d.worker ? `${d.worker.id} on ${d.worker.hostname} (${d.worker.alive ? "alive" : "no heartbeat"})` : (c.workerId ?? "–")],
    ["waited for a worker", formatSeconds(t.waitSeconds)],
    ["training", formatSeconds(t.trainSeconds)],
    ["whole run", formatSeconds(t.durationSeconds)],
    ["mean epoch", formatSeconds(t.epochSecondsMean)],
    ["samples / s", t.samplesPerSecMean === null ? "–" : Math.round(t.samplesPerSecMean).toLocaleString("en-US")],
    ["queued", new Date(c.queuedAt).toLocaleString()],
    ["finished", c.finishedAt ? new Date(c.finishedAt).toLocaleString() : "–"],
    ["attempts", String(c.attempts)],
  ];
  return (
    <dl className="facts" data-testid="candidate-facts">
      {facts.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function Genes({ chromosome }: { chromosome: Record<string, unknown> }) {
  return (
    <div className="scroll-x">
      <table data-testid="candidate-genes">
        <thead>
          <tr><th>gene</th><th>value</th><th>default (Table I)</th><th>meaning</th></tr>
        </thead>
        <tbody>
          {chromosomeRows(chromosome).map((g) => (
            <tr key={g.gene} className={g.changed ? "changed" : ""}>
              <td className="mono">{g.gene}</td>
              <td className="mono">{g.value}</td>
              <td className="mono muted">{g.defaultValue}</td>
              <td className="wrap muted">{g.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function CandidatePage({ id }: { id: string }) {
  const [d, setD] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A running candidate's curve grows; a finished one stops changing, so slow polling is enough then.
  usePoll<Detail>(`/api/candidates/${id}`, d && isFinished(d.candidate.state) ? 30_000 : 2000, (r) => (setD(r), setError(null)), (e) => setError(String(e)));
  if (!d) return <div className="panel">{error ? <p className="error">{error}</p> : <p className="muted">loading…</p>}</div>;
  const c = d.candidate;
  return (
    <div className="candidate" data-testid="candidate-page" data-candidate={c.id}>
      <div className="panel">
        <h2>
          candidate <code>{c.hash.slice(0, 12)}</code> <span className={`state ${c.state}`} data-testid="candidate-state">{c.state}</span>
        </h2>
        <p className="muted wrap">
          campaign <a href={campaignHref(d.campaign.id)}>{d.campaign.name ?? d.campaign.id.slice(0, 8)}</a> ({d.campaign.strategy}, fitness {d.campaign.fitnessPolicy}) · dataset{" "}
          <a href={datasetHref(d.dataset.id)}>{d.dataset.name}</a>
        </p>
        <p data-testid="stop-reason" className="wrap">
          <b>{c.stopReason ?? "–"}</b>: {stopReasonText(c.stopReason)}
        </p>
        {c.error ? (
          <p className="error wrap" data-testid="candidate-error">
            error{c.attempts > 1 ? ` (after ${c.attempts} attempts)` : ""}: {c.error}
          </p>
        ) : null}
        <Facts d={d} />
      </div>
      <div className="panel two">
        <Curves epochs={d.epochs} />
        <div>
          <h3>Test split, beside the baselines</h3>
          <BaselineComparison comparison={{ split: "test", drnn: null, baselines: d.baselines }} bestTest={c.testMetrics} label="candidate" />
        </div>
      </div>
      <div className="panel">
        <h3>Chromosome</h3>
        <Genes chromosome={c.chromosome} />
      </div>
    </div>
  );
}
