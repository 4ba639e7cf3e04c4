// A lock per name across processes and machines: a PostgreSQL session-level
// advisory lock on a connection of its own. It is released by release(), and
// by the server when the holder's connection dies, so a SIGKILLed holder
// never leaves it taken.
import pg from "pg";

export interface NamedLock {
  release(): Promise<void>;
}

export interface LockOptions {
  /** How often a taken lock is tried again, ms (default 250). */
  pollMs?: number;
  signal?: AbortSignal;
}

/** Waits until the lock `scope:name` is this caller's. */
export async function acquireNamedLock(url: string, scope: string, name: string, o: LockOptions = {}): Promise<NamedLock> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined);
  await client.connect();
  const key = `${scope}:${name}`;
  try {
    for (;;) {
      const r = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok", [key]);
      if (r.rows[0]?.ok === true) break;
      if (o.signal?.aborted === true) throw o.signal.reason instanceof Error ? o.signal.reason : new Error(`waiting for lock ${key} aborted`);
      await new Promise((resolve) => setTimeout(resolve, o.pollMs ?? 250));
    }
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
  return {
    release: async () => {
      await client.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [key]).catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}
