// One log line when a service goes away and one when it is back, with how
// long it was gone: a coordinator that retries every poll during an outage
// must not print a stack trace per retry.
export class OutageLog {
  private readonly since = new Map<string, number>();

  constructor(
    private readonly log: (line: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** `service` failed with `err`; logged only if it was up until now. */
  down(service: string, err: unknown): void {
    if (this.since.has(service)) return;
    this.since.set(service, this.now());
    const reason = err instanceof Error ? err.message.split("\n").find((l) => l.trim() !== "")?.trim() ?? err.name : String(err);
    this.log(`${service} unavailable (${reason}); retrying until it is back`);
  }

  /** `service` answered; logs the end of an outage, if there was one. */
  up(service: string): void {
    const since = this.since.get(service);
    if (since === undefined) return;
    this.since.delete(service);
    this.log(`${service} back after ${((this.now() - since) / 1000).toFixed(1)} s`);
  }

  isDown(service: string): boolean {
    return this.since.has(service);
  }
}
