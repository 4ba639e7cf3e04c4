// Every trial of the campaign in one table that stays quick at thousands of
// rows: only the rows in view are in the DOM (@tanstack/react-virtual), the
// headers sort, and a filter takes states, gene terms (optimizer=adam, l>1)
// and words (trials.ts). A row highlights its curves; its hash opens its page.
import { useMemo, useRef, useState } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { CANDIDATE_STATES, type Candidate } from "@drnn/contract";
import { filterTrials, sortTrials, type SortKey } from "../trials.js";
import { genesSummary } from "../model-view.js";
import { candidateHref } from "../routes.js";

const ROW_PX = 29;
const fmt = (v: number | null, d = 4) => (v === null ? "–" : v.toFixed(d));

const COLUMNS: { key: SortKey | null; label: string }[] = [
  { key: null, label: "hash" },
  { key: "state", label: "state" },
  { key: "fitness", label: "fitness" },
  { key: "accuracy", label: "val accuracy" },
  { key: "epochs", label: "epochs" },
  { key: null, label: "stopped" },
  { key: null, label: "backend" },
  { key: null, label: "worker" },
  { key: "duration", label: "duration" },
  { key: "queued", label: "queued" },
  { key: null, label: "genes" },
];

function Row({ c, selected, onSelect }: { c: Candidate; selected: boolean; onSelect: (id: string) => void }) {
  const genes = genesSummary(c.chromosome);
  return (
    <tr className={selected ? "selected" : ""} onClick={() => onSelect(c.id)} data-state={c.state} style={{ height: ROW_PX }}>
      <td className="mono"><a href={candidateHref(c.id)} onClick={(e) => e.stopPropagation()} data-testid="candidate-link">{c.hash.slice(0, 8)}</a></td>
      <td><span className={`state ${c.state}`}>{c.state}</span>{c.error ? <span className="muted" title={c.error}> ⚠</span> : null}</td>
      <td>{fmt(c.fitness)}</td>
      <td>{fmt(c.accuracy)}</td>
      <td>{c.epochs ?? "–"}{c.bestEpoch ? ` (${c.bestEpoch})` : ""}</td>
      <td data-testid="stop-reason">{c.stopReason ?? "–"}{c.rung ? ` @${c.rung}` : ""}</td>
      <td>{c.backend ?? "–"}</td>
      <td className="mono">{c.workerId ?? "–"}</td>
      <td>{c.durationSeconds === null ? "–" : `${c.durationSeconds.toFixed(1)} s`}</td>
      <td>{new Date(c.queuedAt).toLocaleTimeString()}</td>
      <td className="mono genes" title={genes}>{genes}</td>
    </tr>
  );
}

export function TrialTable({ candidates, version, selected, onSelect, geneNames }: { candidates: Map<string, Candidate>; version: number; selected: string | null; onSelect: (id: string) => void; geneNames: readonly string[] }) {
  const [sort, setSort] = useState<{ key: SortKey; dir: "asc" | "desc" }>({ key: "fitness", dir: "desc" });
  const [query, setQuery] = useState("");
  const [state, setState] = useState("");
  const rows = useMemo(() => sortTrials(filterTrials([...candidates.values()], query, state), sort.key, sort.dir), [candidates, version, query, state, sort]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_PX, overscan: 12 });
  const items = virtual.getVirtualItems();
  const top = items[0]?.start ?? 0;
  const bottom = virtual.getTotalSize() - (items.at(-1)?.end ?? 0);
  const by = (key: SortKey) => setSort((s) => ({ key, dir: s.key === key && s.dir === "desc" ? "asc" : "desc" }));
  const ariaSort = (key: SortKey | null) => (key !== null && sort.key === key ? (sort.dir === "asc" ? "ascending" : "descending") : undefined);
  return (
    <div className="panel" data-testid="population" data-rows={rows.length} data-rendered={items.length}>
      <h3>
        Trials <span className="muted">({rows.length} of {candidates.size} shown)</span>
      </h3>
      <div className="row wrap-row filters">
        <input name="trial-filter" placeholder="filter: optimizer=adam l>1 patience" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="filter trials" />
        <select value={state} onChange={(e) => setState(e.target.value)} aria-label="state">
          <option value="">every state</option>
          {CANDIDATE_STATES.map((s) => (<option key={s} value={s}>{s}</option>))}
        </select>
        <select value={sort.key.startsWith("gene:") ? sort.key : ""} onChange={(e) => e.target.value && setSort({ key: e.target.value as SortKey, dir: "desc" })} aria-label="sort by gene">
          <option value="">sort by a gene…</option>
          {geneNames.map((g) => (<option key={g} value={`gene:${g}`}>{g}</option>))}
        </select>
      </div>
      <div className="trial-scroll" ref={scroller}>
        <table>
          <thead>
            <tr>
              {COLUMNS.map((col) => (
                <th key={col.label} aria-sort={ariaSort(col.key)} onClick={col.key ? () => by(col.key as SortKey) : undefined} className={col.key ? "sortable" : ""}>
                  {col.label}{col.key && sort.key === col.key ? (sort.dir === "asc" ? " ▲" : " ▼") : ""}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {top > 0 ? <tr style={{ height: top }} aria-hidden="true" className="virtual-pad" /> : null}
            {items.map((v) => {
              const c = rows[v.index];
              return c ? <Row key={c.id} c={c} selected={c.id === selected} onSelect={onSelect} /> : null;
            })}
            {bottom > 0 ? <tr style={{ height: bottom }} aria-hidden="true" className="virtual-pad" /> : null}
          </tbody>
        </table>
      </div>
    </div>
  );
}
