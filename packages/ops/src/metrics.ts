// Prometheus metrics (prom-client). Each process makes ONE registry with
// createMetricsRegistry and passes it to whatever records into it; prom-client's
// global default register is never used, so two services in one process (the
// api with its coordinator, tests) cannot mix their series. The series each
// part of the platform records are declared here, in one home, by name.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

export type { Registry } from "prom-client";

/** A registry with the process metrics (CPU, memory, event-loop lag, GC) of this process. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** Why an evaluation ended without a trained fitness (bounded: one label value per case). */
export type EvaluationFailure =
  /** The candidate cannot be trained (its chromosome, the dataset): failed at once. */
  | "permanent"
  /** The trainer threw; the queue retries it. */
  | "error-retried"
  /** The trainer threw on the last attempt: the candidate failed. */
  | "error-final"
  /** The worker stopped mid-job and handed the job back. */
  | "worker-shutdown"
  /** Trained, but scored 0 for a reason (NaN loss, out of memory, never settled). */
  | `zero-fitness:${string}`;

/** How an evaluation ended: "retried" and "handed-back" run again (a retry, another worker). */
export type EvaluationEnd = "completed" | "failed" | "cancelled" | "already-finished" | "retried" | "handed-back";

/** Evaluations on a worker, and the training throughput they measure, by backend. */
export class EvaluationMetrics {
  private readonly startedTotal: Counter<"backend">;
  private readonly finishedTotal: Counter<"backend" | "outcome">;
  private readonly failedTotal: Counter<"backend" | "reason">;
  private readonly epochSeconds: Histogram<"backend">;
  private readonly samplesPerSecond: Gauge<"backend">;
  private readonly samplesTotal: Counter<"backend">;

  constructor(registry: Registry) {
    const registers = [registry];
    this.startedTotal = new Counter({ name: "drnn_evaluations_started_total", help: "Fitness evaluations started (a training run began)", labelNames: ["backend"], registers });
    this.finishedTotal = new Counter({ name: "drnn_evaluations_finished_total", help: "Fitness evaluations ended, by how", labelNames: ["backend", "outcome"], registers });
    this.failedTotal = new Counter({ name: "drnn_evaluations_failed_total", help: "Fitness evaluations without a trained fitness, by reason", labelNames: ["backend", "reason"], registers });
    this.epochSeconds = new Histogram({
      name: "drnn_epoch_seconds",
      help: "Wall time of one training epoch",
      labelNames: ["backend"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900],
      registers,
    });
    this.samplesPerSecond = new Gauge({ name: "drnn_training_samples_per_second", help: "Training throughput of the newest epoch", labelNames: ["backend"], registers });
    this.samplesTotal = new Counter({ name: "drnn_training_samples_total", help: "Training samples processed (rate() of it is the throughput)", labelNames: ["backend"], registers });
  }

  started(backend: string): void {
    this.startedTotal.inc({ backend });
  }

  finished(backend: string, outcome: EvaluationEnd): void {
    this.finishedTotal.inc({ backend, outcome });
  }

  failed(backend: string, reason: EvaluationFailure): void {
    this.failedTotal.inc({ backend, reason });
  }

  epoch(backend: string, seconds: number, samplesPerSecond: number | undefined): void {
    this.epochSeconds.observe({ backend }, seconds);
    if (samplesPerSecond === undefined || !Number.isFinite(samplesPerSecond)) return;
    this.samplesPerSecond.set({ backend }, samplesPerSecond);
    this.samplesTotal.inc({ backend }, samplesPerSecond * seconds);
  }
}

/** The recommendation API: request latency by route and status, and the live sessions it keeps. */
export class ServingMetrics {
  private readonly duration: Histogram<"route" | "status">;

  constructor(registry: Registry, sessions: () => Promise<number>) {
    const registers = [registry];
    this.duration = new Histogram({
      name: "drnn_serving_request_duration_seconds",
      help: "Serving requests, from the first byte read to the answer written",
      labelNames: ["route", "status"],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    new Gauge({
      name: "drnn_serving_sessions",
      help: "Sessions held in the session store (Redis), counted at scrape time",
      registers,
      async collect() {
        this.set(await sessions());
      },
    });
  }

  /** Starts timing one request; call the result with the status once answered. */
  request(route: string): (status: number) => void {
    const end = this.duration.startTimer({ route });
    return (status) => void end({ status: String(status) });
  }
}

/** The coordinator: campaign runs in progress, from its scans. */
export class CoordinatorMetrics {
  private readonly runs: Gauge;
  private readonly dispatched: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.runs = new Gauge({ name: "drnn_coordinator_campaigns_running", help: "Campaigns this coordinator holds the lease of", registers });
    this.dispatched = new Counter({ name: "drnn_coordinator_campaign_runs_total", help: "Campaign runs started by this coordinator (a resume counts again)", registers });
  }

  runStarted(): void {
    this.runs.inc();
    this.dispatched.inc();
  }

  runEnded(): void {
    this.runs.dec();
  }
}
