// Event streams that clients leave early, at every stage of the request
// (token check, campaign lookup, feed baseline, after `ready`), must leave
// nothing behind: no listener, no database polling, no keep-alive timer.
// And one token cannot hold more than its share of streams.
import { request, type IncomingMessage } from "node:http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openTestApi, type TestApi } from "./testing.js";

let api: TestApi;
let roomy: TestApi;
beforeAll(async () => {
  api = await openTestApi(inject("databaseUrl"), { sseMaxPerToken: 3 });
  roomy = await openTestApi(inject("databaseUrl"), { sseMaxPerToken: 100 });
});
afterAll(async () => {
  await api?.close();
  await roomy?.close();
});

const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

/** One stream request; resolves when its connection is gone. */
function openAndLose(on: TestApi, path: string, token: string): Promise<void> {
  return new Promise((resolve) => {
    const { hostname, port } = new URL(on.url);
    const req = request({ hostname, port, path, headers: { authorization: `Bearer ${token}` } });
    req.on("error", () => resolve());
    req.on("close", () => resolve());
    req.end();
  });
}

async function campaign(on: TestApi = api): Promise<string> {
  const c = await on.repos.campaigns.create({ datasetId: on.datasetId, strategy: "random", searchSpace: {}, gaSettings: {}, seed: 1n, budget: 1 });
  return c.id;
}

describe("event streams", () => {
  it("leave no listener, feed or timer behind when 50 clients drop early", async () => {
    const id = await campaign(roomy);
    const before = timeouts();
    // The connection goes 0 to 49 ms into each request: during the token check, the
    // campaign lookup, the feed's baseline, or after `ready`.
    let handled = 0;
    const lose = (req: IncomingMessage) => setTimeout(() => req.socket.destroy(), handled++);
    roomy.server.on("request", lose);
    await Promise.all(Array.from({ length: 50 }, (_, i) => openAndLose(roomy, `/api/campaigns/${id}/events`, i % 2 === 0 ? roomy.readToken : roomy.writeToken)));
    roomy.server.off("request", lose);
    expect(handled).toBe(50);
    // The connections are gone; a handler may still be inside its awaits. Give each time to run to its end.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(roomy.liveStats()).toEqual({ feeds: 0, listeners: 0 });
    // At most one idle timer per pooled database connection (6) may have appeared; a keep-alive per dropped stream may not.
    expect(timeouts()).toBeLessThanOrEqual(before + 6);
    // The per-token count came back down too: a full set of streams opens again.
    const streams = await Promise.all([0, 1, 2].map(() => fetch(`${roomy.url}/api/campaigns/${id}/events`, { headers: { authorization: `Bearer ${roomy.readToken}` } })));
    expect(streams.map((r) => r.status)).toEqual([200, 200, 200]);
    for (const r of streams) await r.body?.cancel();
    await expect.poll(() => roomy.liveStats(), { timeout: 5_000 }).toEqual({ feeds: 0, listeners: 0 });
  });

  it("answers 429 past the per-token maximum, and frees a place when a stream closes", async () => {
    const id = await campaign();
    const open = () => fetch(`${api.url}/api/campaigns/${id}/events`, { headers: { authorization: `Bearer ${api.readToken}` } });
    const streams = [await open(), await open(), await open()];
    expect(streams.map((r) => r.status)).toEqual([200, 200, 200]);
    const refused = await open();
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("TOO_MANY_REQUESTS");
    // Another token is not affected.
    const other = await fetch(`${api.url}/api/campaigns/${id}/events`, { headers: { authorization: `Bearer ${api.writeToken}` } });
    expect(other.status).toBe(200);
    await other.body?.cancel();
    await streams.pop()?.body?.cancel();
    await expect.poll(async () => {
      const r = await open();
      await r.body?.cancel();
      return r.status;
    }, { timeout: 5_000 }).toBe(200);
    for (const r of streams) await r.body?.cancel();
    await expect.poll(() => api.liveStats(), { timeout: 5_000 }).toEqual({ feeds: 0, listeners: 0 });
  });
});
