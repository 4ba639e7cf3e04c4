// Campaigns one row each (name, state, strategy, seed, budget, created): the
// campaigns page, a dataset's campaigns and the compare page's picker. With
// `pick`, a row is ticked or unticked by a click and its name is not a link.
import type { Campaign } from "@drnn/contract";
import { campaignHref } from "../routes.js";

type Row = Pick<Campaign, "id" | "name" | "state" | "strategy" | "seed" | "budget" | "createdAt">;

/** The compare picker's selection: the ticked campaigns, and what a click on a row does. */
export interface ComparePick {
  ids: readonly string[];
  toggle(id: string): void;
}

export function CampaignTable({ campaigns, testId, pick }: { campaigns: readonly Row[] | null | undefined; testId: string; pick?: ComparePick }) {
  return (
    <table data-testid={testId}>
      <thead>
        <tr>{pick ? <th></th> : null}<th>name</th><th>state</th><th>strategy</th><th>seed</th><th>budget</th><th>created</th></tr>
      </thead>
      <tbody>
        {campaigns?.map((c) => {
          const name = c.name ?? c.id.slice(0, 8);
          const picked = pick?.ids.includes(c.id) ?? false;
          return (
            <tr key={c.id} {...(pick ? { onClick: () => pick.toggle(c.id), className: picked ? "selected" : "" } : {})}>
              {pick ? <td><input type="checkbox" name={`compare.${c.id}`} checked={picked} readOnly aria-label={`compare ${c.name ?? c.id}`} /></td> : null}
              <td>{pick ? name : <a href={campaignHref(c.id)}>{name}</a>}</td>
              <td><span className={`state ${c.state}`}>{c.state}</span></td>
              <td>{c.strategy}</td>
              <td>{c.seed}</td>
              <td>{c.budget}</td>
              <td>{new Date(c.createdAt).toLocaleString()}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
