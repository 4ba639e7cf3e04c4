// `drnn eval --replay`: a prepared split replayed page by page through the
// serving path (DESIGN.md section 8): each session's input pages go into the
// real session store one view at a time, and after each view the
// recommender's answer (feature row from the stored state, scorer, the
// mixture's ranking, cold start) is that prefix sample's ranking. The answers
// are then scored by the offline evaluation's own scoreSplit, so both report
// the same metrics the same way.
// The dataset keeps each page's dwell, not its timestamp: the replay rebuilds
// the timestamps from the session's start and the dwell times. Dwell is
// capped, so the rebuilt gaps are the capped ones, which is all the serving
// features read (dwellTimes caps again).
import { sampleTargets, type Dataset, type SplitName } from "@drnn/data";
import { TOP_N, scoreSplit, type RankingMetrics } from "@drnn/model";
import { recommendBatch, type RecommendationSource } from "./recommender.js";
import type { ServingModel } from "./serving-model.js";
import type { SessionStore } from "./session-store.js";

export interface ReplayOptions {
  split: SplitName;
  /** Session ids in the store are `<runId>:<session index>`, so runs never share a session. */
  runId: string;
  /** Progress line every so many sessions. */
  onProgress?: (line: string) => void;
}

export interface ReplayResult {
  metrics: RankingMetrics;
  pageViews: number;
  /** How many answers came from the DRNN, the FNN's cold start, and popularity. */
  sources: Record<RecommendationSource, number>;
  /** Answers naming an item the dataset does not know (a model trained on another vocabulary). */
  unknownItems: number;
}

/** Replays `split` of `d` through `store` and `model`, and scores the answers with scoreSplit. */
export async function replaySplit(d: Dataset, model: ServingModel, store: SessionStore, o: ReplayOptions): Promise<ReplayResult> {
  const c = d.columns;
  const itemIds = new Map(d.items.map((item, id) => [item, id]));
  const modelItem = new Map(model.items.map((item, id) => [item, id]));
  const ranked = new Map<number, Int32Array>();
  const sources: Record<RecommendationSource, number> = { drnn: 0, fnn: 0, popularity: 0 };
  let pageViews = 0;
  let unknownItems = 0;
  const [from, to] = d.manifest.splits[o.split].sessions;
  for (let s = from; s < to; s++) {
    const pageFrom = c.sessionPageOffsets[s] ?? 0;
    const pageTo = c.sessionPageOffsets[s + 1] ?? 0;
    const firstSample = c.sampleOffsets[s] ?? 0;
    const user = d.users[c.sessionUser[s] ?? -1];
    const purchases = purchasesBefore(d, s, modelItem);
    let ts = c.sessionStart[s] ?? 0;
    for (let t = pageFrom; t < pageTo; t++) {
      const pageId = c.sessionPages[t] ?? 1;
      const page = d.pages[pageId] ?? "<oov>";
      // The item the page shows, as a shop's page view names it: a page the served model does not know still offers it to the copy.
      const item = d.items[c.pageItems[pageId] ?? -1];
      const snapshot = await store.append(`${o.runId}:${s}`, { page, ts, item }, user);
      const [answer] = recommendBatch(model, [{ snapshot, k: TOP_N, purchases }]);
      if (answer === undefined) throw new Error("the recommender gave no answer");
      sources[answer.source]++;
      ranked.set(
        firstSample + (t - pageFrom),
        Int32Array.from(answer.items, (i) => {
          const id = itemIds.get(i.item);
          if (id === undefined) unknownItems++;
          return id ?? -1;
        }),
      );
      pageViews++;
      ts += 1000 * (c.sessionDwell[t] ?? 0);
    }
    if ((s - from) % 500 === 499) o.onProgress?.(`replayed ${s - from + 1}/${to - from} sessions (${pageViews} page views)`);
  }
  const metrics = scoreSplit(d, o.split, {
    rank: (samples) =>
      Array.from(samples, (s) => {
        const top = ranked.get(s);
        if (top === undefined) throw new Error(`sample ${s} (targets ${Array.from(sampleTargets(d, s)).join(",")}) was not replayed`);
        return top;
      }),
  });
  return { metrics, pageViews, sources, unknownItems };
}

/** The items the session's user bought before it (the FNN's input offline), in the model's item ids. */
function purchasesBefore(d: Dataset, s: number, modelItem: ReadonlyMap<string, number>): number[] {
  const c = d.columns;
  const out: number[] = [];
  for (let i = c.purchaseOffsets[s] ?? 0; i < (c.purchaseOffsets[s + 1] ?? 0); i++) {
    const id = modelItem.get(d.items[c.purchaseItems[i] ?? -1] ?? "");
    if (id !== undefined) out.push(id);
  }
  return out;
}
