// Which genes move with fitness, and the workers list. (The trials are in
// trial-table.tsx, the per-gene plots in trial-plots.tsx.)
import { useMemo, useState } from "react";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { usePoll } from "../use-poll.js";
import { geneImportance } from "../campaign-state.js";
import { genesSummary } from "../model-view.js";
import type { Candidate, Worker } from "@drnn/contract";

export const genesText = (ch: Record<string, unknown>): string => genesSummary(ch);

export function GeneFitness({ candidates, version }: { candidates: Map<string, Candidate>; version: number }) {
  const importance = useMemo(() => geneImportance(candidates.values()), [candidates, version]);
  return (
    <div className="panel" data-testid="gene-fitness">
      <h3>Which genes matter <span className="muted">(|correlation| with fitness: a first look, not a causal claim)</span></h3>
      <ResponsiveContainer width="100%" height={Math.max(160, 22 * importance.length)}>
        <BarChart data={importance} layout="vertical" margin={{ left: 40, right: 16 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" domain={[0, 1]} />
          <YAxis type="category" dataKey="gene" width={90} interval={0} />
          <Tooltip formatter={(v) => (typeof v === "number" ? v.toFixed(3) : String(v))} />
          <Bar dataKey="strength" fill="#0969da" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export function Workers() {
  const [workers, setWorkers] = useState<Worker[]>([]);
  usePoll<{ workers: Worker[] }>("/api/workers", 3000, (r) => setWorkers(r.workers));
  return (
    <div className="panel" data-testid="workers">
      <h3>Workers</h3>
      <div className="scroll-x">
      <table>
        <thead>
          <tr><th></th><th>id</th><th>backend</th><th>device</th><th>concurrency</th><th>last heartbeat</th></tr>
        </thead>
        <tbody>
          {workers.map((w) => (
            <tr key={w.id}>
              <td><span className={`dot ${w.alive ? "alive" : "dead"}`} title={w.alive ? "alive" : "no heartbeat"} /></td>
              <td className="mono">{w.id}</td>
              <td>{w.backend}</td>
              <td>{w.device}</td>
              <td>{w.concurrency}</td>
              <td>{new Date(w.heartbeatAt).toLocaleTimeString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
      {workers.length === 0 ? <p className="muted">no workers registered</p> : null}
    </div>
  );
}
