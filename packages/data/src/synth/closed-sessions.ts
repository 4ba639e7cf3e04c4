// Small synthetic closed sessions for the online loop's tests and demos: item i has pages
// "i-a" and "i-b" that show it; a session views pages of the item it buys
// (and a "home" page now and then), so a model can learn the purchase.
import { Rng } from "@drnn/contract";
import type { ClosedSession } from "../online/sessions.js";
import type { ModelVocabulary } from "../online/model-vocabulary.js";
import type { LogRecord } from "../record.js";

export const EMPTY_VOCABULARY: ModelVocabulary = { pages: ["<pad>", "<oov>"], items: [], generatorItems: 0, pageItems: [-1, -1], itemTrainViews: [], itemTrainBuys: [] };

const T0 = Date.UTC(2026, 0, 1);

/** `count` sessions buying items `from`..`to`-1, one every minute from minute `at`. */
export function shopSessions(seed: number, count: number, items: { from: number; to: number }, at: number): ClosedSession[] {
  const rng = Rng.fromSeed(seed);
  return Array.from({ length: count }, (_, s) => {
    const key = `k${seed}-${s}`;
    const item = `i${rng.int(items.from, items.to - 1)}`;
    const t = T0 + (at + s) * 60_000;
    const length = 1 + rng.int(0, 3);
    const records: LogRecord[] = Array.from({ length }, (_, v) => {
      const home = v < length - 1 && rng.bernoulli(0.3);
      return { sessionId: key, timestamp: t + v * 5_000, page: home ? "home" : `${item}-${rng.bernoulli(0.5) ? "a" : "b"}`, event: "view", itemId: home ? undefined : item };
    });
    records.push({ sessionId: key, timestamp: t + length * 5_000, page: "", event: "buy", itemId: item });
    return { key, records };
  });
}
