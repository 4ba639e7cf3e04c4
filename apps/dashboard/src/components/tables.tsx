// The population table (paged, so a large campaign renders a page at a
// time), the gene-vs-fitness view, and the workers list.
import { useMemo, useState } from "react";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from "recharts";
import { usePoll } from "../use-poll.js";
import { geneImportance, geneValue } from "../campaign-state.js";
import { genesSummary } from "../model-view.js";
import type { Candidate, Worker } from "@drnn/contract";
import { candidateHref } from "../routes.js";

const PAGE = 15;

export const genesText = (ch: Record<string, unknown>): string => genesSummary(ch);

const fmt = (v: number | null, d = 4) => (v === null ? "–" : v.toFixed(d));

export function PopulationTable({ candidates, version, selected, onSelect }: { candidates: Map<string, Candidate>; version: number; selected: string | null; onSelect: (id: string) => void }) {
  const [page, setPage] = useState(0);
  const [sort, setSort] = useState<"fitness" | "queued">("fitness");
  const rows = useMemo(() => {
    const all = [...candidates.values()];
    if (sort === "fitness") all.sort((a, b) => (b.fitness ?? -1) - (a.fitness ?? -1) || a.queuedAt.localeCompare(b.queuedAt));
    else all.sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
    return all;
    // version: the map is replaced on every change, but keep the intent explicit
  }, [candidates, sort, version]);
  const pages = Math.max(1, Math.ceil(rows.length / PAGE));
  const shown = rows.slice(Math.min(page, pages - 1) * PAGE, Math.min(page, pages - 1) * PAGE + PAGE);
  return (
    <div className="panel" data-testid="population">
      <h3>
        Population <span className="muted">({rows.length} candidates)</span>
        <select value={sort} onChange={(e) => setSort(e.target.value as "fitness" | "queued")} aria-label="sort">
          <option value="fitness">fittest first</option>
          <option value="queued">in launch order</option>
        </select>
      </h3>
      <table>
        <thead>
          <tr>
            <th>hash</th><th>genes</th><th>state</th><th>fitness</th><th>val accuracy</th><th>epochs</th><th>best epoch</th><th>stopped</th><th>rung</th><th>backend</th><th>worker</th><th>duration</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((c) => (
            <tr key={c.id} className={c.id === selected ? "selected" : ""} onClick={() => onSelect(c.id)} data-state={c.state}>
              <td className="mono"><a href={candidateHref(c.id)} onClick={(e) => e.stopPropagation()} data-testid="candidate-link">{c.hash.slice(0, 8)}</a></td>
              <td className="mono genes" title={genesText(c.chromosome)}>{genesText(c.chromosome)}</td>
              <td><span className={`state ${c.state}`}>{c.state}</span>{c.error ? <span className="muted" title={c.error}> ⚠</span> : null}</td>
              <td>{fmt(c.fitness)}</td>
              <td>{fmt(c.accuracy)}</td>
              <td>{c.epochs ?? "–"}</td>
              <td>{c.bestEpoch ?? "–"}</td>
              <td data-testid="stop-reason">{c.stopReason ?? "–"}</td>
              <td>{c.rung ?? "–"}</td>
              <td>{c.backend ?? "–"}</td>
              <td className="mono">{c.workerId ?? "–"}</td>
              <td>{c.durationSeconds === null ? "–" : `${c.durationSeconds.toFixed(1)} s`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="pager">
        <button disabled={page === 0} onClick={() => setPage(page - 1)}>‹ prev</button>
        <span>page {Math.min(page, pages - 1) + 1} of {pages}</span>
        <button disabled={page >= pages - 1} onClick={() => setPage(page + 1)}>next ›</button>
      </div>
    </div>
  );
}

export function GeneFitness({ candidates, version }: { candidates: Map<string, Candidate>; version: number }) {
  const importance = useMemo(() => geneImportance(candidates.values()), [candidates, version]);
  const [gene, setGene] = useState<string | null>(null);
  const chosen = gene ?? importance[0]?.gene ?? null;
  const points = useMemo(
    () =>
      chosen === null
        ? []
        : [...candidates.values()].filter((c) => c.state === "completed" && c.fitness !== null).map((c) => ({ x: geneValue(c.chromosome[chosen]), y: c.fitness })).filter((p) => p.x !== null),
    [candidates, chosen, version],
  );
  return (
    <div className="panel two" data-testid="gene-fitness">
      <div>
        <h3>Which genes matter <span className="muted">(|correlation| with fitness)</span></h3>
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={importance} layout="vertical" margin={{ left: 40 }} onClick={(s) => { const g = (s as { activeLabel?: unknown }).activeLabel; if (typeof g === "string") setGene(g); }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" domain={[0, 1]} />
            <YAxis type="category" dataKey="gene" width={90} interval={0} />
            <Tooltip formatter={(v) => (typeof v === "number" ? v.toFixed(3) : String(v))} />
            <Bar dataKey="strength" fill="#0969da" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <div>
        <h3>
          Gene vs fitness{" "}
          <select value={chosen ?? ""} onChange={(e) => setGene(e.target.value)} aria-label="gene">
            {importance.map((g) => (
              <option key={g.gene} value={g.gene}>{g.gene}</option>
            ))}
          </select>
        </h3>
        <ResponsiveContainer width="100%" height={240}>
          <ScatterChart margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" dataKey="x" name={chosen ?? ""} domain={["auto", "auto"]} />
            <YAxis type="number" dataKey="y" name="fitness" domain={["auto", "auto"]} tickFormatter={(v: number) => v.toFixed(2)} />
            <Tooltip />
            <Scatter data={points} fill="#8250df" isAnimationActive={false} />
          </ScatterChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}

export function Workers() {
  const [workers, setWorkers] = useState<Worker[]>([]);
  usePoll<{ workers: Worker[] }>("/api/workers", 3000, (r) => setWorkers(r.workers));
  return (
    <div className="panel" data-testid="workers">
      <h3>Workers</h3>
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
      {workers.length === 0 ? <p className="muted">no workers registered</p> : null}
    </div>
  );
}
