// The required equality: scores served from the bounded session state in
// Redis, one page view at a time, equal the model run from scratch on the
// session's whole page list with @drnn/data's own sample rule (prefixSamples).
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Redis } from "ioredis";
import * as tf from "@tensorflow/tfjs";
import { DEFAULT_DWELL, PAGE_OOV, createRng, dwellTimes, prefixSamples, type PrefixSample } from "@drnn/data";
import { dwellFeature, type DrnnInputs } from "@drnn/model";
import { heaviest, rowFromViews, type PageView } from "./session-features.js";
import { SessionStore } from "./session-store.js";
import { ModelHolder } from "./model-holder.js";
import { Recommender } from "./recommender.js";
import { testServingModel } from "./testing.js";
import type { ServingModel } from "./serving-model.js";

let redis: Redis;
let model: ServingModel;
const prefix = `${inject("queuePrefix")}-features`;

beforeAll(() => {
  redis = new Redis(inject("redisUrl"));
  model = testServingModel({ id: "m1", name: "drnn", version: 1 });
});

afterAll(async () => {
  model.retire();
  await redis.quit();
});

/** Independent of the serving code: the last prefix sample of the whole session, packed like BatchFeeder packs it. */
function fromScratch(views: readonly PageView[], purchases: readonly number[]): Float32Array {
  const { spec, dims } = model.model;
  const ids = views.map((v) => model.vocab.pageIds.get(v.page) ?? PAGE_OOV);
  const dwell = dwellTimes(
    views.map((v) => v.ts),
    DEFAULT_DWELL,
  );
  let found: PrefixSample | undefined;
  for (const s of prefixSamples(ids, dwell, spec.window)) found = s;
  if (found === undefined) throw new Error("empty session");
  const last = found;
  const k = spec.window;
  const H = dims.historyBag;
  const hp = new Int32Array(H);
  const hw = new Float32Array(H);
  heaviest(last.history, H).forEach((e, i) => ((hp[i] = e.page), (hw[i] = e.weight)));
  const mass = new Float32Array(dims.items);
  last.history.pages.forEach((p, i) => {
    const item = model.vocab.pageItems[p] ?? -1;
    if (item >= 0) mass[item] = (mass[item] ?? 0) + (last.history.weights[i] ?? 0);
  });
  const bag = new Int32Array(dims.purchaseBag);
  const mask = new Float32Array(dims.purchaseBag);
  purchases.slice(-dims.purchaseBag).forEach((item, i) => ((bag[i] = item), (mask[i] = 1)));
  const probs = tf.tidy(() => {
    const x: DrnnInputs = {
      window: tf.tensor2d(last.window, [1, k], "int32"),
      dwell: tf.tensor2d(Float32Array.from(last.window, (p, t) => (p === 0 ? 0 : dwellFeature(last.dwell[t] ?? 0))), [1, k]),
      historyPages: tf.tensor2d(hp, [1, H], "int32"),
      historyWeights: tf.tensor2d(hw, [1, H]),
      purchaseItems: tf.tensor2d(bag, [1, dims.purchaseBag], "int32"),
      purchaseMask: tf.tensor2d(mask, [1, dims.purchaseBag]),
      windowItems: tf.tensor2d(Int32Array.from(last.window, (p) => (p === 0 ? -1 : (model.vocab.pageItems[p] ?? -1))), [1, k], "int32"),
      historyItemMass: tf.tensor2d(mass, [1, dims.items]),
    };
    return model.model.predict(x);
  });
  const out = probs.dataSync() as Float32Array;
  probs.dispose();
  return out;
}

describe("session state -> scores", () => {
  it("equal the model run from scratch on the full page list, after every page view", async () => {
    const store = new SessionStore(redis, { prefix, capacity: 64 });
    const holder = new ModelHolder();
    holder.swap(model);
    const rng = createRng(11);
    const views: PageView[] = [];
    let ts = 1_700_000_000_000;
    // 40 views: repeats (merged history entries), an unknown page, a long pause (dwell cap), a zero gap.
    for (let i = 0; i < 40; i++) {
      const page = i === 17 ? "never-seen" : `p${2 + rng.int(12)}`;
      ts += i === 9 ? 3_600_000 : i === 23 ? 0 : 1000 + rng.int(90_000);
      views.push({ page, ts });
      const snap = await store.append("s-eq", { page, ts }, "alice");
      expect(snap.total).toBe(i + 1);
      const served = model.scores([
        rowFromViews(snap.views, model.vocab, model.model.spec, model.model.dims, model.purchasesOf("alice")),
      ])[0];
      const scratch = fromScratch(views, [2, 5, 7]);
      expect(Array.from(served ?? [])).toEqual(Array.from(scratch));
    }
    // Through the recommender too (micro-batched with another session's view).
    const recommender = new Recommender(holder);
    const [a] = await Promise.all([recommender.recommend((await store.read("s-eq"))!, 5), recommender.recommend(await store.append("other", { page: "p3", ts }), 5)]);
    const scratch = fromScratch(views, [2, 5, 7]);
    expect(a?.source).toBe("drnn");
    expect(a?.items[0]?.score).toBeCloseTo(Math.max(...scratch), 6);
  });

  it("keeps a bounded state with the 30-minute TTL, whatever the session's length", async () => {
    const store = new SessionStore(redis, { prefix, capacity: 16 });
    let snap;
    for (let i = 0; i < 100; i++) snap = await store.append("s-long", { page: `p${2 + (i % 30)}`, ts: 1_000 * i });
    expect(snap?.total).toBe(100);
    expect(snap?.views).toHaveLength(16);
    expect(snap?.views[15]?.ts).toBe(99_000);
    const ttl = await store.ttl("s-long");
    expect(ttl).toBeGreaterThan(29 * 60_000);
    expect(ttl).toBeLessThanOrEqual(30 * 60_000);
  });

  it("serves an unknown page as out-of-vocabulary; cold start uses the FNN for a known buyer, popularity otherwise", async () => {
    const store = new SessionStore(redis, { prefix });
    const holder = new ModelHolder();
    holder.swap(model);
    const recommender = new Recommender(holder);
    const anon = await recommender.recommend(await store.append("cold-anon", { page: "no-such-page", ts: 1 }), 3);
    expect(anon).toMatchObject({ source: "popularity", oov: true });
    expect(anon.items.map((i) => i.item)).toEqual(["item3", "item1", "item0"]);
    const buyer = await recommender.recommend(await store.append("cold-alice", { page: "no-such-page", ts: 1 }, "alice"), 3);
    expect(buyer).toMatchObject({ source: "fnn", oov: true });
    expect(buyer.items).toHaveLength(3);
    const mixed = await recommender.recommend(await store.append("cold-anon", { page: "p4", ts: 5_000 }), 3);
    expect(mixed).toMatchObject({ source: "drnn", oov: false });
    const oovAfterKnown = await recommender.recommend(await store.append("cold-anon", { page: "also-unknown", ts: 9_000 }), 3);
    expect(oovAfterKnown).toMatchObject({ source: "drnn", oov: true });
  });
});
