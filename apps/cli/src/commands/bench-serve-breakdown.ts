// Where one page view's server time goes, measured in-process with no HTTP
// and nothing else running: the Redis script call (record the view, read the
// bounded state back), building the model's input row from the stored views,
// and scoring + top-k. Sessions are first filled to the store's capacity, the
// worst case the store allows.
import type { ServingModel, SessionStore, SessionSnapshot } from "@drnn/serving";
import { rowFromViews } from "@drnn/serving";

export interface StageTimes {
  p50Ms: number;
  p99Ms: number;
}

export interface Breakdown {
  views: number;
  storedViews: number;
  redisAppend: StageTimes;
  featureRow: StageTimes;
  scoreTopK: StageTimes;
}

function stage(samples: number[]): StageTimes {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => Number((s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0).toFixed(3));
  return { p50Ms: q(0.5), p99Ms: q(0.99) };
}

export async function measureBreakdown(store: SessionStore, model: ServingModel, views = 400): Promise<Breakdown> {
  const pages = model.model.dims.pages;
  const sessions = 8;
  const page = (i: number) => `p${2 + ((i * 13) % (pages - 2))}`;
  let ts = Date.now() - 3_600_000;
  await Promise.all(Array.from({ length: sessions }, async (_, s) => {
    for (let i = 0; i < store.capacity; i++) await store.append(`breakdown-${s}`, { page: page(i + s), ts: ts + i * 5_000 });
  }));
  ts += store.capacity * 5_000;
  const append: number[] = [];
  const row: number[] = [];
  const score: number[] = [];
  let snap: SessionSnapshot | undefined;
  for (let i = 0; i < views; i++) {
    const t0 = performance.now();
    snap = await store.append(`breakdown-${i % sessions}`, { page: page(i * 7), ts: ts + i * 5_000 });
    const t1 = performance.now();
    const r = rowFromViews(snap.views, model.vocab, model.model.spec, model.model.dims, []);
    const t2 = performance.now();
    model.top([r], 10);
    const t3 = performance.now();
    append.push(t1 - t0);
    row.push(t2 - t1);
    score.push(t3 - t2);
  }
  return { views, storedViews: snap?.views.length ?? 0, redisAppend: stage(append), featureRow: stage(row), scoreTopK: stage(score) };
}
