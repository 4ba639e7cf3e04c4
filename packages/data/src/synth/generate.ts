// A seeded synthetic access log (the embedded demo data and test input), in
// the generic jsonl record format. Its structure is learnable on purpose:
// each session has an intent (a category and a target item), the target is
// viewed, often more than once and longer, before it is bought, and users
// return with a favourite category and a purchase history. So a model that
// reads the session beats global popularity (see synth.test.ts).
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { Rng } from "@drnn/contract";
import type { LogRecord } from "../record.js";
import { buildShop, homePage, itemPage, listPage, type Shop } from "./shop.js";

export interface SynthOptions {
  sessions: number;
  seed: number;
  categories?: number;
  itemsPerCategory?: number;
  /** Probability that a session ends in a purchase (default 0.3). */
  buyRate?: number;
  /** First session start, epoch ms (default 2024-01-01T00:00Z). */
  start?: number;
}

interface User {
  id: string;
  favourite: number;
}

function makeUsers(rng: Rng, shop: Shop, count: number): User[] {
  return Array.from({ length: count }, (_, i) => ({ id: `u${i + 1}`, favourite: rng.int(0, shop.categories - 1) }));
}

/** One session's records: browse with an intent, maybe buy the target. */
function* session(rng: Rng, shop: Shop, user: User, sessionId: string, start: number, buyRate: number): Generator<LogRecord> {
  const category = rng.bernoulli(0.7) ? user.favourite : rng.int(0, shop.categories - 1);
  const catalogue = shop.items[category] ?? [];
  const target = catalogue[rng.weighted(shop.popularity[category] ?? [])] ?? "";
  let t = start;
  const view = (page: string, itemId: string | undefined, meanDwellS: number): LogRecord => {
    const r: LogRecord = { userId: user.id, sessionId, timestamp: t, page, event: "view", itemId };
    t += Math.round(1000 + rng.exponential(meanDwellS * 1000));
    return r;
  };
  if (rng.bernoulli(0.3)) yield view(homePage(), undefined, 10);
  yield view(listPage(category, 1), undefined, 20);
  const steps = 1 + Math.floor(rng.exponential(4));
  for (let s = 0; s < steps; s++) {
    const r = rng.float();
    if (r < 0.35) yield view(itemPage(target), target, 60);
    else if (r < 0.75) {
      const other = catalogue[rng.weighted(shop.popularity[category] ?? [])] ?? target;
      yield view(itemPage(other), other, 30);
    } else if (r < 0.9) yield view(listPage(category, 2 + rng.int(0, 2)), undefined, 20);
    else {
      const c = rng.int(0, shop.categories - 1);
      const wander = shop.items[c]?.[rng.int(0, shop.items[c]?.length ?? 1 - 1)] ?? target;
      yield view(itemPage(wander), wander, 15);
    }
  }
  if (!rng.bernoulli(buyRate)) return;
  // The decision: the target page once more, then the purchase.
  yield view(itemPage(target), target, 45);
  yield { userId: user.id, sessionId, timestamp: t, page: "", event: "buy", itemId: target };
}

/** Every record of the synthetic log, sessions in start order. */
export function* synthesizeLog(options: SynthOptions): Generator<LogRecord> {
  const rng = Rng.fromSeed(options.seed);
  const shop = buildShop(rng, options.categories ?? 8, options.itemsPerCategory ?? 40);
  const users = makeUsers(rng, shop, Math.max(1, Math.ceil(options.sessions / 4)));
  let t = options.start ?? Date.UTC(2024, 0, 1);
  for (let s = 0; s < options.sessions; s++) {
    // Returning users: a small core of users makes most of the visits.
    const user = users[Math.floor(users.length * rng.float() ** 2)] ?? users[0];
    if (user === undefined) return;
    yield* session(rng, shop, user, `s${s + 1}`, t, options.buyRate ?? 0.3);
    t += Math.round(rng.exponential(90_000));
  }
}

/** Writes the log as jsonl (ISO timestamps) to `path`. */
export async function writeSyntheticLog(path: string, options: SynthOptions): Promise<{ records: number; sessions: number }> {
  const out = createWriteStream(path);
  let records = 0;
  let chunk = "";
  for (const r of synthesizeLog(options)) {
    records++;
    chunk += `${JSON.stringify({ ...r, timestamp: new Date(r.timestamp).toISOString() })}\n`;
    if (chunk.length > 1 << 16 && !out.write(chunk)) await once(out, "drain");
    if (chunk.length > 1 << 16) chunk = "";
  }
  out.end(chunk);
  await once(out, "finish");
  return { records, sessions: options.sessions };
}
