// Two or more campaigns side by side: best fitness so far against
// evaluations and against training time spent, and a table of their winners.
// The selection lives in the URL (#/compare/id1,id2), so a comparison can be shared.
import { useEffect, useMemo, useState } from "react";
import type { EChartsCoreOption } from "echarts/core";
import type { ResponseBody } from "@drnn/contract";
import { api } from "../api.js";
import { usePoll } from "../use-poll.js";
import { progress, stepPoints, toggleId, winner, type ProgressPoint, type Winner } from "../compare.js";
import { formatSeconds } from "../candidate-view.js";
import { EChart } from "../components/echart.js";
import { CampaignTable } from "../components/campaign-table.js";
import { campaignHref, candidateHref, compareHref, openHref } from "../routes.js";

type Campaign = ResponseBody<"campaigns">["campaigns"][number];
interface Loaded {
  detail: ResponseBody<"campaignDetail">;
  series: ProgressPoint[];
  winner: Winner;
}

const PALETTE = ["#0969da", "#cf222e", "#1a7f37", "#8250df", "#bf8700", "#1b7c83", "#953800", "#6e7781"];
const fmt = (v: number | null, d = 4) => (v === null ? "–" : v.toFixed(d));

async function load(id: string): Promise<Loaded> {
  const [detail, cands] = await Promise.all([api<ResponseBody<"campaignDetail">>("GET", `/api/campaigns/${id}`), api<ResponseBody<"candidates">>("GET", `/api/campaigns/${id}/candidates?limit=10000`)]);
  return { detail, series: progress(cands.candidates), winner: winner(id, cands.candidates) };
}

function overlay(loaded: readonly Loaded[], x: "evaluation" | "trainSeconds"): EChartsCoreOption {
  return {
    animation: false,
    color: PALETTE,
    grid: { left: 48, right: 16, top: 36, bottom: 40 },
    legend: { type: "scroll", top: 0 },
    tooltip: { trigger: "item" },
    xAxis: { type: "value", name: x === "evaluation" ? "evaluations" : "training seconds", nameLocation: "middle", nameGap: 26, scale: false },
    yAxis: { type: "value", scale: true, name: "best so far", axisLabel: { formatter: (v: number) => v.toFixed(2) } },
    series: loaded.map((l) => ({ type: "line", step: "end", name: l.detail.campaign.name ?? l.detail.campaign.id.slice(0, 8), showSymbol: true, symbolSize: 5, data: stepPoints(l.series).map((p) => [p[x], p.bestSoFar]) })),
  };
}

function Picker({ campaigns, ids }: { campaigns: Campaign[]; ids: string[] }) {
  return (
    <div className="scroll-x picker">
      <CampaignTable campaigns={campaigns} testId="compare-picker" pick={{ ids, toggle: (id) => openHref(compareHref(toggleId(ids, id))) }} />
    </div>
  );
}

function Winners({ loaded }: { loaded: readonly Loaded[] }) {
  return (
    <div className="scroll-x">
      <table data-testid="winners">
        <thead>
          <tr><th>campaign</th><th>strategy · seed</th><th>dataset</th><th>evaluations</th><th>best fitness</th><th>val accuracy</th><th>test hit@1</th><th>test MRR@20</th><th>reached at</th><th>training time</th><th>winner</th></tr>
        </thead>
        <tbody>
          {loaded.map((l, i) => {
            const w = l.winner;
            const c = l.detail.campaign;
            return (
              <tr key={c.id} data-campaign={c.id} data-best={w.best ?? ""}>
                <td><span className="dot" style={{ background: PALETTE[i % PALETTE.length] }} /> <a href={campaignHref(c.id)}>{c.name ?? c.id.slice(0, 8)}</a></td>
                <td>{c.strategy} · {c.seed}</td>
                <td>{l.detail.dataset.name}</td>
                <td>{w.evaluations}</td>
                <td><b>{fmt(w.best)}</b></td>
                <td>{fmt(w.accuracy)}</td>
                <td>{fmt(w.testHit1)}</td>
                <td>{fmt(w.testMrr20)}</td>
                <td>{w.evaluationsToBest === null ? "–" : `evaluation ${w.evaluationsToBest}, ${formatSeconds(w.trainSecondsToBest)}`}</td>
                <td>{formatSeconds(w.trainSecondsTotal)}</td>
                <td>{w.candidateId ? <a href={candidateHref(w.candidateId)} data-testid="winner-link">open</a> : "–"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function ComparePage({ ids }: { ids: string[] }) {
  const [campaigns, setCampaigns] = useState<Campaign[]>([]);
  const [loaded, setLoaded] = useState<Loaded[]>([]);
  const [error, setError] = useState<string | null>(null);
  usePoll<ResponseBody<"campaigns">>("/api/campaigns?take=200", 10_000, (r) => setCampaigns(r.campaigns), (e) => setError(String(e)));
  const key = ids.join(",");
  useEffect(() => {
    let live = true;
    Promise.all(ids.map(load))
      .then((l) => live && (setLoaded(l), setError(null)))
      .catch((e: unknown) => live && setError(String(e)));
    return () => {
      live = false;
    };
  }, [key]);
  const shown = useMemo(() => loaded.filter((l) => ids.includes(l.detail.campaign.id)), [loaded, key]);
  const byEvaluation = useMemo(() => overlay(shown, "evaluation"), [shown]);
  const byTime = useMemo(() => overlay(shown, "trainSeconds"), [shown]);
  const open = (dataIndex: number, seriesIndex: number) => {
    const p = stepPoints(shown[seriesIndex]?.series ?? [])[dataIndex];
    if (p) openHref(candidateHref(p.candidateId));
  };
  return (
    <div className="compare" data-testid="compare-page" data-series={shown.length}>
      <div className="panel">
        <h2>Compare campaigns <span className="muted">(tick two or more)</span></h2>
        {error ? <p className="error">{error}</p> : null}
        <Picker campaigns={campaigns} ids={ids} />
      </div>
      {shown.length > 0 ? (
        <>
          <div className="panel two">
            <div className="chart" data-testid="compare-evaluations">
              <h3>Best fitness so far, per evaluation</h3>
              <EChart option={byEvaluation} height={280} onItemClick={open} />
            </div>
            <div className="chart" data-testid="compare-time">
              <h3>Best fitness so far, per training second spent</h3>
              <EChart option={byTime} height={280} onItemClick={open} />
            </div>
          </div>
          <div className="panel">
            <h3>Winners</h3>
            <Winners loaded={shown} />
          </div>
        </>
      ) : null}
    </div>
  );
}
