// Fitness per generation, best-so-far, and convergence curves (validation
// accuracy / loss per epoch per candidate). Every series is downsampled, and
// animations are off, so big campaigns redraw quickly on each live event.
import { useMemo } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { downsample } from "../downsample.js";
import { bestSoFarByEvaluation, fitnessSeries } from "../campaign-state.js";
import type { Candidate, Epoch, Generation } from "@drnn/contract";
import { candidateHref, openHref } from "../routes.js";

const MAX_POINTS = 300;
const MAX_CURVES = 24;

export function FitnessChart({ generations }: { generations: Generation[] }) {
  const data = useMemo(() => downsample(fitnessSeries(generations), MAX_POINTS, (p) => p.best ?? 0), [generations]);
  return (
    <div className="chart" data-testid="fitness-chart" data-points={data.length}>
      <h3>Fitness per generation</h3>
      {data.length === 0 ? <p className="muted">waiting for the first generation to close…</p> : null}
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="generation" type="number" domain={["dataMin", "dataMax"]} allowDecimals={false} label={{ value: "generation", position: "insideBottomRight", offset: -4 }} />
          <YAxis domain={["auto", "auto"]} tickFormatter={(v: number) => v.toFixed(2)} />
          <Tooltip formatter={(v) => (typeof v === "number" ? v.toFixed(4) : String(v))} />
          <Legend />
          <Line isAnimationActive={false} dataKey="best" stroke="#1a7f37" dot={false} strokeWidth={2} />
          <Line isAnimationActive={false} dataKey="mean" stroke="#0969da" dot={false} />
          <Line isAnimationActive={false} dataKey="worst" stroke="#cf222e" dot={false} />
          <Line isAnimationActive={false} dataKey="bestSoFar" name="best so far" stroke="#8250df" strokeDasharray="5 3" dot={false} strokeWidth={2} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

export function BestSoFarChart({ candidates, version }: { candidates: Map<string, Candidate>; version: number }) {
  const data = useMemo(() => downsample(bestSoFarByEvaluation(candidates.values()), MAX_POINTS, (p) => p.bestSoFar), [candidates, version]);
  return (
    <div className="chart" data-testid="best-so-far-chart" data-points={data.length}>
      <h3>Best fitness so far, per evaluation <span className="muted">(click a point: the candidate holding it)</span></h3>
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }} onClick={(s) => { const p = typeof s.activeIndex === "number" ? data[s.activeIndex] : typeof s.activeIndex === "string" ? data[Number(s.activeIndex)] : undefined; if (p) openHref(candidateHref(p.candidateId)); }} style={{ cursor: "pointer" }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="evaluation" type="number" domain={["dataMin", "dataMax"]} allowDecimals={false} />
          <YAxis domain={[(min: number) => Math.floor(min * 10) / 10, (max: number) => Math.ceil(max * 10 + 0.01) / 10]} tickFormatter={(v: number) => v.toFixed(2)} />
          <Tooltip />
          <Line isAnimationActive={false} type="stepAfter" dataKey="bestSoFar" name="best so far" stroke="#8250df" dot={false} strokeWidth={2} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

const PALETTE = ["#0969da", "#1a7f37", "#bf8700", "#8250df", "#cf222e", "#1b7c83", "#953800", "#6e7781"];

interface ConvergenceProps {
  metric: "valAccuracy" | "valLoss";
  epochs: Map<string, Epoch[]>;
  candidates: Map<string, Candidate>;
  selected: string | null;
}

/** Which curves to draw: the selected one, the running ones, then the fittest, up to MAX_CURVES. */
function pickCurves(epochs: Map<string, Epoch[]>, candidates: Map<string, Candidate>, selected: string | null): string[] {
  const ids = [...epochs.keys()];
  const rank = (id: string) => {
    const c = candidates.get(id);
    if (id === selected) return Infinity;
    if (c?.state === "running") return 1e9;
    return c?.fitness ?? -1;
  };
  return ids.sort((a, b) => rank(b) - rank(a)).slice(0, MAX_CURVES);
}

export function ConvergenceChart({ metric, epochs, candidates, selected }: ConvergenceProps) {
  const curves = useMemo(() => pickCurves(epochs, candidates, selected).map((id) => ({ id, data: downsample(epochs.get(id) ?? [], 200, (e) => e[metric]) })), [epochs, candidates, selected, metric]);
  const points = curves.reduce((s, c) => s + c.data.length, 0);
  const label = metric === "valAccuracy" ? "Validation accuracy per epoch" : "Validation loss per epoch";
  return (
    <div className="chart" data-testid={`convergence-${metric}`} data-points={points} data-curves={curves.length}>
      <h3>
        {label} <span className="muted">({curves.length} of {epochs.size} candidates; click a curve to open its candidate)</span>
      </h3>
      <ResponsiveContainer width="100%" height={260}>
        <LineChart margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="epoch" type="number" domain={[1, "dataMax"]} allowDecimals={false} allowDuplicatedCategory={false} />
          <YAxis domain={["auto", "auto"]} tickFormatter={(v: number) => v.toFixed(2)} />
          <Tooltip />
          {curves.map((c, i) => {
            const on = selected === null || selected === c.id;
            return (
              <Line
                key={c.id}
                data={c.data}
                dataKey={metric}
                name={(candidates.get(c.id)?.hash ?? c.id).slice(0, 8)}
                isAnimationActive={false}
                stroke={PALETTE[i % PALETTE.length]}
                strokeOpacity={on ? 1 : 0.15}
                strokeWidth={selected === c.id ? 3.5 : 1.5}
                dot={selected === c.id}
                onClick={() => openHref(candidateHref(c.id))}
                style={{ cursor: "pointer" }}
              />
            );
          })}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
