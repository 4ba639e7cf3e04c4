// The one way to put the API on a port: apps/api's entry point, `drnn api`
// and the tests all start it here, so the defaults below have one home.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { drainServer, trackInFlight } from "@drnn/ops";
import { createApi, type Api } from "./app.js";
import type { ApiConfig, ApiDeps } from "./types.js";

/** Settings an entry point may leave out. */
export const API_DEFAULTS = {
  bodyLimit: "256kb",
  /** How often live streams look for new rows. */
  ssePollMs: 250,
  /** A worker silent for longer is shown as not alive (a heartbeat is every few seconds). */
  workerLivenessMs: 30_000,
} as const;

export interface ApiServerOptions extends Omit<ApiDeps, "config"> {
  config: Omit<ApiConfig, keyof typeof API_DEFAULTS> & Partial<Pick<ApiConfig, keyof typeof API_DEFAULTS>>;
  port: number;
  host?: string;
  /** On close, how long requests in flight may finish (event streams are not waited for); default 0. */
  drainMs?: number;
}

export interface RunningApi {
  url: string;
  server: Server;
  /** Open live streams and feeds (for tests). */
  liveStats: Api["liveStats"];
  /** Stops accepting, lets requests in flight finish (drainMs), then ends live feeds and the connections left. */
  close(): Promise<void>;
}

export async function startApiServer(o: ApiServerOptions): Promise<RunningApi> {
  const { port, host = "127.0.0.1", config, drainMs = 0, ...deps } = o;
  const api = createApi({ ...deps, config: { ...API_DEFAULTS, ...config } });
  const server = api.app.listen(port, host);
  const inFlight = trackInFlight(server);
  await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${bound}`,
    server,
    liveStats: () => api.liveStats(),
    close: async () => {
      deps.logger?.info({ drainMs }, "api stopping: no new connections; requests in flight may finish");
      const drained = await drainServer(server, () => Math.max(0, inFlight.count - api.liveStats().listeners), drainMs);
      api.close();
      deps.logger?.info(drained, "api stopped");
    },
  };
}
