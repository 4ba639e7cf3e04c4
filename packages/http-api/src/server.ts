// The one way to put the API on a port: apps/api's entry point, `drnn api`
// and the tests all start it here, so the defaults below have one home.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
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
}

export interface RunningApi {
  url: string;
  server: Server;
  /** Open live streams and feeds (for tests). */
  liveStats: Api["liveStats"];
  /** Ends live feeds and open connections, then the server. */
  close(): Promise<void>;
}

export async function startApiServer(o: ApiServerOptions): Promise<RunningApi> {
  const { port, host = "127.0.0.1", config, ...deps } = o;
  const api = createApi({ ...deps, config: { ...API_DEFAULTS, ...config } });
  const server = api.app.listen(port, host);
  await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${bound}`,
    server,
    liveStats: () => api.liveStats(),
    close: async () => {
      api.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
