import { useState } from "react";
import { usePoll } from "../use-poll.js";
import type { Campaign } from "@drnn/contract";

export function Campaigns() {
  const [campaigns, setCampaigns] = useState<Campaign[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  usePoll<{ campaigns: Campaign[] }>("/api/campaigns", 3000, (r) => setCampaigns(r.campaigns), (e) => setError(String(e)));
  return (
    <div className="panel">
      <h2>
        Campaigns <a className="button" href="#/launch">Launch a campaign</a>
      </h2>
      {error ? <p className="error">{error}</p> : null}
      {campaigns === null ? <p className="muted">loading…</p> : null}
      {campaigns?.length === 0 ? <p className="muted">No campaigns yet.</p> : null}
      <table data-testid="campaigns">
        <thead>
          <tr><th>name</th><th>state</th><th>strategy</th><th>budget</th><th>seed</th><th>created</th></tr>
        </thead>
        <tbody>
          {campaigns?.map((c) => (
            <tr key={c.id}>
              <td><a href={`#/campaigns/${c.id}`}>{c.name ?? c.id.slice(0, 8)}</a></td>
              <td><span className={`state ${c.state}`}>{c.state}</span></td>
              <td>{c.strategy}</td>
              <td>{c.budget}</td>
              <td>{c.seed}</td>
              <td>{new Date(c.createdAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
