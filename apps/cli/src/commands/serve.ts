// `drnn serve [--port N] [--name NAME]`: the recommendation API; page views,
// carts and purchases (POST /v1/events) also feed the online loop (--no-ingest: not). Follows the
// model's production alias (hot swap, no restart), keeps session state in
// Redis (REDIS_URL, default redis://127.0.0.1:6379), serves /healthz, /readyz
// and /metrics, logs JSON lines on stderr. On SIGINT/SIGTERM it stops
// accepting, answers /readyz 503, and lets requests in flight finish (DRNN_DRAIN_MS).
import type { AddressInfo } from "node:net";
import type { Command } from "commander";
import { databaseReadiness, type Repositories } from "@drnn/db";
import { selectBackend } from "@drnn/model";
import { drainServer, ServingMetrics, trackInFlight, type ReadinessCheck } from "@drnn/ops";
import { RetrainQueue, createRedis } from "@drnn/queue";
import { ApiIngest, API_SOURCE, DEFAULT_BATCH_SESSIONS } from "@drnn/ingest";
import { AliasFollower, ModelHolder, Recommender, ServingModel, SessionStore, createServingServer, type ModelIdentity } from "@drnn/serving";
import type { NodeArtifacts } from "@drnn/artifacts";
import { action, type ContextFactory } from "../command.js";
import { intOption } from "../options.js";
import { openPlatform } from "../platform.js";
import { viaVariable } from "../services.js";
import { openArtifacts } from "../node-artifacts.js";
import { longRunning, untilSignal } from "../operations.js";

interface ServeFlags {
  port?: string;
  name?: string;
  host?: string;
  ingest?: boolean;
  ingestSource?: string;
  batchSessions?: string;
}

/** A version's directory on this node: the promoting node's path if it is here, else fetched from the store by hash. */
async function loadVersion(artifacts: NodeArtifacts, hint: string, identity: ModelIdentity): Promise<ServingModel> {
  const row = await artifacts.repos.models.byId(identity.id);
  const dir = await artifacts.modelDir(row.artifactHash, hint, `model ${identity.name} version ${identity.version}`);
  if (dir === null) throw new Error(`${identity.name} version ${identity.version} was never stored in the artifact store and is not at ${hint} on this node`);
  return ServingModel.load(dir, identity);
}

/** The serving API's ingest: its events go through the online sessionizer into PostgreSQL, batches onto the retraining queue. */
async function startIngest(repos: Repositories, redisUrl: string, prefix: string, modelName: string, f: ServeFlags, log: (line: string) => void) {
  const connection = createRedis(redisUrl);
  const queue = new RetrainQueue(connection, { redisUrl, prefix });
  const batchSessions = intOption("--batch-sessions", f.batchSessions ?? String(DEFAULT_BATCH_SESSIONS), 1);
  const sink = await ApiIngest.start({ repos, modelName, queue, source: f.ingestSource ?? API_SOURCE, batchSessions, log });
  log(`ingesting page views, carts and purchases as source '${f.ingestSource ?? API_SOURCE}' for ${modelName} (batches of ${batchSessions} purchase sessions)`);
  return {
    sink,
    close: async () => {
      await sink.close();
      await queue.close();
      connection.disconnect();
    },
  };
}

export function registerServeCommand(program: Command, ctx: ContextFactory): void {
  program
    .command("serve")
    .description("serve recommendations: POST /v1/page-views, GET /healthz, GET /readyz, GET /metrics")
    .option("--port <port>", "port (default DRNN_SERVE_PORT, 8080)")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--name <name>", "model name whose production alias is served (default DRNN_SERVE_MODEL, drnn)")
    .option("--no-ingest", "do not store page views, carts and purchases for the online loop (POST /v1/events answers 503)")
    .option("--ingest-source <name>", "this server's name for its events; each serving process needs its own", API_SOURCE)
    .option("--batch-sessions <M>", "purchase sessions per retraining batch", String(DEFAULT_BATCH_SESSIONS))
    .action(
      action<ServeFlags>(ctx, {
        handler: async (c, f) => {
          const port = f.port === undefined ? c.config.DRNN_SERVE_PORT : intOption("--port", f.port, 0);
          const name = f.name ?? c.config.DRNN_SERVE_MODEL;
          const run = longRunning(c, "drnn-serve");
          const log = run.logger.child({ model: name });
          const backend = await selectBackend(c.config.DRNN_BACKEND, { syncReads: true });
          const redisUrl = c.config.REDIS_URL ?? "redis://127.0.0.1:6379";
          const redis = createRedis(redisUrl, { maxRetriesPerRequest: 1 });
          await viaVariable("REDIS_URL", () => redis.connect());
          const platform = await openPlatform(c.config, run.out);
          const holder = new ModelHolder();
          const artifacts = openArtifacts(c.config, platform.repos, run.out);
          const follower = new AliasFollower(platform.repos.models, holder, {
            name,
            load: (hint, identity) => loadVersion(artifacts, hint, identity),
            pollMs: c.config.DRNN_SERVE_POLL_MS,
            onSwap: (to, from) => log.info({ version: to.version, previous: from?.version ?? null }, `now serving ${to.name} version ${to.version}${from ? ` (was version ${from.version})` : ""}`),
            onError: (err) => log.warn({ reason: err instanceof Error ? err.message : String(err) }, "alias follower failed; still serving the loaded version"),
          });
          await follower.start();
          if (holder.unavailableReason !== null) log.warn(`no model yet: ${holder.unavailableReason}; answering 503 until one is promoted`);
          const store = new SessionStore(redis, { prefix: c.config.DRNN_QUEUE_PREFIX, capacity: c.config.DRNN_SESSION_CAPACITY });
          const readiness: Record<string, ReadinessCheck> = c.config.DATABASE_URL ? databaseReadiness(c.config.DATABASE_URL) : { database: async () => void (await platform.db.prisma.$queryRawUnsafe("SELECT 1")) };
          let draining = false;
          const ingest = f.ingest === false ? null : await startIngest(platform.repos, redisUrl, c.config.DRNN_QUEUE_PREFIX, name, f, (line) => log.info(line));
          const deps = { store, recommender: new Recommender(holder), holder, follower, readiness, draining: () => draining, ...(ingest ? { events: ingest.sink } : {}) };
          const metrics = { metrics: new ServingMetrics(run.registry, () => store.count()), metricsEndpoint: { registry: run.registry } };
          const server = createServingServer({ ...deps, ...metrics });
          const inFlight = trackInFlight(server);
          server.listen(port, f.host ?? "127.0.0.1");
          await new Promise<void>((ok, fail) => server.once("listening", () => ok()).once("error", fail));
          const address = server.address() as AddressInfo;
          log.info({ url: `http://${address.address}:${address.port}`, backend: backend.backend, database: platform.mode }, `serving ${name} on http://${address.address}:${address.port} (TF.js ${backend.backend}; ${platform.mode} database)`);
          const started = Date.now();
          const signal = await untilSignal();
          draining = true;
          log.info({ signal, inFlight: inFlight.count, graceMs: c.config.DRNN_DRAIN_MS }, `${signal}: no new connections; finishing requests in flight`);
          follower.stop();
          const drained = await drainServer(server, () => inFlight.count, c.config.DRNN_DRAIN_MS);
          log.info(drained, `stopped: ${drained.inFlight - drained.cut} request(s) finished, ${drained.cut} cut`);
          await ingest?.close();
          const last = holder.current?.identity ?? null;
          holder.close();
          redis.disconnect();
          await platform.close();
          return { name, port: address.port, model: last, seconds: (Date.now() - started) / 1000, ...drained };
        },
      }),
    );
}
