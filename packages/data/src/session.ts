// One session cut out of the log, reduced to what the model learns from
// (DESIGN.md section 3): the pages viewed before the first purchase, their
// dwell times, and the set I of items bought.

/** Event codes in the compact columns (partition files, sessionizer). */
export const EVENT_CODE = { view: 0, cart: 1, buy: 2 } as const;

/** Time-ordered events of one session, as parallel columns (provisional ids). */
export interface SessionEvents {
  timestamps: ArrayLike<number>;
  events: ArrayLike<number>;
  /** Provisional page id, -1 for non-views. */
  pages: ArrayLike<number>;
  /** Provisional item id, -1 when the row names none. */
  items: ArrayLike<number>;
}

export interface Session {
  /** The source's session id, or the user id (+ "#n") where sessions were cut by the gap rule. */
  sourceId: string;
  userId: string | undefined;
  /** Timestamp of the first record, epoch ms. */
  start: number;
  /** All views in the session (it is a session only when this is > 0). */
  viewCount: number;
  /** Provisional page ids of the views before the first purchase, in time order. */
  inputPages: Int32Array;
  /** Dwell theta(p_t) in seconds for each input page. */
  dwell: Float32Array;
  /** Distinct provisional item ids bought in the session (the ground truth I). */
  bought: Int32Array;
}

export interface DwellOptions {
  /** Cap on a dwell time, ms (default 30 min): a long pause is not reading. */
  capMs: number;
  /** Dwell of a one-page input, where the session has no other dwell to take a median of. */
  fallbackMs: number;
}

export const DEFAULT_DWELL: DwellOptions = { capMs: 30 * 60_000, fallbackMs: 60_000 };

/**
 * The pre-purchase cut and the ground truth. Only views strictly before the
 * first buy are input, so nothing the user did after deciding leaks in.
 */
export function toSession(sourceId: string, userId: string | undefined, e: SessionEvents, dwell: DwellOptions = DEFAULT_DWELL): Session {
  const n = e.timestamps.length;
  let firstBuy = Number.POSITIVE_INFINITY;
  const bought: number[] = [];
  let viewCount = 0;
  for (let i = 0; i < n; i++) {
    const code = e.events[i];
    if (code === EVENT_CODE.view) viewCount++;
    if (code !== EVENT_CODE.buy) continue;
    firstBuy = Math.min(firstBuy, e.timestamps[i] ?? firstBuy);
    const item = e.items[i] ?? -1;
    if (item >= 0 && !bought.includes(item)) bought.push(item);
  }
  const pages: number[] = [];
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = e.timestamps[i] ?? 0;
    if (e.events[i] === EVENT_CODE.view && t < firstBuy) {
      pages.push(e.pages[i] ?? -1);
      times.push(t);
    }
  }
  return {
    sourceId,
    userId,
    start: e.timestamps[0] ?? 0,
    viewCount,
    inputPages: Int32Array.from(pages),
    dwell: dwellTimes(times, dwell),
    bought: Int32Array.from(bought),
  };
}

/**
 * theta(p_t) = time to the next page, capped; the last page, which has no
 * next page, gets the median of the session's other dwell times (taken over
 * the same float32 seconds knownDwell() reads, so both give the same value).
 */
export function dwellTimes(timestamps: readonly number[], options: DwellOptions = DEFAULT_DWELL): Float32Array {
  const n = timestamps.length;
  const out = new Float32Array(n);
  if (n === 0) return out;
  for (let t = 0; t + 1 < n; t++) {
    out[t] = Math.min(Math.max((timestamps[t + 1] ?? 0) - (timestamps[t] ?? 0), 0), options.capMs) / 1000;
  }
  out[n - 1] = standInDwell(out.subarray(0, n - 1), options);
  return out;
}

/** Dwell of the newest page, which is not known yet: the median of the known ones, or the fallback. */
export function standInDwell(known: ArrayLike<number>, options: DwellOptions = DEFAULT_DWELL): number {
  return known.length === 0 ? options.fallbackMs / 1000 : median(known);
}

/**
 * The dwell times as they are known after page p_{j-1} of a session: theta of
 * p_0..p_{j-2} (each ended by the click that followed it) and the stand-in for
 * the newest page, whose next click has not happened. Features of a prefix
 * sample come from this, never from the session's later records, so training
 * sees what serving sees on a live session (dwellTimes of the views so far).
 */
export function knownDwell(dwell: ArrayLike<number>, j: number, options: DwellOptions = DEFAULT_DWELL): Float32Array {
  const out = new Float32Array(j);
  for (let t = 0; t + 1 < j; t++) out[t] = dwell[t] ?? 0;
  if (j > 0) out[j - 1] = standInDwell(out.subarray(0, j - 1), options);
  return out;
}

export function median(values: ArrayLike<number>): number {
  // A typed array sorts numerically without a comparator callback (the serving path runs this per page view).
  const s = Float64Array.from(values).sort();
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}
