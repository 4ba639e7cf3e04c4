// Carts and purchases for the online loop, next to page views:
//   POST /v1/events  {sessionId, userId?, event: "cart" | "buy", itemId, timestamp?}
// The event goes to the ingest sink (the online sessionizer and PostgreSQL)
// and the answer comes once it is stored, so an acknowledged event is never
// lost. A malformed body gets 400 naming the field; a server that does not
// ingest, or whose store failed, answers 503 with the reason.
import { z } from "zod";
import type { LogRecord } from "@drnn/data";
import { timestampOf, unavailable, validationFailed, type Answer } from "./answers.js";
import { EventStoreUnavailableError } from "./errors.js";

const id = z.string().min(1).max(200);
/** Epoch milliseconds or an ISO-8601 date-time; default: the server's clock. */
export const eventTimestamp = z.union([z.number().finite().nonnegative(), z.iso.datetime({ offset: true })]);

export const shopEventBody = z.strictObject({
  sessionId: id,
  userId: id.optional(),
  /** "buy" is a purchase, as in the log formats. */
  event: z.enum(["cart", "buy"]),
  itemId: id,
  timestamp: eventTimestamp.optional(),
});
export type ShopEventBody = z.infer<typeof shopEventBody>;

/** Where served events go: resolves once the record is durably stored. */
export interface EventSink {
  record(record: LogRecord): Promise<void>;
}

/** Takes one record to the sink; a failure becomes the 503 answer (null: stored). */
export async function recordEvent(sink: EventSink | undefined, record: LogRecord): Promise<Answer | null> {
  if (sink === undefined) return unavailable(new EventStoreUnavailableError("this server does not ingest events (started with --no-ingest, or without a database)"));
  try {
    await sink.record(record);
    return null;
  } catch (err) {
    return unavailable(new EventStoreUnavailableError(`the event store failed: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`));
  }
}

export async function shopEvent(sink: EventSink | undefined, raw: unknown, now: () => number): Promise<Answer> {
  const parsed = shopEventBody.safeParse(raw);
  if (!parsed.success) return validationFailed(parsed.error);
  const b = parsed.data;
  const record: LogRecord = { sessionId: b.sessionId, userId: b.userId, timestamp: timestampOf(b.timestamp, now), page: "", event: b.event, itemId: b.itemId };
  const failed = await recordEvent(sink, record);
  if (failed !== null) return failed;
  return { status: 200, body: { stored: true, sessionId: b.sessionId, event: b.event, itemId: b.itemId, timestamp: record.timestamp } };
}
