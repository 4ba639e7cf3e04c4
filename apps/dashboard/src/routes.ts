// The dashboard's addresses: one hash route per page, parsed in one place so
// every link (tables, chart points, the header) and the router agree.

export type Route =
  | { page: "campaigns" }
  | { page: "launch" }
  | { page: "campaign"; id: string }
  | { page: "candidate"; id: string }
  | { page: "compare"; ids: string[] }
  | { page: "datasets"; id: string | null }
  | { page: "models" };

const ID = "[0-9a-f-]+";

/** The page a location hash names; anything unknown is the campaign list. */
export function routeOf(hash: string): Route {
  const path = hash.replace(/^#/, "").split("?")[0] ?? "";
  const one = (prefix: string) => new RegExp(`^/${prefix}/(${ID})$`).exec(path)?.[1];
  const campaign = one("campaigns");
  if (campaign) return { page: "campaign", id: campaign };
  const candidate = one("candidates");
  if (candidate) return { page: "candidate", id: candidate };
  const compare = /^\/compare(?:\/(.*))?$/.exec(path);
  if (compare) return { page: "compare", ids: (compare[1] ?? "").split(",").filter((s) => new RegExp(`^${ID}$`).test(s)) };
  const datasets = /^\/datasets(?:\/(.*))?$/.exec(path);
  if (datasets) return { page: "datasets", id: datasets[1] && new RegExp(`^${ID}$`).test(datasets[1]) ? datasets[1] : null };
  if (path.startsWith("/models")) return { page: "models" };
  if (path.startsWith("/launch")) return { page: "launch" };
  return { page: "campaigns" };
}

export const campaignHref = (id: string) => `#/campaigns/${id}`;
export const candidateHref = (id: string) => `#/candidates/${id}`;
export const compareHref = (ids: readonly string[]) => `#/compare/${ids.join(",")}`;
export const datasetHref = (id: string | null) => (id ? `#/datasets/${id}` : "#/datasets");

/** Follows a link from code (a chart point), as a click on an anchor would. */
export function openHref(href: string): void {
  window.location.hash = href;
}
