// A hand-made in-memory dataset for tests: every item has two pages that show
// it, each session views pages of the item it ends up buying (plus noise
// pages), so a model that reads the pages can learn the purchase exactly.
import { Rng } from "@drnn/contract";
import { prefixSamples, type Dataset, type DatasetManifest, type SplitRange } from "@drnn/data";

export interface TinyOptions {
  items?: number;
  sessions?: number;
  window?: number;
  seed?: number;
  /** Sessions longer than the window, so the history state is exercised. */
  maxLength?: number;
  /** Give sessions users with purchase histories (FNN input). */
  users?: boolean;
  /** The generator's items N (default: all); items from N on are reachable only through the copy slots. */
  generatorItems?: number;
  /** Share of pages that show another item than the one bought (default 0): S-POP's count then misleads, the newest page does not. */
  distractors?: number;
}

interface Session {
  pages: number[];
  dwell: number[];
  item: number;
  user: number;
}

const NOISE_PAGES = 3;

function makeSessions(o: Required<TinyOptions>): { sessions: Session[]; pageItems: Int32Array; pageCount: number } {
  const rng = Rng.fromSeed(o.seed);
  // Pages 0/1 are <pad>/<oov>; then two pages per item, then a few pages that show no item.
  const pageCount = 2 + 2 * o.items + NOISE_PAGES;
  const pageItems = new Int32Array(pageCount).fill(-1);
  for (let i = 0; i < o.items; i++) {
    pageItems[2 + 2 * i] = i;
    pageItems[3 + 2 * i] = i;
  }
  const sessions: Session[] = [];
  for (let s = 0; s < o.sessions; s++) {
    const item = rng.int(0, o.items - 1);
    const length = 1 + rng.int(0, o.maxLength - 1);
    const page = (): number => {
      if (rng.bernoulli(0.25)) return 2 + 2 * o.items + rng.int(0, NOISE_PAGES - 1);
      const shown = rng.bernoulli(o.distractors) ? rng.int(0, o.items - 1) : item;
      return 2 + 2 * shown + rng.int(0, 1);
    };
    const pages = Array.from({ length }, page);
    // The newest page always shows the item, so the last state can always tell.
    pages[length - 1] = 2 + 2 * item + rng.int(0, 1);
    sessions.push({ pages, dwell: pages.map(() => 5 + rng.int(0, 119)), item, user: o.users ? rng.int(0, 3) : -1 });
  }
  return { sessions, pageItems, pageCount };
}

export function tinyDataset(options: TinyOptions = {}): Dataset {
  const o: Required<TinyOptions> = { items: 6, sessions: 120, window: 3, seed: 7, maxLength: 6, users: false, generatorItems: options.items ?? 6, distractors: 0, ...options };
  const { sessions, pageItems, pageCount } = makeSessions(o);
  const col = { session: [] as number[], prefix: [] as number[], window: [] as number[], dwell: [] as number[], hOff: [0], hPages: [] as number[], hWeights: [] as number[] };
  const sampleOffsets = [0];
  const purchaseOffsets = [0];
  const purchaseItems: number[] = [];
  const bought = new Map<number, number[]>();
  sessions.forEach((s, i) => {
    for (const p of prefixSamples(s.pages, s.dwell, o.window)) {
      col.session.push(i);
      col.prefix.push(p.prefix);
      col.window.push(...p.window);
      col.dwell.push(...p.dwell);
      col.hPages.push(...p.history.pages);
      col.hWeights.push(...p.history.weights);
      col.hOff.push(col.hPages.length);
    }
    sampleOffsets.push(col.session.length);
    const before = s.user >= 0 ? (bought.get(s.user) ?? []) : [];
    purchaseItems.push(...before);
    purchaseOffsets.push(purchaseItems.length);
    if (s.user >= 0) bought.set(s.user, [...before, s.item]);
  });
  const n = sessions.length;
  const cut = (a: number, b: number): SplitRange => ({ sessions: [a, b], samples: [sampleOffsets[a] ?? 0, sampleOffsets[b] ?? 0] });
  const v = Math.round(n * 0.6);
  const t = Math.round(n * 0.8);
  const manifest = {
    kind: "drnn-dataset",
    version: 2,
    options: { window: o.window },
    pageVocabulary: pageCount,
    itemVocabulary: o.generatorItems,
    rankableItems: o.items,
    samples: col.session.length,
    splits: { train: cut(0, v), val: cut(v, t), test: cut(t, n) },
    contentHash: `tiny-${o.seed}`,
  } as unknown as DatasetManifest;
  return {
    dir: "(memory)",
    manifest,
    columns: {
      sampleSession: Int32Array.from(col.session),
      samplePrefix: Int32Array.from(col.prefix),
      sampleWindow: Int32Array.from(col.window),
      sampleDwell: Float32Array.from(col.dwell),
      historyOffsets: Int32Array.from(col.hOff),
      historyPages: Int32Array.from(col.hPages),
      historyWeights: Float32Array.from(col.hWeights),
      sessionStart: Float64Array.from(sessions.map((_, i) => i * 1000)),
      sessionSplit: Uint8Array.from(sessions.map((_, i) => (i < v ? 0 : i < t ? 1 : 2))),
      sessionUser: Int32Array.from(sessions.map((s) => s.user)),
      sessionLength: Int32Array.from(sessions.map((s) => s.pages.length)),
      sampleOffsets: Int32Array.from(sampleOffsets),
      targetOffsets: Int32Array.from(sessions.map((_, i) => i).concat(n)),
      targetItems: Int32Array.from(sessions.map((s) => s.item)),
      purchaseOffsets: Int32Array.from(purchaseOffsets),
      purchaseItems: Int32Array.from(purchaseItems),
      pageItems,
      sessionPageOffsets: Int32Array.from([0, ...cumulative(sessions.map((s) => s.pages.length))]),
      sessionPages: Int32Array.from(sessions.flatMap((s) => s.pages)),
      sessionDwell: Float32Array.from(sessions.flatMap((s) => s.dwell)),
      ...trainCounts(sessions.slice(0, v), pageItems, o.items),
    },
    pages: Array.from({ length: pageCount }, (_, i) => `page-${i}`),
    items: Array.from({ length: o.items }, (_, i) => `item-${i}`),
    users: o.users ? ["u0", "u1", "u2", "u3"] : [],
    sessionIds: sessions.map((_, i) => `s${i}`),
  };
}

function cumulative(lengths: number[]): number[] {
  let sum = 0;
  return lengths.map((n) => (sum += n));
}

/** Views and purchases per item over the training sessions (the candidate set's counts). */
function trainCounts(train: Session[], pageItems: Int32Array, items: number): { itemTrainViews: Int32Array; itemTrainBuys: Int32Array } {
  const views = new Int32Array(items);
  const buys = new Int32Array(items);
  for (const s of train) {
    for (const p of s.pages) {
      const item = pageItems[p] ?? -1;
      if (item >= 0) views[item] = (views[item] ?? 0) + 1;
    }
    buys[s.item] = (buys[s.item] ?? 0) + 1;
  }
  return { itemTrainViews: views, itemTrainBuys: buys };
}

/**
 * Share of a split's samples whose prefix shows any item page: the best
 * accuracy any model can reach, since a prefix of noise pages says nothing.
 */
export function knowableShare(d: Dataset, split: "train" | "val" | "test"): number {
  const [from, to] = d.manifest.splits[split].samples;
  const k = d.manifest.options.window;
  const c = d.columns;
  let knowable = 0;
  for (let s = from; s < to; s++) {
    const pages = [...c.sampleWindow.subarray(s * k, (s + 1) * k), ...c.historyPages.subarray(c.historyOffsets[s] ?? 0, c.historyOffsets[s + 1] ?? 0)];
    if (pages.some((p) => p > 1 && (c.pageItems[p] ?? -1) >= 0)) knowable++;
  }
  return knowable / Math.max(1, to - from);
}
