// The required equality: scores served from the bounded session state in
// Redis, one page view at a time, equal the model run from scratch on the
// session's whole page list with @drnn/data's own sample rule (prefixSamples)
// and copy slots (sessionItems over knownDwell), the copy's mixture included.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Redis } from "ioredis";
import * as tf from "@tensorflow/tfjs";
import { Rng } from "@drnn/contract";
import { DEFAULT_DWELL, PAGE_OOV, dwellTimes, knownDwell, prefixSamples, sessionItems, type PrefixSample } from "@drnn/data";
import { copyInputsOf, disposeInputs, dwellFeature, rankMixture, type DrnnInputs } from "@drnn/model";
import { heaviest, rowFromViews, type PageView } from "./session-features.js";
import { SessionStore } from "./session-store.js";
import { ModelHolder } from "./model-holder.js";
import { Recommender, recommendBatch } from "./recommender.js";
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

interface Scratch {
  /** P(slot c) for the slots in use, and g * p_gen over the generator's items. */
  slotProb: Float32Array;
  generatorProb: Float32Array;
  slots: ReturnType<typeof sessionItems>;
}

/** Independent of the serving code: the last prefix sample of the whole session, packed like BatchFeeder packs it, through DrnnModel.outputs. */
function fromScratch(views: readonly PageView[], purchases: readonly number[]): Scratch {
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
  const bag = new Int32Array(dims.purchaseBag);
  const mask = new Float32Array(dims.purchaseBag);
  purchases.slice(-dims.purchaseBag).forEach((item, i) => ((bag[i] = item), (mask[i] = 1)));
  const slots = sessionItems(
    ids.map((p) => model.vocab.pageItems[p] ?? -1),
    knownDwell(dwell, ids.length),
    model.vocab.popularity,
    dims.copySlots,
  );
  const x: DrnnInputs = {
    window: tf.tensor2d(last.window, [1, k], "int32"),
    dwell: tf.tensor2d(Float32Array.from(last.window, (p, t) => (p === 0 ? 0 : dwellFeature(last.dwell[t] ?? 0))), [1, k]),
    historyPages: tf.tensor2d(hp, [1, H], "int32"),
    historyWeights: tf.tensor2d(hw, [1, H]),
    purchaseItems: tf.tensor2d(bag, [1, dims.purchaseBag], "int32"),
    purchaseMask: tf.tensor2d(mask, [1, dims.purchaseBag]),
    copy: copyInputsOf([slots], dims),
  };
  const tensors = tf.tidy(() => {
    const copy = model.model.outputs(x).copy;
    if (copy === undefined) throw new Error("the test model has the copy");
    return [tf.exp(copy.logSlot), tf.exp(tf.add(copy.logGenerator, copy.logGate))];
  });
  const [slotProb, generatorProb] = tensors.map((t) => t.dataSync() as Float32Array);
  tf.dispose(tensors);
  disposeInputs(x);
  return { slotProb: (slotProb as Float32Array).slice(0, slots.count), generatorProb: generatorProb as Float32Array, slots };
}

describe("session state -> scores", () => {
  it("equal the model run from scratch on the full page list, after every page view", async () => {
    const store = new SessionStore(redis, { prefix, capacity: 64 });
    const holder = new ModelHolder();
    holder.swap(model);
    const rng = Rng.fromSeed(11);
    const views: PageView[] = [];
    let ts = 1_700_000_000_000;
    // 40 views: repeats (merged history entries), an unknown page, a long pause (dwell cap), a zero gap.
    for (let i = 0; i < 40; i++) {
      const page = i === 17 ? "never-seen" : `p${2 + rng.int(0, 11)}`;
      ts += i === 9 ? 3_600_000 : i === 23 ? 0 : 1000 + rng.int(0, 90_000 - 1);
      views.push({ page, ts });
      const snap = await store.append("s-eq", { page, ts }, "alice");
      expect(snap.total).toBe(i + 1);
      const row = rowFromViews(snap.views, model.vocab, model.model.spec, model.model.dims, model.purchasesOf("alice"));
      const served = model.mixtures([row])[0];
      const scratch = fromScratch(views, [2, 5, 7]);
      expect(row.slots).toEqual(scratch.slots);
      expect(Array.from(served?.slotProb ?? [])).toEqual(Array.from(scratch.slotProb));
      expect(Array.from(served?.generatorProb ?? [])).toEqual(Array.from(scratch.generatorProb));
      // The default forward (the TF.js-free scorer) ranks the same items with the same probabilities.
      const want = rankMixture(scratch, 10);
      const got = model.top([row], 10)[0] ?? [];
      expect(got.map((g) => g.item)).toEqual(Array.from(want.items, (i) => model.items[i]));
      got.forEach((g, r) => expect(g.score).toBeCloseTo(want.scores[r] ?? NaN, 6));
    }
    // Through the recommender too (micro-batched with another session's view).
    const recommender = new Recommender(holder);
    const [a] = await Promise.all([recommender.recommend((await store.read("s-eq"))!, 5), recommender.recommend(await store.append("other", { page: "p3", ts }), 5)]);
    const scratch = rankMixture(fromScratch(views, [2, 5, 7]), 5);
    expect(a?.source).toBe("drnn");
    expect(a?.items.map((i) => i.item)).toEqual(Array.from(scratch.items, (i) => model.items[i]));
    expect(a?.items[0]?.score).toBeCloseTo(scratch.scores[0] ?? NaN, 6);
  });

  it("recommends an item the generator never had once the session showed it, on both forwards", async () => {
    const store = new SessionStore(redis, { prefix });
    const tfjs = testServingModel({ id: "m2", name: "drnn", version: 2 }, { forward: "tfjs" });
    try {
      // p12 shows item12 and p14 item14: both beyond the generator's N = 12 items.
      let snap = await store.append("s-new-item", { page: "p12", ts: 1_000 });
      snap = await store.append("s-new-item", { page: "p3", ts: 20_000 });
      snap = await store.append("s-new-item", { page: "p12", ts: 50_000 });
      snap = await store.append("s-new-item", { page: "p14", ts: 90_000 });
      for (const m of [model, tfjs]) {
        const [answer] = await Promise.resolve(recommendBatch(m, [{ snapshot: snap, k: 5 }]));
        expect(model.model.dims.items).toBe(12);
        // S-POP's start: the item viewed twice first, then the one viewed once.
        expect(answer?.items.slice(0, 2).map((i) => i.item), m.forward).toEqual(["item12", "item14"]);
      }
    } finally {
      tfjs.retire();
    }
  });

  it("keeps the item a page new to the model shows as a copy candidate, the page itself as <oov>, on both forwards", async () => {
    const store = new SessionStore(redis, { prefix });
    const tfjs = testServingModel({ id: "m3", name: "drnn", version: 3 }, { forward: "tfjs" });
    try {
      // Neither page is in the vocabulary: "new-a" shows item13 (known, beyond the generator), "new-b" an item the model never had.
      let snap = await store.append("s-new-page", { page: "new-a", ts: 1_000, item: "item13" });
      snap = await store.append("s-new-page", { page: "new-b", ts: 30_000, item: "brand-new" });
      snap = await store.append("s-new-page", { page: "new-a", ts: 60_000, item: "item13" });
      snap = await store.append("s-new-page", { page: "no-item", ts: 80_000 });
      snap = await store.append("s-new-page", { page: "new-b", ts: 95_000, item: "brand-new" });
      snap = await store.append("s-new-page", { page: "new-a", ts: 99_000, item: "item13" });
      expect(snap.views[1]).toEqual({ page: "new-b", ts: 30_000, item: "brand-new" });
      expect(snap.views[3]).toEqual({ page: "no-item", ts: 80_000 });
      const { spec, dims } = model.model;
      const row = rowFromViews(snap.views, model.vocab, spec, dims, []);
      expect(row.knownPages).toBe(0);
      expect(row.unknownItems).toEqual(["brand-new"]);
      expect(Array.from(row.slots.items.subarray(0, row.slots.count)).sort()).toEqual([13, model.items.length].sort());
      // The embedding only ever sees ids below the model's page count: the new pages go in as <oov>.
      expect([...row.window, ...row.historyPages].every((p) => p < dims.pages)).toBe(true);
      expect(Array.from(row.window)).toEqual([PAGE_OOV, PAGE_OOV, PAGE_OOV]);
      for (const m of [model, tfjs]) {
        const [answer] = recommendBatch(m, [{ snapshot: snap, k: 5 }]);
        expect(answer, m.forward).toMatchObject({ source: "drnn", oov: true });
        // S-POP's start: the item viewed three times first, then the one viewed twice.
        expect(answer?.items.slice(0, 2).map((i) => i.item), m.forward).toEqual(["item13", "brand-new"]);
      }
    } finally {
      tfjs.retire();
    }
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
