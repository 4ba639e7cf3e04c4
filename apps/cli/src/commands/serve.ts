// `drnn serve [--port N] [--name NAME]`: the recommendation API. Follows the
// model's production alias (hot swap, no restart), keeps session state in
// Redis (REDIS_URL, default redis://127.0.0.1:6379), runs until SIGINT/SIGTERM.
import type { AddressInfo } from "node:net";
import type { Command } from "commander";
import { selectBackend } from "@drnn/model";
import { createRedis } from "@drnn/queue";
import { AliasFollower, ModelHolder, Recommender, ServingModel, SessionStore, createServingServer, type ModelIdentity } from "@drnn/serving";
import type { NodeArtifacts } from "@drnn/artifacts";
import { action, type ContextFactory } from "../command.js";
import { intOption } from "../options.js";
import { openPlatform } from "../platform.js";
import { viaVariable } from "../services.js";
import { openArtifacts } from "../node-artifacts.js";

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
    .description("serve recommendations: POST /v1/page-views, GET /healthz, GET /readyz")
    .option("--port <port>", "port (default DRNN_SERVE_PORT, 8080)")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--name <name>", "model name whose production alias is served (default DRNN_SERVE_MODEL, drnn)")
    .action(
      action<ServeFlags>(ctx, {
        handler: async (c, f) => {
          const port = f.port === undefined ? c.config.DRNN_SERVE_PORT : intOption("--port", f.port, 0);
          const name = f.name ?? c.config.DRNN_SERVE_MODEL;
          const backend = await selectBackend(c.config.DRNN_BACKEND, { syncReads: true });
          const redisUrl = c.config.REDIS_URL ?? "redis://127.0.0.1:6379";
          const redis = createRedis(redisUrl, { maxRetriesPerRequest: 1 });
          await viaVariable("REDIS_URL", () => redis.connect());
          const platform = await openPlatform(c.config, c.out);
          const holder = new ModelHolder();
          const artifacts = openArtifacts(c.config, platform.repos, c.out);
          const follower = new AliasFollower(platform.repos.models, holder, {
            name,
            load: (hint, identity) => loadVersion(artifacts, hint, identity),
            pollMs: c.config.DRNN_SERVE_POLL_MS,
            onSwap: (to, from) => c.out.progress(`now serving ${to.name} version ${to.version}${from ? ` (was version ${from.version})` : ""}`),
            onError: (err) => c.out.progress(`alias follower: ${err instanceof Error ? err.message : String(err)}`),
          });
          await follower.start();
          if (holder.unavailableReason !== null) c.out.progress(`no model yet: ${holder.unavailableReason}; answering 503 until one is promoted`);
          const store = new SessionStore(redis, { prefix: c.config.DRNN_QUEUE_PREFIX, capacity: c.config.DRNN_SESSION_CAPACITY });
          const server = createServingServer({ store, recommender: new Recommender(holder), holder, follower }).listen(port, f.host ?? "127.0.0.1");
          await new Promise<void>((ok, fail) => server.once("listening", () => ok()).once("error", fail));
          const address = server.address() as AddressInfo;
          c.out.progress(`serving ${name} on http://${address.address}:${address.port} (TF.js ${backend.backend}; ${platform.mode} database)`);
          const started = Date.now();
          await new Promise<void>((done) => {
            process.once("SIGINT", done);
            process.once("SIGTERM", done);
          });
          c.out.progress("shutting down");
          follower.stop();
          await new Promise<void>((done) => server.close(() => done()));
          const last = holder.current?.identity ?? null;
          holder.close();
          redis.disconnect();
          await platform.close();
          return { name, port: address.port, model: last, seconds: (Date.now() - started) / 1000 };
        },
      }),
    );
}
