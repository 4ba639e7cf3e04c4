// How the dataset list shows a dataset's size and where it is stored: in the
// artifact store (every node can fetch it by hash) or only at the path where
// it was prepared (reachable on that machine alone).
import { DatasetStatsSchema, type Dataset } from "@drnn/contract";

export interface DatasetRow {
  id: string;
  name: string;
  samples: string;
  size: string;
  stored: string;
  storedTitle: string;
  created: string;
}

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return "–";
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

export function datasetRow(d: Dataset): DatasetRow {
  const stats = typeof d.stats === "object" && d.stats !== null ? (d.stats as Record<string, unknown>) : {};
  const samples = stats["samples"];
  return {
    id: d.id,
    name: d.name,
    samples: typeof samples === "number" ? samples.toLocaleString("en-US") : "–",
    size: formatBytes(d.bytes),
    stored: d.artifactHash ? `artifact store · ${d.artifactHash.slice(0, 12)}` : "path only",
    storedTitle: d.artifactHash ? `sha-256 ${d.artifactHash}; prepared at ${d.location}` : `only at ${d.location} on the machine that prepared it ('drnn data push' stores it)`,
    created: d.createdAt.slice(0, 16).replace("T", " "),
  };
}

export interface StatItem {
  label: string;
  value: string;
  /** What the figure counts, for the title attribute. */
  hint: string;
}

const count = (v: number | undefined) => (v === undefined ? "–" : v.toLocaleString("en-US"));
const day = (ms: number | undefined) => (ms === undefined || ms === 0 ? "–" : new Date(ms).toISOString().slice(0, 10));

/**
 * A dataset's statistics as its page lists them. `reachable` is the share of
 * test samples whose target the model can rank at all (in the generator's
 * items or shown on the session's pages); it is a property of the data,
 * measured when a campaign first scores the baselines on it.
 */
export function datasetStats(d: Dataset): StatItem[] {
  const parsed = DatasetStatsSchema.safeParse(d.stats);
  const s = parsed.success ? parsed.data : {};
  const test = Object.values(s.baselines ?? {})[0];
  const split = s.samplesBySplit;
  return [
    { label: "sessions", value: count(s.sessions), hint: "sessions with at least one view" },
    { label: "purchase sessions", value: count(s.purchaseSessions), hint: "sessions with a view and a purchase" },
    { label: "sessions in the splits", value: count(s.sampleSessions), hint: "purchase sessions with a view before the purchase" },
    { label: "users", value: count(s.users), hint: "distinct users" },
    { label: "pages (M)", value: count(s.pages), hint: "page vocabulary, reserved ids included" },
    { label: "items (N)", value: count(s.items), hint: "the items the generator's softmax covers" },
    { label: "rankable items", value: count(s.rankableItems), hint: "every item id: any is rankable when its session shows it" },
    { label: "samples", value: count(s.samples), hint: "prefix samples, all splits" },
    { label: "train / val / test samples", value: split ? `${count(split.train)} / ${count(split.val)} / ${count(split.test)}` : "–", hint: "prefix samples per split (recorded at registration)" },
    { label: "reachable (test)", value: test ? `${(test.reachable * 100).toFixed(1)} %` : "–", hint: "test samples whose target the model can rank; measured when a campaign first scores the baselines" },
    { label: "window k", value: count(s.window), hint: "states besides the history state the dataset was prepared for" },
    { label: "records (bad)", value: s.records === undefined ? "–" : `${count(s.records)} (${count(s.badRecords)})`, hint: "log lines read, and those refused" },
    { label: "time span", value: `${day(s.firstTimestamp)} – ${day(s.lastTimestamp)}`, hint: "first and last click" },
  ];
}
