// For this app's tests: the API on an ephemeral port over a PostgreSQL
// database of its own (created next to the run's database and dropped on
// close: a coordinator scanning for runnable campaigns here must not take
// other test files' campaigns, nor theirs ours), with a read token, a write
// token and a dataset row.
import { randomBytes, randomUUID } from "node:crypto";
import { createDb, createRepositories, type DbHandle, type Repositories } from "@drnn/db";
import { startApiServer, type ApiConfig, type ApiDeps, type RunningApi } from "@drnn/http-api";
import { createTestDatabase, dropTestDatabase } from "../../../test/services.js";

export interface TestApi extends RunningApi {
  db: DbHandle;
  repos: Repositories;
  readToken: string;
  writeToken: string;
  datasetId: string;
  /** fetch against the API with an optional bearer token. */
  call(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
}

export async function openTestApi(runDatabaseUrl: string, config: Partial<ApiConfig> = {}, extra: Partial<ApiDeps> = {}): Promise<TestApi> {
  const name = `${new URL(runDatabaseUrl).pathname.slice(1)}_api_${randomBytes(3).toString("hex")}`;
  const databaseUrl = await createTestDatabase(runDatabaseUrl, name);
  const db = createDb(databaseUrl, { maxConnections: 6 });
  const repos = createRepositories(db.prisma);
  const readToken = (await repos.tokens.create("test-read", ["read"])).token;
  const writeToken = (await repos.tokens.create("test-write", ["write"])).token;
  const dataset = await repos.datasets.register({ name: "api-test", format: "jsonl", contentHash: `sha256:${randomUUID()}`, location: "/nowhere", stats: {} });
  const running = await startApiServer({ repos, config: { openReads: false, bodyLimit: "64kb", dataDir: ".drnn/api-test-data", ...config }, ...extra, port: 0 });
  const call = (method: string, path: string, o: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    fetch(`${running.url}${path}`, {
      method,
      headers: { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...(o.body !== undefined ? { "content-type": "application/json" } : {}), ...o.headers },
      ...(o.body !== undefined ? { body: typeof o.body === "string" ? o.body : JSON.stringify(o.body) } : {}),
    });
  return {
    ...running,
    db,
    repos,
    readToken,
    writeToken,
    datasetId: dataset.id,
    call,
    close: async () => {
      await running.close();
      await db.close();
      await dropTestDatabase(runDatabaseUrl, databaseUrl);
    },
  };
}

/** Reads server-sent events from a streaming fetch response. */
export async function* sseEvents(res: Response): AsyncGenerator<{ event: string; data: unknown }> {
  if (!res.body) return;
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = "message";
      let data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) event = line.slice(7);
        else if (line.startsWith("data: ")) data += line.slice(6);
      }
      if (data) yield { event, data: JSON.parse(data) as unknown };
    }
  }
}
