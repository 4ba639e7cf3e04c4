// The registered datasets, and for one of them: its statistics, where it is
// stored, and the campaigns that ran on it (with a link comparing them).
import { useState } from "react";
import type { Dataset, ResponseBody } from "@drnn/contract";
import { usePoll } from "../use-poll.js";
import { datasetRow, datasetStats, formatBytes } from "../dataset-view.js";
import { compareHref } from "../routes.js";
import { CampaignTable } from "../components/campaign-table.js";
import { DatasetTable } from "../components/datasets.js";

function Detail({ d }: { d: Dataset }) {
  const [campaigns, setCampaigns] = useState<ResponseBody<"campaigns">["campaigns"] | null>(null);
  usePoll<ResponseBody<"campaigns">>(`/api/datasets/${d.id}/campaigns`, 10_000, (r) => setCampaigns(r.campaigns));
  const row = datasetRow(d);
  return (
    <>
      <div className="panel" data-testid="dataset-detail" data-dataset={d.id}>
        <h2>{d.name} <span className="muted">{d.format}</span></h2>
        <dl className="facts" data-testid="dataset-stats">
          {datasetStats(d).map((s) => (
            <div key={s.label} title={s.hint}>
              <dt>{s.label}</dt>
              <dd>{s.value}</dd>
            </div>
          ))}
        </dl>
        <h3>Where it is stored</h3>
        <dl className="facts" data-testid="dataset-storage">
          <div><dt>artifact store</dt><dd className="mono">{d.artifactHash ? `sha-256 ${d.artifactHash}` : "not stored: only at its path ('drnn data push' stores it)"}</dd></div>
          <div><dt>size</dt><dd>{formatBytes(d.bytes)}</dd></div>
          <div><dt>prepared at</dt><dd className="mono">{d.location}</dd></div>
          <div><dt>content hash</dt><dd className="mono">{d.contentHash}</dd></div>
          <div><dt>registered</dt><dd>{row.created}</dd></div>
        </dl>
      </div>
      <div className="panel">
        <h3>
          Campaigns on it <span className="muted">({campaigns?.length ?? "…"})</span>
          {campaigns && campaigns.length >= 2 ? <a className="button" href={compareHref(campaigns.map((c) => c.id))} data-testid="compare-dataset">compare them</a> : null}
        </h3>
        <div className="scroll-x">
          <CampaignTable campaigns={campaigns} testId="dataset-campaigns" />
        </div>
        {campaigns?.length === 0 ? <p className="muted">no campaign has used it yet</p> : null}
      </div>
    </>
  );
}

export function DatasetsPage({ id }: { id: string | null }) {
  const [datasets, setDatasets] = useState<Dataset[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  usePoll<ResponseBody<"datasets">>("/api/datasets", 10_000, (r) => setDatasets(r.datasets), (e) => setError(String(e)));
  const chosen = datasets?.find((d) => d.id === id) ?? datasets?.[0] ?? null;
  return (
    <div className="datasets-page" data-testid="datasets-page">
      <div className="panel">
        <h2>Datasets</h2>
        {error ? <p className="error">{error}</p> : null}
        {datasets?.length === 0 ? <p className="muted">none registered: synthesize one on the launch page, or run 'drnn data prepare' and 'drnn data push'</p> : null}
        <div className="scroll-x">
          <DatasetTable datasets={datasets} selectedId={chosen?.id} testId="dataset-list" />
        </div>
      </div>
      {chosen ? <Detail key={chosen.id} d={chosen} /> : null}
    </div>
  );
}
