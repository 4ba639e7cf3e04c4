// The search space, one row per gene (type, search range or choices, default,
// on or off), with the JSON document one click away. Rows emit a document on
// every edit (the launch form checks it); a typed document becomes rows again
// only when @drnn/ga's parser accepts it.
import { useMemo, useRef, useState } from "react";
import type { SearchSpace, SearchSpaceIssue } from "@drnn/ga";
import type { FieldIssue } from "@drnn/contract";
import { checkRows, fieldsOf, rowsToDocument, spaceToRows, type GeneRow, type RowIssue, type SpaceMeta } from "../space-editor.js";
import { SPACES } from "../launch-form.js";

const toText = (rows: readonly GeneRow[], meta: SpaceMeta) => JSON.stringify(rowsToDocument(rows, meta), null, 2);

function initial(text: string): { rows: GeneRow[]; meta: SpaceMeta } {
  const parsed = (() => {
    try {
      return spaceToRows(JSON.parse(text));
    } catch {
      return null;
    }
  })();
  if (parsed?.ok) return { rows: parsed.rows, meta: parsed.meta };
  const fallback = spaceToRows(SPACES.cpu());
  if (!fallback.ok) throw new Error("the built-in search space does not parse");
  return { rows: fallback.rows, meta: fallback.meta };
}

function Range({ row, set }: { row: GeneRow; set: (p: Partial<GeneRow>) => void }) {
  const limits = row.spec.type === "categorical" || row.spec.type === "bool" ? null : row.spec;
  return (
    <span className="field">
      <span className="label">search</span>
      <input name={`gene.${row.name}.min`} aria-label={`${row.name} search min`} inputMode="decimal" value={row.min} onChange={(e) => set({ min: e.target.value })} disabled={!row.on} />
      –
      <input name={`gene.${row.name}.max`} aria-label={`${row.name} search max`} inputMode="decimal" value={row.max} onChange={(e) => set({ max: e.target.value })} disabled={!row.on} />
      {limits ? <span className="muted">of [{limits.min}, {limits.max}]{"log" in limits && limits.log ? ", log" : ""}{row.type === "log-float" ? ", log" : ""}</span> : null}
    </span>
  );
}

function Choices({ row, set }: { row: GeneRow; set: (p: Partial<GeneRow>) => void }) {
  const toggle = (c: string) => set({ choices: row.choices.includes(c) ? row.choices.filter((x) => x !== c) : [...row.choices, c] });
  return (
    <span className="field choices">
      {row.allChoices.map((c) => (
        <label key={c} className="chip">
          <input type="checkbox" name={`gene.${row.name}.choice.${c}`} checked={row.choices.includes(c)} onChange={() => toggle(c)} disabled={!row.on} /> {c}
        </label>
      ))}
    </span>
  );
}

function Default({ row, set }: { row: GeneRow; set: (p: Partial<GeneRow>) => void }) {
  const name = `gene.${row.name}.default`;
  const options = row.type === "bool" ? ["true", "false"] : row.type === "categorical" ? row.allChoices : null;
  return (
    <span className="field">
      <span className="label">default</span>
      {options ? (
        <select name={name} aria-label={`${row.name} default`} value={row.default} onChange={(e) => set({ default: e.target.value })} disabled={!row.on}>
          {options.map((o) => (<option key={o} value={o}>{o}</option>))}
        </select>
      ) : (
        <input name={name} aria-label={`${row.name} default`} value={row.default} onChange={(e) => set({ default: e.target.value })} disabled={!row.on} className={row.type === "int-list" ? "wide" : ""} />
      )}
    </span>
  );
}

function Row({ row, issues, set }: { row: GeneRow; issues: RowIssue[]; set: (p: Partial<GeneRow>) => void }) {
  const fields = fieldsOf(row.type);
  return (
    <div className={`gene-row${row.on ? "" : " off"}`} data-testid={`gene-row-${row.name}`} data-on={row.on}>
      <label className="gene-name" title={row.spec.description ?? ""}>
        <input type="checkbox" name={`gene.${row.name}.on`} checked={row.on} onChange={(e) => set({ on: e.target.checked })} aria-label={`search ${row.name}`} />
        <code>{row.name}</code> <span className="type">{row.type}</span>
      </label>
      {row.on ? (
        <>
          {fields.includes("range") ? <Range row={row} set={set} /> : null}
          {fields.includes("choices") ? <Choices row={row} set={set} /> : null}
          {fields.includes("default") ? <Default row={row} set={set} /> : null}
        </>
      ) : (
        <span className="muted">off: every candidate takes the table's default, {row.default}</span>
      )}
      {issues.map((i) => (
        <span key={`${i.field}:${i.message}`} className="field-error" data-path={`searchSpace.${row.name}.${i.field}`}>{i.field}: {i.message}</span>
      ))}
    </div>
  );
}

export function SpaceEditor({ value, onChange, issues: formIssues }: { value: string; onChange: (text: string) => void; issues: FieldIssue[] }) {
  const [state, setState] = useState(() => initial(value));
  const [mode, setMode] = useState<"rows" | "json">("rows");
  const [refused, setRefused] = useState<SearchSpaceIssue[]>([]);
  const emitted = useRef<string>(value);
  const issues = useMemo(() => checkRows(state.rows, state.meta), [state]);

  const update = (rows: GeneRow[], meta: SpaceMeta = state.meta) => {
    setState({ rows, meta });
    const text = toText(rows, meta);
    emitted.current = text;
    onChange(text);
  };
  const load = (space: SearchSpace) => {
    const r = spaceToRows(space);
    if (r.ok) update(r.rows, r.meta);
    setRefused([]);
  };
  const toRows = () => {
    if (value === emitted.current) return setMode("rows");
    let json: unknown;
    try {
      json = JSON.parse(value);
    } catch (err) {
      return setRefused([{ path: "", message: `not JSON: ${err instanceof Error ? err.message : String(err)}` }]);
    }
    const r = spaceToRows(json);
    if (!r.ok) return setRefused(r.issues);
    setRefused([]);
    emitted.current = value;
    setState({ rows: r.rows, meta: r.meta });
    setMode("rows");
  };

  return (
    <div className="space-editor" data-testid="space-editor" data-mode={mode}>
      <div className="row wrap-row">
        <button type="button" onClick={() => (mode === "rows" ? setMode("json") : toRows())} data-testid="space-mode">{mode === "rows" ? "edit as JSON" : "edit as rows"}</button>
        <button type="button" onClick={() => load(SPACES.cpu())}>CPU-sized ranges</button>
        <button type="button" onClick={() => load(SPACES.paper())}>paper-scale ranges</button>
        {mode === "rows" ? (
          <label className="inline">
            name <input name="space.name" value={state.meta.name} onChange={(e) => update(state.rows, { ...state.meta, name: e.target.value })} />
          </label>
        ) : null}
      </div>
      {mode === "rows" ? (
        <div className="gene-rows" data-testid="gene-rows">
          {state.rows.map((row, i) => (
            <Row key={row.name} row={row} issues={issues.filter((x) => x.gene === row.name)} set={(p) => update(state.rows.map((r, j) => (j === i ? { ...r, ...p } : r)))} />
          ))}
          {issues.filter((x) => x.gene === null).map((i) => (
            <span key={i.field} className="field-error">{i.field}: {i.message}</span>
          ))}
          {/* The server's word on a document the rows found valid (rare: a gene the API refuses). */}
          {issues.length === 0 ? formIssues.map((i) => (<span key={`${i.path}:${i.message}`} className="field-error" data-path={i.path}>{i.path}: {i.message}</span>)) : null}
        </div>
      ) : (
        <>
          <textarea name="searchSpace" rows={18} value={value} onChange={(e) => onChange(e.target.value)} spellCheck={false} />
          {formIssues.map((i) => (
            <span key={`${i.path}:${i.message}`} className="field-error" data-path={i.path}>{i.path}: {i.message}</span>
          ))}
          {refused.map((i) => (
            <span key={`${i.path}:${i.message}`} className="field-error" data-testid="space-refused">{i.path ? `${i.path}: ` : ""}{i.message} (fix the JSON to go back to rows)</span>
          ))}
        </>
      )}
    </div>
  );
}
