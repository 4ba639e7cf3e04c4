// How the dataset list shows a dataset's size and where it is stored: in the
// artifact store (every node can fetch it by hash) or only at the path where
// it was prepared (reachable on that machine alone).
import type { Dataset } from "@drnn/contract";

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
