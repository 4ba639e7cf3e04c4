// Implicit-feedback ALS (Hu, Koren and Volinsky 2008), the paper's CF
// comparison. Rows are training sessions, columns items; a view or purchase
// counts r, confidence 1 + alpha * r. A prefix is folded in as a new row
// against the fixed item factors, then items are ranked by x . y_i.
// "als-history" adds the user's purchases before the session to the row,
// which is the paper's "ALS with history"; without user ids they coincide.
// No maintained JavaScript ALS library exists (the npm ones are abandoned
// and dense), so this is the textbook algorithm with a k x k solve per row.
import { Rng } from "@drnn/contract";
import { topN, TOP_N, type Ranker } from "../metrics/index.js";
import { choleskySolve, gram } from "./linalg.js";
import type { SessionView } from "./session-view.js";

export interface AlsOptions {
  factors: number;
  iterations: number;
  regularization: number;
  alpha: number;
  withHistory: boolean;
  seed: number;
}

export const ALS_DEFAULTS: AlsOptions = { factors: 32, iterations: 10, regularization: 0.1, alpha: 20, withHistory: false, seed: 1 };

/** A sparse row: item -> count. */
type Row = Map<number, number>;

function addItems(row: Row, items: Iterable<number>): void {
  for (const item of items) if (item >= 0) row.set(item, (row.get(item) ?? 0) + 1);
}

function trainingRows(view: SessionView, withHistory: boolean): Row[] {
  return view.sessions("train").map((session) => {
    const row: Row = new Map();
    addItems(row, view.sessionItems(session));
    addItems(row, view.boughtItems(session));
    if (withHistory) addItems(row, view.historyItems(session));
    return row;
  });
}

/** One least-squares row update against fixed factors `other` with Gram matrix `g`. */
function solveRow(row: Row, other: Float64Array, g: Float64Array, o: AlsOptions, out: Float64Array, at: number): void {
  const k = o.factors;
  const a = g.slice();
  const b = new Float64Array(k);
  for (let i = 0; i < k; i++) a[i * k + i] = (a[i * k + i] ?? 0) + o.regularization;
  for (const [col, r] of row) {
    const c = o.alpha * r; // confidence minus one
    const base = col * k;
    for (let i = 0; i < k; i++) {
      const yi = other[base + i] ?? 0;
      b[i] = (b[i] ?? 0) + (1 + c) * yi;
      for (let j = 0; j < k; j++) a[i * k + j] = (a[i * k + j] ?? 0) + c * yi * (other[base + j] ?? 0);
    }
  }
  out.set(choleskySolve(a, b, k), at * k);
}

function transpose(rows: Row[], columns: number): Row[] {
  const cols: Row[] = Array.from({ length: columns }, () => new Map());
  rows.forEach((row, r) => row.forEach((v, c) => cols[c]?.set(r, v)));
  return cols;
}

export function fitAls(view: SessionView, options: Partial<AlsOptions> = {}) {
  const o = { ...ALS_DEFAULTS, ...options };
  const rows = trainingRows(view, o.withHistory);
  const cols = transpose(rows, view.itemCount);
  const rng = Rng.fromSeed(o.seed);
  const k = o.factors;
  const x = new Float64Array(rows.length * k);
  const y = Float64Array.from({ length: view.itemCount * k }, () => (rng.float() - 0.5) * 0.01);
  for (let it = 0; it < o.iterations; it++) {
    const gy = gram(y, view.itemCount, k);
    rows.forEach((row, r) => solveRow(row, y, gy, o, x, r));
    const gx = gram(x, rows.length, k);
    cols.forEach((col, c) => solveRow(col, x, gx, o, y, c));
  }
  return { itemFactors: y, gramY: gram(y, view.itemCount, k), options: o };
}

export function alsRanker(view: SessionView, options: Partial<AlsOptions> = {}): Ranker {
  const { itemFactors, gramY, options: o } = fitAls(view, options);
  const k = o.factors;
  const user = new Float64Array(k);
  const scores = new Float64Array(view.itemCount);
  const rankOne = (s: number): Int32Array => {
    const row: Row = new Map();
    addItems(row, view.prefixItems(s));
    if (o.withHistory) addItems(row, view.historyItems(view.dataset.columns.sampleSession[s] ?? 0));
    solveRow(row, itemFactors, gramY, o, user, 0);
    for (let i = 0; i < view.itemCount; i++) {
      let dot = 0;
      for (let f = 0; f < k; f++) dot += (user[f] ?? 0) * (itemFactors[i * k + f] ?? 0);
      scores[i] = dot;
    }
    return topN(scores, TOP_N);
  };
  return { rank: (samples) => Array.from(samples, rankOne) };
}
