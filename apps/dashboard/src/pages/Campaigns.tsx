import { useState } from "react";
import { usePoll } from "../use-poll.js";
import type { Campaign } from "@drnn/contract";
import { CampaignTable } from "../components/campaign-table.js";

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
      <CampaignTable campaigns={campaigns} testId="campaigns" />
    </div>
  );
}
