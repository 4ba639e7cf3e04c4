// What every browser test file starts from: the dashboard built with vite
// into a temporary directory, a database of the file's own (the coordinator
// scans for runnable campaigns and must not take other test files'), the
// real API serving it with an in-process coordinator on SimulatedTrainer
// (backend "simulated", a deterministic stand-in, so the tests take
// seconds), a write token, and Debian's chromium driven by playwright-core.
// With refreshDocs (DRNN_SCREENSHOTS=1) the screenshots go into docs/screenshots/ (the
// README's); otherwise into the temporary directory.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { build } from "vite";
import { createDb, createRepositories, type DbHandle, type Repositories } from "@drnn/db";
import { createApi, type Api } from "@drnn/http-api";
import { InProcessExecutor, SimulatedTrainer, startCoordinatorService, type CoordinatorService } from "@drnn/tuning";
import { createTestDatabase, dropTestDatabase, ownDatabaseName } from "../../../test/services.js";

const CHROMIUM = "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const dashboardDir = fileURLToPath(new URL("..", import.meta.url));

interface Started {
  work: string;
  databaseUrl?: string;
  db?: DbHandle;
  executor?: InProcessExecutor;
  coordinator?: CoordinatorService;
  api?: Api;
  server?: Server;
  browser?: Browser;
}

/** One test file's dashboard: startDashboard() in beforeAll, close() in afterAll. */
export interface Dashboard {
  work: string;
  screenshots: string;
  repos: Repositories;
  url: string;
  token: string;
  browser: Browser;
  coordinator: CoordinatorService;
  /** A page already holding the write token, collecting its script errors. */
  signedInPage(width?: number): Promise<Page>;
  errorsOf(page: Page): string[];
  close(): Promise<void>;
}

/** Stops what was started, in reverse order; a start that failed halfway has only some of it. */
async function stop(runDatabaseUrl: string, s: Started): Promise<void> {
  await s.browser?.close();
  s.api?.close();
  s.server?.closeAllConnections();
  await new Promise<void>((r) => (s.server ? s.server.close(() => r()) : r()));
  await s.coordinator?.close();
  await s.executor?.close();
  await s.db?.close();
  if (s.databaseUrl) await dropTestDatabase(runDatabaseUrl, s.databaseUrl);
  rmSync(s.work, { recursive: true, force: true });
}

export async function startDashboard(runDatabaseUrl: string, refreshDocs: boolean): Promise<Dashboard> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`the browser test needs Chromium at ${CHROMIUM}: install it with 'apt-get install -y chromium' (.ci/run does this on a fresh machine)`);
  }
  const s: Started = { work: mkdtempSync(join(tmpdir(), "drnn-dashboard-e2e-")) };
  try {
    return await start(runDatabaseUrl, refreshDocs, s);
  } catch (e) {
    await stop(runDatabaseUrl, s);
    throw e;
  }
}

async function start(runDatabaseUrl: string, refreshDocs: boolean, s: Started): Promise<Dashboard> {
  const work = s.work;
  const screenshots = refreshDocs ? resolve(dashboardDir, "../../docs/screenshots") : join(work, "screenshots");
  mkdirSync(screenshots, { recursive: true });
  await build({ root: dashboardDir, configFile: join(dashboardDir, "vite.config.ts"), logLevel: "warn", build: { outDir: join(work, "dist"), emptyOutDir: true } });

  s.databaseUrl = await createTestDatabase(runDatabaseUrl, ownDatabaseName(runDatabaseUrl, "e2e"));
  s.db = createDb(s.databaseUrl, { maxConnections: 8 });
  const repos = createRepositories(s.db.prisma);
  const token = (await repos.tokens.create("browser-test", ["write"])).token;
  const trainer = new SimulatedTrainer({ epochMs: 250, epochs: 6 });
  const worker = { id: `e2e-worker-${process.pid}`, backend: trainer.backend, device: trainer.device };
  await repos.workers.register({ ...worker, hostname: "localhost", concurrency: 2 });
  const executor = (s.executor = new InProcessExecutor({ deps: { repos, trainer, worker }, concurrency: 2, attempts: 2 }));
  const coordinator = (s.coordinator = startCoordinatorService({ repos, executor, scanMs: 300, pollMs: 100 }));
  const api = (s.api = createApi({
    repos,
    config: { openReads: false, bodyLimit: "256kb", ssePollMs: 250, workerLivenessMs: 60_000, dashboardDir: join(work, "dist"), dataDir: join(work, "data") },
    coordinator: { owner: coordinator.owner, executor: "in-process" },
    // The registry's rollback is one promotion row (packages/serving's rollbackModel adds only the summary).
    rollback: (r, input) => r.models.rollback(input.name, input.toVersion, input.actor),
  }));
  const server = (s.server = api.app.listen(0, "127.0.0.1"));
  await new Promise<void>((r) => server.once("listening", () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = (s.browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS }));
  const pageErrors = new WeakMap<Page, string[]>();
  return {
    work,
    screenshots,
    repos,
    url,
    token,
    browser,
    coordinator,
    signedInPage: async (width = 1440) => {
      const page = await browser.newPage({ viewport: { width, height: 1000 } });
      const errors: string[] = [];
      pageErrors.set(page, errors);
      page.on("pageerror", (e) => errors.push(e.message));
      await page.addInitScript(`sessionStorage.setItem("drnn.token", ${JSON.stringify(token)})`);
      return page;
    },
    errorsOf: (page) => pageErrors.get(page) ?? [],
    close: () => stop(runDatabaseUrl, s),
  };
}

/** Scrolls through the page a screen at a time, so charts that draw once near the viewport have drawn, then back to the top. */
export const revealAll = (page: Page) =>
  page.evaluate(`(async () => { for (let y = 0; y < document.body.scrollHeight; y += window.innerHeight / 2) { window.scrollTo(0, y); await new Promise((r) => setTimeout(r, 60)); } window.scrollTo(0, 0); await new Promise((r) => setTimeout(r, 200)); })()`);

export const points = async (page: Page, testId: string) => Number(await page.getAttribute(`[data-testid="${testId}"]`, "data-points"));

export async function grows(page: Page, testId: string, above: number, timeoutMs = 20_000): Promise<number> {
  // A string expression: it runs in the page, where the DOM lives (this file is type-checked for Node).
  await page.waitForFunction(`Number(document.querySelector('[data-testid="${testId}"]')?.getAttribute("data-points") ?? 0) > ${above}`, undefined, { timeout: timeoutMs });
  return points(page, testId);
}

/** Two versions of model "drnn" in the registry, promoted by alice then bob: v2 is live. */
export async function seedRegistry(repos: Repositories, work: string): Promise<void> {
  const metrics = { test: { accuracy: 0.31, hit: { 1: 0.1, 5: 0.2, 10: 0.3, 20: 0.42 }, mrr20: 0.17 }, datasetHash: "sha256:0123456789abcdef", origin: "artifact", promotedBy: "alice" };
  const v1 = await repos.models.addVersion({ name: "drnn", chromosome: { layers: 1 }, fitness: 0.2, metrics, artifact: join(work, "models/1") });
  await repos.models.promote(v1.id, "drnn", "alice");
  const v2 = await repos.models.addVersion({ name: "drnn", chromosome: { layers: 2 }, fitness: 0.3, metrics: { ...metrics, promotedBy: "bob" }, artifact: join(work, "models/2") });
  await repos.models.promote(v2.id, "drnn", "bob");
}
