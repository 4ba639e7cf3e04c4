// GET /api/campaigns/:id/events: server-sent events of one campaign. The
// first event is `ready` (the feed's baseline is taken: fetch the REST
// snapshot after it and nothing falls between the two).
// The close handler is registered before anything is awaited: a client that
// leaves during the token check, the campaign lookup or the baseline must
// not leave a listener, a keep-alive timer and database polling behind.
import type { Request, Response } from "express";
import { ApiError } from "../errors.js";
import type { LiveFeeds } from "../live.js";
import { route, type HandlerContext, type RouteDef } from "../types.js";
import { IdParam } from "./params.js";

/** Streams open at once per token (or per anonymous reader, when reads are open). */
export const DEFAULT_STREAMS_PER_TOKEN = 16;

class StreamCounter {
  private readonly open = new Map<string, number>();
  constructor(private readonly max: number) {}

  /** A release function, or null when `key` is at the maximum. */
  take(key: string): (() => void) | null {
    const n = this.open.get(key) ?? 0;
    if (n >= this.max) return null;
    this.open.set(key, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(key) ?? 1) - 1;
      if (left <= 0) this.open.delete(key);
      else this.open.set(key, left);
    };
  }
}

async function stream(feeds: LiveFeeds, counter: StreamCounter, { deps, params, token }: HandlerContext, _req: Request, res: Response): Promise<void> {
  const { id } = IdParam.parse(params);
  const release = counter.take(token?.id ?? "(open reads)");
  if (!release) throw new ApiError("TOO_MANY_REQUESTS", `at most ${deps.config.sseMaxPerToken ?? DEFAULT_STREAMS_PER_TOKEN} event streams at once per token`);
  // Filled in as the stream gets going; cleanup undoes whatever is there.
  const held: { unsubscribe?: () => void; keepAlive?: NodeJS.Timeout } = {};
  let closed = false;
  const cleanup = () => {
    closed = true;
    clearInterval(held.keepAlive);
    held.unsubscribe?.();
    delete held.unsubscribe;
    release();
  };
  // 'close' on the response fires when the connection goes, whenever that is.
  res.once("close", cleanup);
  if (res.closed || res.destroyed) return cleanup();
  try {
    await deps.repos.campaigns.get(id);
  } catch (err) {
    cleanup();
    throw err;
  }
  if (closed) return;
  res.writeHead(200, { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache, no-transform", Connection: "keep-alive", "X-Accel-Buffering": "no" });
  res.flushHeaders();
  const send = (type: string, data: unknown) => res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  const off = await feeds.subscribe(id, (e) => send(e.type, e.data));
  if (closed) return off();
  held.unsubscribe = off;
  send("ready", { campaignId: id });
  held.keepAlive = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
}

export function eventRoutes(feeds: LiveFeeds, maxPerToken = DEFAULT_STREAMS_PER_TOKEN): RouteDef[] {
  const counter = new StreamCounter(maxPerToken);
  return [
    route({
      method: "get",
      path: "/api/campaigns/:id/events",
      scope: "read",
      tag: "campaigns",
      summary: "Server-sent events: ready, epoch, candidate, generation, campaign",
      stream: (ctx, req, res) => stream(feeds, counter, ctx, req, res),
    }),
  ];
}
