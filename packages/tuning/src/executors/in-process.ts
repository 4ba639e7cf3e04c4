// The in-process backend for one machine: a bounded pool of evaluations in
// this process (training itself runs in worker threads inside the trainer).
// Same contract as BullMQ: dedupe by (campaign, hash), retries with the same
// attempt rule, results written by evaluateCandidate.
import { isDatabaseUnavailable } from "@drnn/db";
import type { FitnessJobPayload, JobStatus } from "@drnn/queue";
import { evaluateCandidate, isPermanentFailure, type EvaluationDeps } from "../evaluation/evaluate-candidate.js";
import type { FitnessExecutor } from "./executor.js";

export interface InProcessOptions {
  deps: Omit<EvaluationDeps, "signal">;
  concurrency: number;
  attempts: number;
  onError?: (err: unknown, payload: FitnessJobPayload) => void;
}

export class InProcessExecutor implements FitnessExecutor {
  readonly kind = "in-process";
  private readonly waiting: { payload: FitnessJobPayload; attempt: number }[] = [];
  /** Each submitted evaluation's job: pending until it finishes, then how it ended. */
  private readonly jobs = new Map<string, JobStatus>();
  private readonly running = new Set<Promise<void>>();
  private readonly shutdown = new AbortController();

  constructor(private readonly options: InProcessOptions) {}

  async submit(payload: FitnessJobPayload): Promise<void> {
    const key = keyOf(payload);
    if (this.jobs.get(key)?.state === "pending" || this.shutdown.signal.aborted) return;
    this.jobs.set(key, { state: "pending" });
    this.waiting.push({ payload, attempt: 1 });
    this.pump();
  }

  async status(payload: FitnessJobPayload): Promise<JobStatus> {
    return this.jobs.get(keyOf(payload)) ?? { state: "missing" };
  }

  async close(): Promise<void> {
    this.shutdown.abort();
    this.waiting.length = 0;
    await Promise.allSettled([...this.running]);
  }

  private pump(): void {
    while (this.running.size < this.options.concurrency && this.waiting.length > 0) {
      const next = this.waiting.shift();
      if (!next) return;
      const task = this.run(next.payload, next.attempt).finally(() => {
        this.running.delete(task);
        this.pump();
      });
      this.running.add(task);
    }
  }

  private async run(payload: FitnessJobPayload, attempt: number): Promise<void> {
    const final = attempt >= this.options.attempts;
    const key = keyOf(payload);
    try {
      await evaluateCandidate(payload, { ...this.options.deps, signal: this.shutdown.signal }, { number: attempt, final });
      this.jobs.set(key, { state: "completed" });
    } catch (err) {
      this.options.onError?.(err, payload);
      if (!final && !isPermanentFailure(err) && !this.shutdown.signal.aborted) {
        this.waiting.push({ payload, attempt: attempt + 1 });
        return;
      }
      const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      this.jobs.set(key, { state: "failed", reason, retryable: isDatabaseUnavailable(err) });
    }
  }
}

function keyOf(payload: FitnessJobPayload): string {
  return `${payload.campaignId}.${payload.hash}`;
}
