// GET /api/campaigns/:id/events: server-sent events of one campaign. The
// first event is `ready` (the feed's baseline is taken: fetch the REST
// snapshot after it and nothing falls between the two).
import type { LiveFeeds } from "../live.js";
import { route, type RouteDef } from "../types.js";
import { IdParam } from "./params.js";

export function eventRoutes(feeds: LiveFeeds): RouteDef[] {
  return [
    route({
      method: "get",
      path: "/api/campaigns/:id/events",
      scope: "read",
      tag: "campaigns",
      summary: "Server-sent events: ready, epoch, candidate, generation, campaign",
      stream: async ({ deps, params }, req, res) => {
        const { id } = IdParam.parse(params);
        await deps.repos.campaigns.get(id);
        res.writeHead(200, { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache, no-transform", Connection: "keep-alive", "X-Accel-Buffering": "no" });
        res.flushHeaders();
        const send = (type: string, data: unknown) => res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
        const unsubscribe = await feeds.subscribe(id, (e) => send(e.type, e.data));
        send("ready", { campaignId: id });
        const keepAlive = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
        req.on("close", () => {
          clearInterval(keepAlive);
          unsubscribe();
        });
      },
    }),
  ];
}
