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
  if (text.length === 24) {
    const fast = parseIsoMillisZ(text);
    if (!Number.isNaN(fast)) return fast;
  }
  if (text.length === 0) return Number.NaN;
  // A plain number is epoch milliseconds (the documented unit).
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const m = ISO.exec(text);
  if (m === null) return Number.NaN;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  // Date.UTC rolls month 13 or hour 25 over into the next one: out-of-range fields are refused instead.
  if (!validClock(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0))) return Number.NaN;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
  if (frac !== undefined) ms += Math.round(Number(`0.${frac}`) * 1000);
  if (zone !== undefined && zone !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const zh = Number(digits.slice(0, 2));
    const zm = Number(digits.slice(2));
    // Real offsets run from -12:00 to +14:00.
    if (zh > 14 || zm > 59) return Number.NaN;
    ms -= sign * (zh * 60 + zm) * 60_000;
  }
  return ms;
}

export function isValidTimestamp(ms: number): boolean {
  return Number.isFinite(ms) && ms >= 0;
}

/** Epoch-ms bounds a record's timestamp must lie in (from inclusive, to exclusive); outside them it is a bad record. */
export interface TimestampRange {
  from: number;
  to: number;
}

/** 1990 to 2100: a log from outside that is a unit mix-up or corrupt (1e308, negative). */
export const DEFAULT_TIMESTAMP_RANGE: TimestampRange = { from: Date.UTC(1990, 0, 1), to: Date.UTC(2100, 0, 1) };

export function inTimestampRange(ms: number, range: TimestampRange = DEFAULT_TIMESTAMP_RANGE): boolean {
  return Number.isFinite(ms) && ms >= range.from && ms < range.to;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function validClock(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 60;
}

/** Digits of s[from, to) as a number, or -1 if any is not a digit. */
function digits(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

/** The exact shape of YOOCHOOSE's timestamps, `YYYY-MM-DDTHH:MM:SS.mmmZ`, without a regex. */
function parseIsoMillisZ(t: string): number {
  if (t[4] !== "-" || t[7] !== "-" || t[10] !== "T" || t[13] !== ":" || t[16] !== ":" || t[19] !== "." || t[23] !== "Z") return Number.NaN;
  const y = digits(t, 0, 4), mo = digits(t, 5, 7), d = digits(t, 8, 10);
  const h = digits(t, 11, 13), mi = digits(t, 14, 16), s = digits(t, 17, 19), ms = digits(t, 20, 23);
  if (y < 0 || ms < 0 || !validClock(y, mo, d, h, mi, s)) return Number.NaN;
  return (((daysFromCivil(y, mo, d) * 24 + h) * 60 + mi) * 60 + s) * 1000 + ms;
}
