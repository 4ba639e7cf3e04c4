// /readyz: whether this process can do its work now (the services it needs
// answer, the database is migrated), as opposed to /healthz (the process is
// alive). Each check runs with a time bound, so a hung service answers "not
// ready" instead of hanging the probe.
export type ReadinessCheck = () => Promise<void>;

export interface Readiness {
  ready: boolean;
  /** null when the check passed, else its one-line reason. */
  checks: Record<string, string | null>;
}

export async function checkReadiness(checks: Record<string, ReadinessCheck>, timeoutMs = 3000): Promise<Readiness> {
  const names = Object.keys(checks);
  const results = await Promise.all(names.map((name) => bounded(checks[name] as ReadinessCheck, timeoutMs)));
  const out: Record<string, string | null> = {};
  names.forEach((name, i) => (out[name] = results[i] ?? null));
  return { ready: results.every((r) => r === null), checks: out };
}

async function bounded(check: ReadinessCheck, timeoutMs: number): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs)));
  try {
    return await Promise.race([check().then(() => null), timeout]);
  } catch (err) {
    return err instanceof Error ? (err.message.split("\n").find((l) => l.trim() !== "")?.trim() ?? err.name) : String(err);
  } finally {
    clearTimeout(timer);
  }
}
