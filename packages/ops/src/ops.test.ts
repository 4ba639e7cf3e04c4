// The operator's pieces without services: log lines carry the ids bound to
// them, series land in the registry they were given (never prom-client's
// global one), readiness names the failing check, and a drained server
// lets a request in flight finish but cuts one past the grace period.
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { register as globalRegister } from "prom-client";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.js";
import { createMetricsRegistry, EvaluationMetrics, ServingMetrics } from "./metrics.js";
import { renderMetrics } from "./metrics-http.js";
import { checkReadiness } from "./readiness.js";
import { drainServer, trackInFlight } from "./drain.js";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split("\n")) if (l.trim() !== "") lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { lines, destination };
}

describe("logger", () => {
  it("writes JSON lines with the process name and the child's bound ids, at the configured level", () => {
    const { lines, destination } = capture();
    const root = createLogger({ name: "drnn-worker", level: "info", destination });
    const job = root.child({ workerId: "w1" }).child({ jobId: "c.h", candidateId: "cand", campaignId: "camp" });
    job.debug("not at info");
    job.info("epoch done");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ name: "drnn-worker", level: 30, msg: "epoch done", workerId: "w1", jobId: "c.h", candidateId: "cand", campaignId: "camp" });
  });
});

describe("metrics", () => {
  it("records into the registry passed in and not into prom-client's global register", async () => {
    const registry = createMetricsRegistry();
    const evaluations = new EvaluationMetrics(registry);
    const serving = new ServingMetrics(registry, async () => 7);
    evaluations.started("wasm");
    evaluations.epoch("wasm", 2, 500);
    evaluations.failed("wasm", "worker-shutdown");
    serving.request("/v1/page-views")(200);
    const text = await renderMetrics({ registry, sources: [async () => "bullmq_job_count{queue=\"fitness\", state=\"waiting\"} 3", async () => Promise.reject(new Error("Redis away"))] });
    expect(text).toContain('drnn_evaluations_started_total{backend="wasm"} 1');
    expect(text).toContain('drnn_training_samples_total{backend="wasm"} 1000');
    expect(text).toContain('drnn_epoch_seconds_bucket{le="2.5",backend="wasm"} 1');
    expect(text).toContain('drnn_evaluations_failed_total{backend="wasm",reason="worker-shutdown"} 1');
    expect(text).toMatch(/drnn_serving_request_duration_seconds_count\{route="\/v1\/page-views",status="200"\} 1/);
    expect(text).toContain("drnn_serving_sessions 7");
    expect(text).toContain("process_cpu_seconds_total");
    expect(text).toContain('bullmq_job_count{queue="fitness", state="waiting"} 3');
    expect(await globalRegister.getMetricsAsJSON()).toEqual([]);
    // A second process-like registry starts from zero: nothing is shared.
    expect(await createMetricsRegistry().getSingleMetricAsString("process_cpu_seconds_total")).toContain("process_cpu_seconds_total");
    expect(await createMetricsRegistry().getSingleMetric("drnn_evaluations_started_total")).toBeUndefined();
  });
});

describe("readiness", () => {
  it("is ready only when every check passes, naming the one that failed or hung", async () => {
    expect(await checkReadiness({ a: async () => undefined })).toEqual({ ready: true, checks: { a: null } });
    const r = await checkReadiness({ ok: async () => undefined, down: async () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:1\n  at stack")), hung: () => new Promise(() => undefined) }, 100);
    expect(r).toEqual({ ready: false, checks: { ok: null, down: "connect ECONNREFUSED 127.0.0.1:1", hung: "no answer within 100 ms" } });
  });
});

describe("drainServer", () => {
  it("stops accepting, lets a request in flight finish within the grace period, and cuts one that outlives it", async () => {
    const server = createServer((req, res) => void setTimeout(() => res.end("done"), req.url === "/slow" ? 5000 : 300));
    const inFlight = trackInFlight(server);
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    const { port } = server.address() as AddressInfo;
    const get = (path: string) =>
      new Promise<string>((resolve) => {
        request({ port, host: "127.0.0.1", path }, (res) => {
          let body = "";
          res.on("data", (c: Buffer) => (body += c.toString()));
          res.on("end", () => resolve(body));
          res.on("error", () => resolve("cut"));
        })
          .on("error", (err) => resolve(`error: ${(err as NodeJS.ErrnoException).code ?? err.message}`))
          .end();
      });
    const quick = get("/quick");
    const slow = get("/slow");
    await expect.poll(() => inFlight.count).toBe(2);
    const drained = drainServer(server, () => inFlight.count, 1000);
    await new Promise((r) => setTimeout(r, 50));
    expect(await get("/late")).toMatch(/^error: ECONNREFUSED/);
    expect(await quick).toBe("done");
    const result = await drained;
    expect(await slow).not.toBe("done");
    expect(result.inFlight).toBe(2);
    expect(result.cut).toBe(1);
    expect(result.ms).toBeGreaterThanOrEqual(1000);
    expect(result.ms).toBeLessThan(2500);
  });
});
