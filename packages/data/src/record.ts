// The one log record every reader maps its format onto (DESIGN.md section 3).
// A shop's own export in the `jsonl`/`csv` formats is exactly this shape.

export type EventKind = "view" | "cart" | "buy";

export interface LogRecord {
  /** Who; absent for anonymous logs (YOOCHOOSE). */
  userId?: string | undefined;
  /** The source's own session id, kept as given when present. */
  sessionId?: string | undefined;
  /** Epoch milliseconds, UTC. */
  timestamp: number;
  /** URL or page id; for item pages usually the item id. Empty for buy/cart rows. */
  page: string;
  event: EventKind;
  /** The item a view's page shows, or the item carted or bought. */
  itemId?: string | undefined;
}

/** A line the reader could not turn into a record; the run goes on. */
export interface BadRecord {
  file: string;
  line: number;
  reason: string;
}

export type RecordSink = (record: LogRecord) => void;
export type BadRecordSink = (bad: BadRecord) => void;

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * ISO-8601 or epoch milliseconds to epoch ms; NaN when it is neither.
 * A hand parser because Date.parse dominated the YOOCHOOSE read time.
 */
export function parseTimestamp(text: string): number {
  if (text.length === 0) return Number.NaN;
  // A plain number is epoch milliseconds (the documented unit).
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const m = ISO.exec(text);
  if (m === null) return Number.NaN;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
  if (frac !== undefined) ms += Math.round(Number(`0.${frac}`) * 1000);
  if (zone !== undefined && zone !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return ms;
}

export function isValidTimestamp(ms: number): boolean {
  return Number.isFinite(ms) && ms >= 0;
}
