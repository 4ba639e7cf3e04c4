// The launch form: search space and GA settings pre-filled, checked with
// @drnn/ga's schemas as you type, and the server's field errors shown in place.
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { STRATEGY_NAMES } from "@drnn/ga";
import { ApiCallError, api } from "../api.js";
import { POLICY_NAMES, buildLaunch, defaultForm, fieldOf, paperDefaultsText, type LaunchForm } from "../launch-form.js";
import type { Campaign, Dataset, FieldIssue } from "@drnn/contract";
import { DatasetList } from "../components/datasets.js";
import { SpaceEditor } from "../components/space-editor.js";

const NUMBER_FIELDS: [keyof LaunchForm, string][] = [
  ["seed", "seed"],
  ["budget", "budget (evaluations)"],
  ["populationSize", "population size"],
  ["generations", "generations N"],
  ["crossoverRate", "crossover p_c"],
  ["mutationRate", "mutation p_m"],
  ["maxEpochs", "R: max epochs"],
  ["pi", "π: least improvement (paper: settle bound)"],
  ["patience", "patience (epochs)"],
  ["eta", "pruning η (top 1/η go on)"],
];

// eslint-disable-next-line max-lines-per-function -- a page component, mostly JSX (one field per setting); its logic is in launch-form.ts
export function Launch() {
  const [form, setForm] = useState<LaunchForm>(defaultForm());
  const [datasets, setDatasets] = useState<Dataset[]>([]);
  const [touched, setTouched] = useState(false);
  const [serverIssues, setServerIssues] = useState<FieldIssue[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const loadDatasets = () =>
    api<{ datasets: Dataset[] }>("GET", "/api/datasets").then((r) => {
      setDatasets(r.datasets);
      setForm((f) => (f.datasetId || !r.datasets[0] ? f : { ...f, datasetId: r.datasets[0].id }));
    });
  useEffect(() => void loadDatasets().catch((e: unknown) => setMessage(String(e))), []);

  const checked = useMemo(() => buildLaunch(form), [form]);
  const issues = [...(touched ? checked.issues : checked.issues.filter((i) => fieldOf(i.path) !== "datasetId")), ...serverIssues];
  const errorsOf = (field: keyof LaunchForm | "other") => issues.filter((i) => fieldOf(i.path) === field);
  const set = (k: keyof LaunchForm, v: string) => {
    setServerIssues([]);
    setForm((f) => ({ ...f, [k]: v }));
  };

  const synthesize = async () => {
    setBusy(true);
    setMessage("synthesizing and preparing a shop log…");
    try {
      const r = await api<{ dataset: Dataset }>("POST", "/api/datasets/synthetic", { sessions: 600, seed: 1 });
      await loadDatasets();
      setForm((f) => ({ ...f, datasetId: r.dataset.id }));
      setMessage(`dataset ${r.dataset.name} ready`);
    } catch (e) {
      setMessage(e instanceof ApiCallError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!checked.body) return;
    setBusy(true);
    try {
      const r = await api<{ campaign: Campaign }>("POST", "/api/campaigns", checked.body);
      window.location.hash = `#/campaigns/${r.campaign.id}`;
    } catch (err) {
      if (err instanceof ApiCallError) {
        setServerIssues(err.issues);
        setMessage(err.message);
      } else setMessage(String(err));
    } finally {
      setBusy(false);
    }
  };

  const Errors = ({ field }: { field: keyof LaunchForm | "other" }) => (
    <>
      {errorsOf(field).map((i) => (
        <span key={`${i.path}:${i.message}`} className="field-error" data-path={i.path}>{i.path ? `${i.path}: ` : ""}{i.message}</span>
      ))}
    </>
  );

  return (
    <>
    <form className="panel launch" onSubmit={submit} noValidate>
      <h2>Launch a campaign</h2>
      <div className="grid">
        <label>name<input name="name" value={form.name} onChange={(e) => set("name", e.target.value)} /></label>
        <label className="dataset">
          dataset
          <span className="row">
            <select name="datasetId" value={form.datasetId} onChange={(e) => set("datasetId", e.target.value)}>
              <option value="">— choose —</option>
              {datasets.map((d) => (
                <option key={d.id} value={d.id}>{d.name} ({d.contentHash.slice(0, 14)})</option>
              ))}
            </select>
            <button type="button" onClick={() => void synthesize()} disabled={busy}>synthesize one</button>
          </span>
          <Errors field="datasetId" />
        </label>
        <label>
          strategy
          <select name="strategy" value={form.strategy} onChange={(e) => set("strategy", e.target.value)}>
            {STRATEGY_NAMES.map((s) => (<option key={s} value={s}>{s}</option>))}
          </select>
        </label>
        <label>
          fitness policy
          <select name="policy" value={form.policy} onChange={(e) => set("policy", e.target.value)}>
            {POLICY_NAMES.map((s) => (<option key={s} value={s}>{s}</option>))}
          </select>
        </label>
        <label>
          pruning across candidates
          <select name="pruning" value={form.pruning} onChange={(e) => set("pruning", e.target.value)}>
            <option value="off">off</option>
            <option value="on">on (successive halving)</option>
          </select>
          <Errors field="pruning" />
        </label>
        {NUMBER_FIELDS.map(([k, label]) => (
          <label key={k}>
            {label}
            <input name={k} inputMode="decimal" value={form[k]} onChange={(e) => set(k, e.target.value)} aria-invalid={errorsOf(k).length > 0} />
            <Errors field={k} />
          </label>
        ))}
      </div>
      <div className="space">
        <h3>Search space</h3>
        <p className="muted wrap">
          One row per gene: ticked genes are searched within their range or choices; unticked ones stay at the gene table's default (the paper's Table I: <code>{paperDefaultsText}</code>).
        </p>
        <SpaceEditor value={form.searchSpace} onChange={(text) => set("searchSpace", text)} issues={errorsOf("searchSpace")} />
      </div>
      <Errors field="other" />
      <p>
        <button type="submit" className="primary" disabled={busy || (touched && checked.body === null)}>Launch</button>{" "}
        {message ? <span className="muted" role="status">{message}</span> : null}
      </p>
    </form>
    <DatasetList datasets={datasets} />
    </>
  );
}
