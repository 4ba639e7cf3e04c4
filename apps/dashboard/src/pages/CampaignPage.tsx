// One campaign, live: the REST snapshot once the event stream is ready, then
// every epoch / candidate / generation / state change folded in as it comes.
import { useEffect, useState } from "react";
import { ApiCallError, api, followEvents } from "../api.js";
import { applyEvent, initialView, type CampaignView } from "../campaign-state.js";
import { BestSoFarChart, ConvergenceChart, FitnessChart } from "../components/charts.js";
import { GeneFitness, Workers, genesText } from "../components/tables.js";
import { TrialTable } from "../components/trial-table.js";
import { ParallelCoordinates, SlicePlots } from "../components/trial-plots.js";
import { geneAxes } from "../trials.js";
import { DEFAULT_MODEL_NAME, modelHref } from "../model-view.js";
import { candidateHref, compareHref, datasetHref } from "../routes.js";
import { BaselineComparison } from "../components/comparison.js";
import { isFinished, type CampaignDetail, type Candidate, type Epoch } from "@drnn/contract";

const FLUSH_MS = 1000;

async function snapshot(id: string): Promise<CampaignView> {
  const [detail, cands, epochs] = await Promise.all([
    api<CampaignDetail>("GET", `/api/campaigns/${id}`),
    api<{ candidates: Candidate[] }>("GET", `/api/campaigns/${id}/candidates?limit=10000`),
    api<{ epochs: Epoch[] }>("GET", `/api/campaigns/${id}/epochs`),
  ]);
  return initialView(detail, cands.candidates, epochs.epochs);
}

// eslint-disable-next-line max-lines-per-function -- a page component, mostly JSX; its logic is in campaign-state.ts
export function CampaignPage({ id, canWrite }: { id: string; canWrite: boolean }) {
  const [view, setView] = useState<CampaignView | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  const [promoted, setPromoted] = useState<string | null>(null);
  // When the page opened and its snapshot arrived, on the page's clock (for the browser test's timings).
  const [snapshotAt, setSnapshotAt] = useState<{ opened: number; arrived: number } | null>(null);

  useEffect(() => {
    // Events are folded in at most every FLUSH_MS: a busy campaign sends
    // many per second, and redrawing every chart for each would starve the page.
    let pending: { type: string; data: unknown }[] | null = [];
    let buffer: { type: string; data: unknown }[] = [];
    setView(null);
    const opened = performance.now();
    const flush = setInterval(() => {
      if (buffer.length === 0) return;
      const batch = buffer;
      buffer = [];
      setView((v) => (v ? batch.reduce((acc, e) => applyEvent(acc, e.type, e.data), v) : v));
    }, FLUSH_MS);
    const stream = followEvents(
      `/api/campaigns/${id}/events`,
      (type, data) => (pending ? pending.push({ type, data }) : buffer.push({ type, data })),
      () => {
        setLive(true);
        pending ??= [];
        void snapshot(id)
          .then((v) => {
            const queued = pending ?? [];
            pending = null;
            setView(queued.reduce((acc, e) => applyEvent(acc, e.type, e.data), v));
            setSnapshotAt({ opened, arrived: performance.now() });
          })
          .catch((e: unknown) => setNote(String(e)));
      },
    );
    return () => {
      setLive(false);
      clearInterval(flush);
      stream.close();
    };
  }, [id]);

  const act = async (what: "cancel" | "resume" | "promote") => {
    setPromoted(null);
    try {
      const r = await api<Record<string, unknown>>("POST", `/api/campaigns/${id}/${what}`, what === "promote" ? { name: DEFAULT_MODEL_NAME } : undefined);
      if (what === "promote") {
        const p = r["promotion"] as { name?: unknown; version?: unknown } | undefined;
        setNote(`promoted: ${typeof p?.version === "number" ? `v${p.version}` : JSON.stringify(p ?? r)}`);
        setPromoted(typeof p?.name === "string" ? p.name : DEFAULT_MODEL_NAME);
      } else setNote(`${what}: done`);
    } catch (e) {
      setNote(e instanceof ApiCallError ? `${what}: ${e.message}` : String(e));
    }
  };

  if (!view) return <div className="panel">{note ? <p className="error">{note}</p> : <p className="muted">connecting…</p>}</div>;
  const { detail } = view;
  const c = detail.campaign;
  const counts: Record<string, number> = {};
  for (const x of view.candidates.values()) counts[x.state] = (counts[x.state] ?? 0) + 1;
  const finished = (counts["completed"] ?? 0) + (counts["failed"] ?? 0);
  const best = [...view.candidates.values()].filter((x) => x.state === "completed").sort((a, b) => (b.fitness ?? 0) - (a.fitness ?? 0))[0];
  const active = !isFinished(c.state);
  return (
    <div className="campaign" data-opened-at={snapshotAt?.opened.toFixed(0)} data-snapshot-at={snapshotAt?.arrived.toFixed(0)}>
      <div className="panel header">
        <h2>
          {c.name ?? c.id.slice(0, 8)} <span className={`state ${c.state}`} data-testid="campaign-state">{c.state}</span>{" "}
          <span className={`dot ${live ? "alive" : "dead"}`} title={live ? "live" : "reconnecting"} />
        </h2>
        <p className="muted wrap">
          {c.strategy} · fitness {c.fitnessPolicy}{c.pruning ? " + pruning" : ""} · dataset <a href={datasetHref(detail.dataset.id)}>{detail.dataset.name}</a> · <a href={compareHref([c.id])}>compare with…</a> · seed {c.seed} · {finished}/{c.budget} evaluations · generation {Math.max(0, ...detail.generations.map((g) => g.index))} ·{" "}
          {Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(", ")}
        </p>
        {best ? (
          <p data-testid="best" className="wrap">
            best fitness <b>{best.fitness?.toFixed(4)}</b> (accuracy {best.accuracy?.toFixed(4) ?? "–"}): <a href={candidateHref(best.id)}><code>{genesText(best.chromosome)}</code></a>
          </p>
        ) : null}
        <BaselineComparison comparison={detail.comparison} bestTest={best?.testMetrics} />
        {c.error ? <p className="error">{c.error}</p> : null}
        {canWrite ? (
          <p>
            <button onClick={() => void act("cancel")} disabled={!active} data-testid="cancel">Cancel</button>{" "}
            <button onClick={() => void act("resume")} disabled={!active}>Resume</button>{" "}
            <button onClick={() => void act("promote")} disabled={!best}>Promote best model</button>{" "}
            {note ? <span className="muted" role="status">{note}</span> : null}
            {promoted ? (
              <>
                {" "}
                <a href={modelHref(promoted)} data-testid="models-link">see {promoted} in models ›</a>
              </>
            ) : null}
          </p>
        ) : (
          <p className="muted">read-only token: cancel, resume and promote need a write token</p>
        )}
      </div>
      <div className="panel two">
        <FitnessChart generations={detail.generations} />
        <BestSoFarChart candidates={view.candidates} version={view.version} />
      </div>
      <div className="panel two">
        <ConvergenceChart metric="valAccuracy" epochs={view.epochs} candidates={view.candidates} selected={selected} />
        <ConvergenceChart metric="valLoss" epochs={view.epochs} candidates={view.candidates} selected={selected} />
      </div>
      <ParallelCoordinates candidates={view.candidates} version={view.version} searchSpace={c.searchSpace} />
      <TrialTable candidates={view.candidates} version={view.version} selected={selected} onSelect={(id) => setSelected(id === selected ? null : id)} geneNames={geneAxes(c.searchSpace).map((a) => a.name)} />
      <SlicePlots candidates={view.candidates} version={view.version} searchSpace={c.searchSpace} />
      <GeneFitness candidates={view.candidates} version={view.version} />
      <Workers />
    </div>
  );
}
