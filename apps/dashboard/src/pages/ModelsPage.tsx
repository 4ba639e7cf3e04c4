// One model name in the registry: the live version, every version with what
// it was trained from and how it scored on the test split, the promotion
// history, and a rollback button per version that is not live.
import { useState, type FormEvent } from "react";
import { ApiCallError, api } from "../api.js";
import { historyRows, modelHref, rollbackQuestion, versionRows, type TestSummary, type VersionRow } from "../model-view.js";
import { usePoll } from "../use-poll.js";
import type { ModelDetail, OnlineStatus } from "@drnn/contract";
import { OnlineLoop } from "../components/online-loop.js";

const fmt = (v: number | null | undefined, d = 4) => (v === null || v === undefined ? "–" : v.toFixed(d));
const when = (iso: string) => new Date(iso).toLocaleString();

function TestCells({ test }: { test: TestSummary | null }) {
  return (
    <>
      <td>{fmt(test?.accuracy)}</td>
      <td>{fmt(test?.hit20)}</td>
      <td>{fmt(test?.mrr20)}</td>
    </>
  );
}

function Source({ row }: { row: VersionRow }) {
  if (row.campaignId === null) return <span className="muted">–</span>;
  return (
    <>
      <a href={`#/campaigns/${row.campaignId}`} className="mono">{row.campaignId.slice(0, 8)}</a>
      {row.candidateId ? <span className="mono muted"> / {row.candidateId.slice(0, 8)}</span> : null}
    </>
  );
}

// eslint-disable-next-line max-lines-per-function -- a page component, mostly JSX; its logic is in model-view.ts
export function ModelsPage({ name, canWrite }: { name: string; canWrite: boolean }) {
  const [detail, setDetail] = useState<ModelDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const [other, setOther] = useState(name);
  const path = `/api/models/${encodeURIComponent(name)}`;
  usePoll<ModelDetail>(path, 5000, (r) => (setDetail(r), setError(null)), (e) => setError(e instanceof ApiCallError ? e.message : String(e)));
  const [online, setOnline] = useState<OnlineStatus | null>(null);
  usePoll<OnlineStatus>(`${path}/online`, 5000, setOnline);

  // A stale detail of another name must not show under this one while the first poll runs.
  const shown = detail?.name === name ? detail : null;
  const rows = shown ? versionRows(shown) : [];
  const history = shown ? historyRows(shown) : [];
  const live = shown?.live ?? null;

  const rollBack = async (to: number) => {
    if (!window.confirm(rollbackQuestion(name, live?.version ?? null, to))) return;
    setBusy(true);
    setNote(null);
    try {
      await api<{ rollback: unknown }>("POST", `${path}/rollback`, { toVersion: to });
      setNote({ text: `rolled ${name} back to v${to}`, error: false });
      setDetail(await api<ModelDetail>("GET", path));
    } catch (e) {
      setNote({ text: `rollback: ${e instanceof ApiCallError ? e.message : String(e)}`, error: true });
    } finally {
      setBusy(false);
    }
  };

  const open = (e: FormEvent) => {
    e.preventDefault();
    const next = other.trim();
    if (next) window.location.hash = modelHref(next);
  };

  return (
    <div className="models">
      <div className="panel header">
        <h2>
          Model <code>{name}</code>
          {live ? (
            <span className="state completed" data-testid="live-version">live: v{live.version}</span>
          ) : (
            <span className="state" data-testid="live-version">{shown ? "nothing promoted" : "…"}</span>
          )}
          <form className="row" onSubmit={open}>
            <input name="model" value={other} onChange={(e) => setOther(e.target.value)} aria-label="model name" size={14} />
            <button type="submit">open</button>
          </form>
        </h2>
        {live ? (
          <p className="muted">
            production follows v{live.version} (fitness {fmt(live.fitness)}, created {when(live.createdAt)}); servers pick up a promotion or rollback on their next look at the registry.
          </p>
        ) : null}
        {error ? <p className="error">{error}</p> : null}
        {note ? <p className={note.error ? "error" : "muted"} role={note.error ? "alert" : "status"} data-testid="rollback-note">{note.text}</p> : null}
        {!canWrite ? <p className="muted">read-only token: rollback needs a write token</p> : null}
      </div>

      <div className="panel">
        <h3>Versions <span className="muted">({rows.length})</span></h3>
        {shown === null && !error ? <p className="muted">loading…</p> : null}
        {shown !== null && rows.length === 0 ? <p className="muted">No versions under this name yet: promote a campaign's best model from its page.</p> : null}
        {rows.length > 0 ? (
          <table data-testid="model-versions">
            <thead>
              <tr>
                <th>version</th><th>created</th><th>campaign / candidate</th><th>genes</th><th>fitness</th>
                <th>test accuracy</th><th>hit@20</th><th>MRR@20</th><th>dataset</th><th>promoted by</th><th></th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} className={r.live ? "selected" : ""} data-version={r.version} data-live={r.live}>
                  <td>
                    <b>v{r.version}</b> {r.live ? <span className="state completed">live</span> : null}
                  </td>
                  <td>{when(r.createdAt)}</td>
                  <td><Source row={r} /></td>
                  <td className="mono genes" title={r.genes}>{r.genes}</td>
                  <td>{fmt(r.fitness)}</td>
                  <TestCells test={r.test} />
                  <td className="mono" title={r.origin ? `weights: ${r.origin}` : undefined}>{r.datasetHash ?? "–"}</td>
                  <td>{r.promotedBy ?? "–"}</td>
                  <td>
                    {r.live || !canWrite ? null : (
                      <button onClick={() => void rollBack(r.version)} disabled={busy} data-testid={`rollback-${r.version}`}>
                        Roll back to v{r.version}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>

      {online?.name === name && (online.batches.length > 0 || online.decisions.length > 0) ? <OnlineLoop status={online} /> : null}

      <div className="panel">
        <h3>Promotion history <span className="muted">(newest first; the newest row is what serves)</span></h3>
        {history.length === 0 ? <p className="muted">no promotions yet</p> : null}
        {history.length > 0 ? (
          <table data-testid="model-history">
            <thead>
              <tr><th>when</th><th>action</th><th>version</th><th>by</th></tr>
            </thead>
            <tbody>
              {history.map((h) => (
                <tr key={h.id}>
                  <td>{when(h.createdAt)}</td>
                  <td><span className={`state ${h.action === "rollback" ? "cancelled" : "completed"}`}>{h.action}</span></td>
                  <td>{h.version === null ? "–" : `v${h.version}`}</td>
                  <td>{h.actor ?? "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
    </div>
  );
}
