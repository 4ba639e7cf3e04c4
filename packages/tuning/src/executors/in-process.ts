// The in-process backend for one machine: a bounded pool of evaluations in
// this process (training itself runs in worker threads inside the trainer).
// Same contract as BullMQ: dedupe by (campaign, hash), retries with the same
// attempt rule, results written by evaluateCandidate.
import type { FitnessJobPayload } from "@drnn/queue";
import { evaluateCandidate, type EvaluationDeps } from "../evaluation/evaluate-candidate.js";
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
  private readonly known = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private readonly shutdown = new AbortController();

  constructor(private readonly options: InProcessOptions) {}

  async submit(payload: FitnessJobPayload): Promise<void> {
    const key = `${payload.campaignId}.${payload.hash}`;
    if (this.known.has(key) || this.shutdown.signal.aborted) return;
    this.known.add(key);
    this.waiting.push({ payload, attempt: 1 });
    this.pump();
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
    try {
      await evaluateCandidate(payload, { ...this.options.deps, signal: this.shutdown.signal }, { number: attempt, final });
    } catch (err) {
      this.options.onError?.(err, payload);
      if (!final && !this.shutdown.signal.aborted) this.waiting.push({ payload, attempt: attempt + 1 });
    }
  }
}
