// Parallel coordinates over the genes and fitness, and a slice plot per gene
// (fitness against the gene's value), as optuna-dashboard draws them. Past
// MAX_DRAWN finished candidates a deterministic subset is drawn (trials.ts);
// a click on a line or a point opens that candidate.
import { useMemo, useState } from "react";
import type { EChartsCoreOption } from "echarts/core";
import type { Candidate } from "@drnn/contract";
import { drawSubset, geneAxes, parallelRows, scored, slicePoints, type Axis } from "../trials.js";
import { candidateHref, openHref } from "../routes.js";
import { EChart } from "./echart.js";

export const MAX_DRAWN = 500;
const MAX_SLICE_POINTS = 400;

function fitnessRange(cs: readonly Candidate[]): [number, number] {
  const f = cs.map((c) => c.fitness ?? 0);
  return f.length === 0 ? [0, 1] : [Math.min(...f), Math.max(...f)];
}

function parallelOption(axes: readonly Axis[], rows: ReturnType<typeof parallelRows>, range: [number, number]): EChartsCoreOption {
  return {
    animation: false,
    parallel: { left: 40, right: 70, top: 40, bottom: 24, parallelAxisDefault: { nameGap: 12, nameTextStyle: { fontSize: 11 }, axisLabel: { fontSize: 10 } } },
    parallelAxis: [
      ...axes.map((a, dim) => (a.kind === "category" ? { dim, name: a.name, type: "category", data: a.categories } : { dim, name: a.note ? `${a.name} (${a.note})` : a.name, type: a.log ? "log" : "value", scale: true })),
      { dim: axes.length, name: "fitness", type: "value", scale: true, nameTextStyle: { fontWeight: "bold" } },
    ],
    visualMap: { show: false, type: "continuous", dimension: axes.length, min: range[0], max: range[1], inRange: { color: ["#d4e5f7", "#6e9fd6", "#0b3d91"] } },
    series: [{ type: "parallel", lineStyle: { width: 1, opacity: 0.5 }, emphasis: { lineStyle: { width: 3, opacity: 1 } }, data: rows.map((r) => r.values) }],
  };
}

export function ParallelCoordinates({ candidates, version, searchSpace }: { candidates: Map<string, Candidate>; version: number; searchSpace: unknown }) {
  const axes = useMemo(() => geneAxes(searchSpace), [searchSpace]);
  const done = useMemo(() => scored(candidates.values()), [candidates, version]);
  const drawn = useMemo(() => drawSubset(done, MAX_DRAWN), [done]);
  const rows = useMemo(() => parallelRows(axes, drawn), [axes, drawn]);
  const option = useMemo(() => parallelOption(axes, rows, fitnessRange(drawn)), [axes, rows, drawn]);
  // The chart's own drawing time, and when it was done on the page's clock (milliseconds since navigation), for the browser test.
  const [rendered, setRendered] = useState<{ ms: number; at: number } | null>(null);
  return (
    <div className="panel" data-testid="parallel" data-lines={rows.length} data-scored={done.length} data-render-ms={rendered?.ms.toFixed(1)} data-drawn-at={rendered?.at.toFixed(0)}>
      <h3>
        Parallel coordinates{" "}
        <span className="muted">
          ({rows.length === done.length ? `${done.length} finished candidates` : `${rows.length} of ${done.length} finished candidates: the fittest quarter and an even spread of the rest`}; drag along an axis to filter, click a line to open its candidate)
        </span>
      </h3>
      <div className="scroll-x">
        <EChart option={option} height={360} minWidth={Math.max(720, 70 * (axes.length + 1))} testId="parallel-chart" onRendered={(ms) => setRendered({ ms, at: performance.now() })} onItemClick={(i) => { const r = rows[i]; if (r) openHref(candidateHref(r.id)); }} />
      </div>
    </div>
  );
}

function sliceOption(axis: Axis, points: ReturnType<typeof slicePoints>): EChartsCoreOption {
  const x = axis.kind === "category" ? { type: "category", data: axis.categories } : { type: axis.log ? "log" : "value", scale: true, boundaryGap: ["4%", "4%"] };
  return {
    animation: false,
    grid: { left: 44, right: 12, top: 10, bottom: 26 },
    tooltip: { trigger: "item", formatter: (p: { value: [unknown, number] }) => `${axis.name} ${String(p.value[0])}<br/>fitness ${p.value[1].toFixed(4)}` },
    xAxis: { ...x, axisLabel: { fontSize: 10, hideOverlap: true } },
    yAxis: { type: "value", scale: true, boundaryGap: ["4%", "4%"], axisLabel: { fontSize: 10, formatter: (v: number) => v.toFixed(2) } },
    series: [{ type: "scatter", symbolSize: 5, itemStyle: { color: "#8250df", opacity: 0.6 }, data: points.map((p) => [p.x, p.y]) }],
  };
}

function Slice({ axis, drawn }: { axis: Axis; drawn: readonly Candidate[] }) {
  const points = useMemo(() => slicePoints(axis, drawn), [axis, drawn]);
  const option = useMemo(() => sliceOption(axis, points), [axis, points]);
  return (
    <div className="slice" data-testid={`slice-${axis.name}`} data-points={points.length}>
      <h4>
        {axis.name} {axis.note ? <span className="muted">({axis.note})</span> : null}
      </h4>
      <EChart option={option} height={170} lazy onItemClick={(i) => { const p = points[i]; if (p) openHref(candidateHref(p.id)); }} />
    </div>
  );
}

export function SlicePlots({ candidates, version, searchSpace }: { candidates: Map<string, Candidate>; version: number; searchSpace: unknown }) {
  const axes = useMemo(() => geneAxes(searchSpace), [searchSpace]);
  const done = useMemo(() => scored(candidates.values()), [candidates, version]);
  const drawn = useMemo(() => drawSubset(done, MAX_SLICE_POINTS), [done]);
  return (
    <div className="panel" data-testid="slices" data-drawn={drawn.length}>
      <h3>
        Slice plots <span className="muted">(fitness against each gene{drawn.length < done.length ? `; ${drawn.length} of ${done.length} candidates drawn` : ""}; click a point to open its candidate)</span>
      </h3>
      <div className="slices">
        {axes.map((a) => (
          <Slice key={a.name} axis={a} drawn={drawn} />
        ))}
      </div>
    </div>
  );
}
