// GET /metrics in Prometheus's text format: the process's registry plus text
// from sources that render their own (BullMQ's exportPrometheusMetrics for a
// queue's job counts). Mounted on the api and serve apps; worker and
// coordinator get a small server of their own on --metrics-port.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import type { Logger } from "./logger.js";
import { reasonOf } from "./logger.js";

/** Extra exposition text (already in Prometheus format), rendered at scrape time. */
export type MetricsSource = () => Promise<string>;

export interface MetricsEndpoint {
  registry: Registry;
  sources?: readonly MetricsSource[];
}

export async function renderMetrics(e: MetricsEndpoint): Promise<string> {
  const parts = [await e.registry.metrics()];
  // A source that fails (Redis away) leaves its series out of this scrape; the rest still answers.
  const extra = await Promise.allSettled((e.sources ?? []).map((s) => s()));
  for (const r of extra) if (r.status === "fulfilled" && r.value.trim() !== "") parts.push(r.value.endsWith("\n") ? r.value : `${r.value}\n`);
  return parts.join("");
}

/** A node:http (and Express) handler answering the scrape. */
export function metricsHandler(e: MetricsEndpoint): (req: IncomingMessage, res: ServerResponse) => void {
  return (_req, res) => {
    renderMetrics(e).then(
      (text) => {
        res.writeHead(200, { "content-type": e.registry.contentType });
        res.end(text);
      },
      (err: unknown) => {
        res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
        res.end(`metrics: ${reasonOf(err)}\n`);
      },
    );
  };
}

export interface MetricsServer {
  readonly url: string;
  close(): Promise<void>;
}

/** GET /metrics (and /healthz) on a port of its own, for processes with no HTTP API. */
export async function startMetricsServer(e: MetricsEndpoint & { port: number; host?: string; logger?: Logger }): Promise<MetricsServer> {
  const handle = metricsHandler(e);
  const server: Server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/metrics") return handle(req, res);
    if (req.method === "GET" && req.url === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" });
      return void res.end('{"ok":true}');
    }
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    res.end("GET /metrics or /healthz\n");
  });
  const host = e.host ?? "127.0.0.1";
  await new Promise<void>((ok, fail) => server.once("listening", ok).once("error", fail).listen(e.port, host));
  const url = `http://${host}:${(server.address() as AddressInfo).port}/metrics`;
  e.logger?.info({ url }, "metrics endpoint listening");
  return {
    url,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
