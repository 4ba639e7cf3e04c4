// `drnn api --port P`: the REST + SSE API and the built dashboard, with a
// GA coordinator in this process so campaigns launched from the dashboard
// run. Embedded mode (no DATABASE_URL): PGlite, and fitness jobs trained in
// this process's threads. Services mode: PostgreSQL, and with REDIS_URL the
// jobs go to BullMQ for `drnn worker` processes. Stops on SIGTERM / Ctrl-C.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { startApiServer } from "@drnn/http-api";
import { promoteCampaign, rollbackModel } from "@drnn/serving";
import { openArtifacts } from "../node-artifacts.js";
import { startCoordinatorService } from "@drnn/tuning";
import { action, type ContextFactory } from "../command.js";
import { openExecutor, openPlatform } from "../platform.js";
import { intOption } from "../options.js";

interface ApiFlags {
  port: string;
  host: string;
  openReads?: boolean;
  dashboard: string;
  threads: string;
  coordinator: boolean;
}

function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    process.once("SIGTERM", () => resolve("SIGTERM"));
    process.once("SIGINT", () => resolve("SIGINT"));
  });
}

export function registerApiCommand(program: Command, ctx: ContextFactory): void {
  program
    .command("api")
    .description("serve the REST + SSE API and the dashboard, running launched campaigns here")
    .option("--port <P>", "port", "8080")
    .option("--host <H>", "interface to listen on", "127.0.0.1")
    .option("--open-reads", "allow reads without a token (state changes always need a write token)")
    .option("--dashboard <dir>", "the dashboard build to serve (pnpm --filter @drnn/dashboard build)", "apps/dashboard/dist")
    .option("--threads <n>", "training threads when fitness jobs run in this process", "1")
    .option("--no-coordinator", "do not run campaigns here (a separate 'drnn coordinator' does)")
    .action(
      action<ApiFlags>(ctx, {
        handler: async (c, f) => {
          const port = intOption("--port", f.port, 0);
          const platform = await openPlatform(c.config, c.out);
          const closers: (() => Promise<void>)[] = [() => platform.close()];
          try {
            let coordinator: { owner: string; executor: string } | undefined;
            if (f.coordinator) {
              const ex = await openExecutor(c.config, platform, c.out, intOption("--threads", f.threads, 1));
              const service = startCoordinatorService({
                repos: platform.repos,
                executor: ex.executor,
                leaseMs: c.config.DRNN_LEASE_MS,
                log: (line) => c.out.progress(line),
                onOutcome: (id, o) => c.out.progress(`campaign ${id}: ${o instanceof Error ? `error: ${o.message}` : String(o)}`),
              });
              coordinator = { owner: service.owner, executor: ex.executor.kind };
              closers.unshift(() => ex.close());
              closers.unshift(() => service.close());
            }
            const dashboardDir = resolve(f.dashboard);
            if (!existsSync(join(dashboardDir, "index.html"))) c.out.progress(`no dashboard build at ${dashboardDir}: API only (build it with 'pnpm --filter @drnn/dashboard build')`);
            const api = await startApiServer({
              repos: platform.repos,
              config: { openReads: f.openReads === true, dashboardDir, dataDir: join(resolve(c.config.DRNN_HOME), "api-data"), datasetRoots: [resolve(c.config.DRNN_DATA_ROOT)] },
              promote: (repos, input) => promoteCampaign(repos, { ...input, artifactsDir: c.config.DRNN_ARTIFACTS_DIR, artifacts: openArtifacts(c.config, repos, c.out) }),
              rollback: (repos, input) => rollbackModel(repos, input),
              pushDataset: async (dir, name) => (await openArtifacts(c.config, platform.repos, c.out).pushDataset(dir, name)).dataset,
              ...(coordinator ? { coordinator } : {}),
              port,
              host: f.host,
            });
            const url = api.url;
            closers.unshift(() => api.close());
            c.out.progress(`drnn api on ${url} (${platform.mode} mode${coordinator ? `, coordinator with ${coordinator.executor} executor` : ", no coordinator"}); sign in with a token from 'drnn token create'`);
            const stoppedBy = await untilSignal();
            c.out.progress(`${stoppedBy}: stopping...`);
            return { url, mode: platform.mode, stoppedBy };
          } finally {
            for (const close of closers) await close().catch(() => undefined);
          }
        },
      }),
    );
}
