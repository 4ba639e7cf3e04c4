// Closed sessions of the online loop (each one session's LogRecords, as the
// online sessionizer stored them) -> the sessionizer's Session with page and
// item ids from a lookup, cut before the first purchase by the same toSession
// that `data prepare` uses. A view's item only names what its page shows, as
// in prepare's first pass; carts and purchases carry the item.
import type { LogRecord } from "../record.js";
import { DEFAULT_DWELL, EVENT_CODE, toSession, type DwellOptions, type Session } from "../session.js";
import { splitBoundaries, temporalOrder, type SplitRatios } from "../split.js";

export interface ClosedSession {
  /** The source session id or user id the sessionizer keyed on. */
  key: string;
  /** Time order. */
  records: readonly LogRecord[];
}

export interface IdLookup {
  /** `itemId`: what the viewed page shows, when the record names it. */
  page(page: string, itemId: string | undefined): number;
  item(itemId: string): number;
}

export function sessionOf(s: ClosedSession, ids: IdLookup, dwell: DwellOptions = DEFAULT_DWELL): Session {
  const rows = [...s.records].sort((a, b) => a.timestamp - b.timestamp);
  const user = rows.find((r) => r.userId !== undefined && r.userId !== "")?.userId;
  return toSession(
    s.key,
    user,
    {
      timestamps: rows.map((r) => r.timestamp),
      events: rows.map((r) => EVENT_CODE[r.event]),
      pages: rows.map((r) => (r.event === "view" ? ids.page(r.page, r.itemId) : -1)),
      items: rows.map((r) => (r.event !== "view" && r.itemId !== undefined ? ids.item(r.itemId) : -1)),
    },
    dwell,
  );
}

/** The sessions that become samples (a purchase and a view before it), in time order, and where val and test start. */
export function purchaseSessionsInOrder(sessions: readonly Session[], split: SplitRatios): { order: Session[]; valFrom: number; testFrom: number } {
  const kept = sessions.filter((s) => s.bought.length > 0 && s.inputPages.length > 0);
  const order = Array.from(temporalOrder(kept.map((s) => s.start)), (i) => kept[i] as Session);
  return { order, ...splitBoundaries(order.length, split) };
}

/** The training period ends where the validation split's first purchase session starts (as in prepare). */
export function trainingPeriodEnd(order: readonly Session[], valFrom: number): number {
  return valFrom < order.length ? (order[valFrom]?.start ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY;
}
