// Graceful stop of an HTTP server on SIGTERM: stop accepting connections,
// let the requests already in flight finish (bounded by `graceMs`), then
// close what is left: idle keep-alive connections, and requests that never
// end by themselves (event streams) or outlived the grace period.
import type { Server } from "node:http";

export interface InFlight {
  /** Requests received and not yet answered. */
  readonly count: number;
}

/** Counts the server's requests in flight (attach before it listens). */
export function trackInFlight(server: Server): InFlight {
  let count = 0;
  server.on("request", (_req, res) => {
    count++;
    let done = false;
    const end = () => {
      if (done) return;
      done = true;
      count--;
    };
    res.once("finish", end);
    res.once("close", end);
  });
  return {
    get count() {
      return count;
    },
  };
}

export interface DrainResult {
  /** Requests waited for when the stop began. */
  inFlight: number;
  /** Of those, requests cut because they outlived the grace period. */
  cut: number;
  ms: number;
}

/** `pending()`: the requests worth waiting for (in flight, less endless streams). */
export async function drainServer(server: Server, pending: () => number, graceMs: number): Promise<DrainResult> {
  const started = Date.now();
  const atStart = pending();
  const closed = new Promise<void>((done) => server.close(() => done()));
  let cut = 0;
  await new Promise<void>((done) => {
    const tick = () => {
      const left = pending();
      if (left > 0 && Date.now() - started < graceMs) {
        // Connections between requests: closed as they go idle, so pooled clients do not hold the stop.
        server.closeIdleConnections();
        setTimeout(tick, 20);
        return;
      }
      cut = left;
      done();
    };
    tick();
  });
  server.closeAllConnections();
  await closed;
  return { inFlight: atStart, cut, ms: Date.now() - started };
}
