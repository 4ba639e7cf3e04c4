// The models page's rows, from GET /api/models/:name: what each version was
// trained from, how it scored on the test split, who promoted it, and which
// one is live. Pure, so it is unit-tested without a browser.
import type { ModelDetail, ModelVersion, Promotion } from "@drnn/contract";

export const DEFAULT_MODEL_NAME = "drnn";

export interface TestSummary {
  accuracy: number | null;
  hit20: number | null;
  mrr20: number | null;
}

export interface VersionRow {
  id: string;
  version: number;
  createdAt: string;
  live: boolean;
  campaignId: string | null;
  candidateId: string | null;
  fitness: number;
  genes: string;
  test: TestSummary | null;
  datasetHash: string | null;
  origin: string | null;
  promotedBy: string | null;
}

export interface HistoryRow {
  id: string;
  action: string;
  version: number | null;
  actor: string | null;
  createdAt: string;
}

const record = (v: unknown): Record<string, unknown> | null => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === "string" && v.length > 0 ? v : null);

/** "#/models/shop" -> "shop"; "#/models" or "#/models/" -> the default name; anything else -> null. */
export function modelNameOf(hash: string): string | null {
  const m = /^#\/models(?:\/([^/?#]*))?\/?$/.exec(hash);
  if (!m) return null;
  const raw = m[1] ?? "";
  if (raw === "") return DEFAULT_MODEL_NAME;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export const modelHref = (name: string) => `#/models/${encodeURIComponent(name)}`;

/** "w=3 lr=0.0100 cells=[64,32]", keys in their stored order. */
export function genesSummary(chromosome: unknown): string {
  const ch = record(chromosome);
  if (!ch) return "–";
  return Object.entries(ch)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(",")}]` : typeof v === "number" && !Number.isInteger(v) ? v.toPrecision(3) : String(v)}`)
    .join(" ");
}

/** "sha256:0123456789abcdef..." -> "0123456789ab" */
export function shortHash(hash: string | null, length = 12): string | null {
  if (hash === null) return null;
  const bare = hash.includes(":") ? hash.slice(hash.indexOf(":") + 1) : hash;
  return bare.slice(0, length);
}

function testSummary(metrics: Record<string, unknown> | null): TestSummary | null {
  const test = record(metrics?.["test"]);
  if (!test) return null;
  return { accuracy: num(test["accuracy"]), hit20: num(record(test["hit"])?.["20"]), mrr20: num(test["mrr20"]) };
}

/** Who first promoted each version (the promote row of the history), by version id. */
function promoters(history: readonly Promotion[]): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const p of history) if (p.action === "promote" && !out.has(p.modelVersionId)) out.set(p.modelVersionId, p.actor);
  return out;
}

export function versionRows(detail: ModelDetail): VersionRow[] {
  const by = promoters(detail.history);
  const rows = detail.versions.map((v: ModelVersion): VersionRow => {
    const metrics = record(v.metrics);
    return {
      id: v.id,
      version: v.version,
      createdAt: v.createdAt,
      live: detail.live?.id === v.id,
      campaignId: v.campaignId,
      candidateId: v.candidateId,
      fitness: v.fitness,
      genes: genesSummary(v.chromosome),
      test: testSummary(metrics),
      datasetHash: shortHash(str(metrics?.["datasetHash"])),
      origin: str(metrics?.["origin"]),
      promotedBy: str(metrics?.["promotedBy"]) ?? by.get(v.id) ?? null,
    };
  });
  // Newest first: the version you just promoted is at the top.
  return rows.sort((a, b) => b.version - a.version);
}

/** The promotion history, newest first, with each row's version number. */
export function historyRows(detail: ModelDetail): HistoryRow[] {
  const versionOf = new Map(detail.versions.map((v) => [v.id, v.version]));
  return detail.history
    .map((p) => ({ id: p.id, action: p.action, version: versionOf.get(p.modelVersionId) ?? null, actor: p.actor, createdAt: p.createdAt }))
    .reverse();
}

/** The question the rollback button asks before it acts. */
export function rollbackQuestion(name: string, from: number | null, to: number): string {
  return `Roll ${name} back to v${to}?${from === null ? "" : ` Servers following production switch from v${from} to v${to}.`} The history keeps both.`;
}
