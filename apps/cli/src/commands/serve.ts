// `drnn serve [--port N] [--name NAME]`: the recommendation API. Follows the
// model's production alias (hot swap, no restart), keeps session state in
// Redis (REDIS_URL, default redis://127.0.0.1:6379), serves /healthz, /readyz
// and /metrics, logs JSON lines on stderr. On SIGINT/SIGTERM it stops
// accepting, answers /readyz 503, and lets requests in flight finish (DRNN_DRAIN_MS).
import type { AddressInfo } from "node:net";
import type { Command } from "commander";
import { databaseReadiness } from "@drnn/db";
import { selectBackend } from "@drnn/model";
import { drainServer, ServingMetrics, trackInFlight, type ReadinessCheck } from "@drnn/ops";
import { createRedis } from "@drnn/queue";
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
}

/** A version's directory on this node: the promoting node's path if it is here, else fetched from the store by hash. */
async function loadVersion(artifacts: NodeArtifacts, hint: string, identity: ModelIdentity): Promise<ServingModel> {
  const row = await artifacts.repos.models.byId(identity.id);
  const dir = await artifacts.modelDir(row.artifactHash, hint, `model ${identity.name} version ${identity.version}`);
  if (dir === null) throw new Error(`${identity.name} version ${identity.version} was never stored in the artifact store and is not at ${hint} on this node`);
  return ServingModel.load(dir, identity);
}

export function registerServeCommand(program: Command, ctx: ContextFactory): void {
  program
    .command("serve")
    .description("serve recommendations: POST /v1/page-views, GET /healthz, GET /readyz, GET /metrics")
    .option("--port <port>", "port (default DRNN_SERVE_PORT, 8080)")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--name <name>", "model name whose production alias is served (default DRNN_SERVE_MODEL, drnn)")
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
          const deps = { store, recommender: new Recommender(holder), holder, follower, readiness, draining: () => draining };
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
          const last = holder.current?.identity ?? null;
          holder.close();
          redis.disconnect();
          await platform.close();
          return { name, port: address.port, model: last, seconds: (Date.now() - started) / 1000, ...drained };
        },
      }),
    );
}
