export { scoreSplit, firstHitRank, RankingAccumulator, CUTOFFS, TOP_N, type Ranker, type RankingMetrics } from "./ranking.js";
export { topN } from "./top-n.js";
