// The dashboard in a real browser (Debian's chromium driven by
// playwright-core): sign in with a token, synthesize a dataset and launch a
// small campaign from the form, watch the fitness chart and a convergence
// curve appear and grow live (no reload), cancel. Fitness comes from
// SimulatedTrainer (backend "simulated", a deterministic stand-in) so the
// test takes seconds; the API, coordinator, database and UI are the real ones.
// Takes screenshots of the launch form and the campaign page (DRNN_SCREENSHOTS=1:
// into docs/screenshots/, for the README). Then the models page: versions
// seeded in the registry, a rollback from the table.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { build } from "vite";
import { createDb, createRepositories, type DbHandle, type Repositories } from "@drnn/db";
import { createApi, type Api } from "@drnn/http-api";
import { createTestDatabase, dropTestDatabase } from "../../../test/services.js";
import { InProcessExecutor, SimulatedTrainer, startCoordinatorService, type CoordinatorService } from "@drnn/tuning";
import { seedFinishedCampaign, type SeededCampaign } from "./seed.js";
import { OVERFLOW_CHECK } from "./overflow.js";

const CHROMIUM = "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const dashboardDir = fileURLToPath(new URL("..", import.meta.url));
// DRNN_SCREENSHOTS=1 refreshes the README's screenshots; otherwise they go to a temporary directory.
const refreshDocs = process.env["DRNN_SCREENSHOTS"] === "1";
let screenshots = resolve(dashboardDir, "../../docs/screenshots");

let work: string;
let db: DbHandle;
let repos: Repositories;
let databaseUrl: string;
let api: Api;
let server: Server;
let url: string;
let coordinator: CoordinatorService;
let executor: InProcessExecutor;
let browser: Browser;
let token: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`the browser test needs Chromium at ${CHROMIUM}: install it with 'apt-get install -y chromium' (.ci/run does this on a fresh machine)`);
  }
  work = mkdtempSync(join(tmpdir(), "drnn-dashboard-e2e-"));
  if (!refreshDocs) screenshots = join(work, "screenshots");
  await build({ root: dashboardDir, configFile: join(dashboardDir, "vite.config.ts"), logLevel: "warn", build: { outDir: join(work, "dist"), emptyOutDir: true } });

  // A database of its own: the coordinator below scans for runnable campaigns and must not take other test files'.
  databaseUrl = await createTestDatabase(inject("databaseUrl"), `${new URL(inject("databaseUrl")).pathname.slice(1)}_e2e`);
  db = createDb(databaseUrl, { maxConnections: 8 });
  repos = createRepositories(db.prisma);
  token = (await repos.tokens.create("browser-test", ["write"])).token;
  const trainer = new SimulatedTrainer({ epochMs: 250, epochs: 6 });
  const worker = { id: `e2e-worker-${process.pid}`, backend: trainer.backend, device: trainer.device };
  await repos.workers.register({ ...worker, hostname: "localhost", concurrency: 2 });
  executor = new InProcessExecutor({ deps: { repos, trainer, worker }, concurrency: 2, attempts: 2 });
  coordinator = startCoordinatorService({ repos, executor, scanMs: 300, pollMs: 100 });
  api = createApi({
    repos,
    config: { openReads: false, bodyLimit: "256kb", ssePollMs: 250, workerLivenessMs: 60_000, dashboardDir: join(work, "dist"), dataDir: join(work, "data") },
    coordinator: { owner: coordinator.owner, executor: "in-process" },
    // The registry's rollback is one promotion row (packages/serving's rollbackModel adds only the summary).
    rollback: (r, input) => r.models.rollback(input.name, input.toVersion, input.actor),
  });
  server = api.app.listen(0, "127.0.0.1");
  await new Promise<void>((r) => server.once("listening", () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  api?.close();
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await coordinator?.close();
  await executor?.close();
  await db?.close();
  if (databaseUrl) await dropTestDatabase(inject("databaseUrl"), databaseUrl);
  if (work) rmSync(work, { recursive: true, force: true });
});

const pageErrors = new WeakMap<Page, string[]>();
const errorsOf = (page: Page) => pageErrors.get(page) ?? [];

/** A page already holding the write token, collecting its script errors. */
async function signedInPage(width = 1440): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 1000 } });
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on("pageerror", (e) => errors.push(e.message));
  await page.addInitScript(`sessionStorage.setItem("drnn.token", ${JSON.stringify(token)})`);
  return page;
}

let bigCampaign: SeededCampaign | null = null;

/** Scrolls through the page a screen at a time, so charts that draw once near the viewport have drawn, then back to the top. */
const revealAll = (page: Page) =>
  page.evaluate(`(async () => { for (let y = 0; y < document.body.scrollHeight; y += window.innerHeight / 2) { window.scrollTo(0, y); await new Promise((r) => setTimeout(r, 60)); } window.scrollTo(0, 0); await new Promise((r) => setTimeout(r, 200)); })()`);

const points = async (page: Page, testId: string) => Number(await page.getAttribute(`[data-testid="${testId}"]`, "data-points"));

async function grows(page: Page, testId: string, above: number, timeoutMs = 20_000): Promise<number> {
  // A string expression: it runs in the page, where the DOM lives (this file is type-checked for Node).
  await page.waitForFunction(`Number(document.querySelector('[data-testid="${testId}"]')?.getAttribute("data-points") ?? 0) > ${above}`, undefined, { timeout: timeoutMs });
  return points(page, testId);
}

it("signs in, launches from the form, charts live and cancels", async () => {
  const t0 = performance.now();
  const mark = (what: string) => console.info(`${((performance.now() - t0) / 1000).toFixed(1)} s: ${what}`);
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url);

  // A bad token is refused; the right one signs in.
  await page.fill('input[name="token"]', "drnn_wrong");
  await page.click('button[type="submit"]');
  await page.waitForSelector('[role="alert"]');
  await page.fill('input[name="token"]', token);
  await page.click('button[type="submit"]');
  await page.waitForSelector("text=Launch a campaign");
  expect(await page.evaluate("sessionStorage.getItem('drnn.token')")).toBe(token);

  // The form: pre-filled search space, client-side validation, synthetic data.
  await page.click("text=Launch a campaign");
  // The search-space editor: one row per gene; a range past the gene table's limits is named on its row.
  await page.waitForSelector('[data-testid="gene-rows"]');
  expect(await page.locator('[data-testid="gene-rows"] .gene-row').count()).toBe(15);
  await page.fill('input[name="gene.w.max"]', "99");
  await page.waitForSelector('[data-path="searchSpace.w.range"]');
  await page.fill('input[name="gene.w.max"]', "3");
  await page.click('input[name="gene.dropout.on"]');
  expect(await page.locator('[data-path^="searchSpace."]').count()).toBe(0);
  // The JSON view, one click away, holds the edit; an invalid document does not go back to rows.
  await page.click('[data-testid="space-mode"]');
  const doc = JSON.parse(await page.inputValue('textarea[name="searchSpace"]')) as { name: string; genes: { name: string; search?: { max: number } }[] };
  expect(doc.name).toBe("drnn-cpu");
  expect(doc.genes.find((g) => g.name === "w")?.search?.max).toBe(3);
  expect(doc.genes.map((g) => g.name)).not.toContain("dropout");
  const good = await page.inputValue('textarea[name="searchSpace"]');
  await page.fill('textarea[name="searchSpace"]', good.replace('"name": "drnn-cpu"', '"name": ""'));
  await page.click('[data-testid="space-mode"]');
  await page.waitForSelector('[data-testid="space-refused"]');
  await page.fill('textarea[name="searchSpace"]', good.replace('"name": "drnn-cpu"', '"name": "drnn-cpu-edited"'));
  await page.click('[data-testid="space-mode"]');
  await page.waitForSelector('[data-testid="gene-rows"]');
  expect(await page.inputValue('input[name="space.name"]')).toBe("drnn-cpu-edited");
  expect(await page.getAttribute('[data-testid="gene-row-dropout"]', "data-on")).toBe("false");
  await page.click("text=synthesize one");
  await page.waitForSelector("text=/dataset synthetic .* ready/", { timeout: 30_000 });
  await page.fill('input[name="populationSize"]', "1");
  await page.click('button[type="submit"]');
  await page.waitForSelector('[data-path="ga.populationSize"]');
  expect(page.url()).toContain("#/launch");
  await page.fill('input[name="name"]', "browser test");
  await page.fill('input[name="populationSize"]', "3");
  await page.fill('input[name="generations"]', "40");
  await page.fill('input[name="budget"]', "120");
  await page.fill('input[name="maxEpochs"]', "6");
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, "launch.png"), fullPage: true });
  await page.evaluate("window.noReload = true");
  await page.click('button[type="submit"]');
  await page.waitForURL(/#\/campaigns\/[0-9a-f-]+$/);
  mark("launched from the form");
  const launched = await repos.campaigns.get(page.url().split("/").at(-1) ?? "");
  const space = launched.searchSpace as { name: string; genes: { name: string; search?: { max: number } }[] };
  expect(space.name).toBe("drnn-cpu-edited");
  expect(space.genes.find((g) => g.name === "w")?.search?.max).toBe(3);
  expect(space.genes.map((g) => g.name)).not.toContain("dropout");

  // Live: a convergence curve appears and grows, then the fitness chart.
  await page.waitForSelector('[data-testid="fitness-chart"]');
  mark("campaign page shown");
  const c1 = await grows(page, "convergence-valAccuracy", 0);
  mark("first convergence points");
  const c2 = await grows(page, "convergence-valAccuracy", c1);
  const f1 = await grows(page, "fitness-chart", 0, 30_000);
  mark(`convergence curve points ${c1} -> ${c2}`);
  const f2 = await grows(page, "fitness-chart", f1, 30_000);
  mark(`fitness chart generations ${f1} -> ${f2}`);
  expect(c2).toBeGreaterThan(c1);
  expect(f2).toBeGreaterThan(f1);
  expect(await page.evaluate("window.noReload")).toBe(true);
  const rt = performance.now();
  await page.evaluate(() => 1);
  mark(`page round trip ${(performance.now() - rt).toFixed(0)} ms`);
  await page.locator('[data-testid="population"] tbody tr').first().click();
  mark("row clicked");
  await page.waitForSelector('[data-testid="workers"] .dot.alive');
  mark("row selected, worker alive");
  await revealAll(page);
  await page.screenshot({ path: join(screenshots, "campaign.png"), fullPage: true });
  mark("screenshot");

  // A candidate opens from the table's link and from a chart point (a convergence curve).
  const campaignUrl = page.url();
  const firstId = await page.getAttribute('[data-testid="population"] tbody tr [data-testid="candidate-link"]', "href");
  await page.locator('[data-testid="population"] tbody tr [data-testid="candidate-link"]').first().click();
  await page.waitForSelector('[data-testid="candidate-page"]');
  expect(page.url()).toContain(firstId ?? "never");
  expect(await page.locator('[data-testid="candidate-genes"] tbody tr').count()).toBeGreaterThanOrEqual(15);
  expect(await page.textContent('[data-testid="candidate-facts"]')).toContain("attempts");
  mark("candidate opened from the table");
  await page.goto(campaignUrl);
  await page.waitForSelector('[data-testid="convergence-valAccuracy"] path.recharts-curve');
  await page.locator('[data-testid="convergence-valAccuracy"] path.recharts-curve').first().dispatchEvent("click");
  await page.waitForSelector('[data-testid="candidate-page"]');
  expect(page.url()).toMatch(/#\/candidates\/[0-9a-f-]+$/);
  mark("candidate opened from a chart curve");
  await page.goto(campaignUrl);
  await page.waitForSelector('[data-testid="cancel"]');
  await page.click('[data-testid="cancel"]');
  mark("cancel clicked");
  await page.waitForSelector('[data-testid="campaign-state"]:text("cancelled")', { timeout: 10_000 });
  mark("cancelled");
  expect(errors).toEqual([]);
  await page.close();
}, 90_000);

it("shows the model registry and rolls back from the models page", async () => {
  const metrics = { test: { accuracy: 0.31, hit: { 1: 0.1, 5: 0.2, 10: 0.3, 20: 0.42 }, mrr20: 0.17 }, datasetHash: "sha256:0123456789abcdef", origin: "artifact", promotedBy: "alice" };
  const v1 = await repos.models.addVersion({ name: "drnn", chromosome: { layers: 1 }, fitness: 0.2, metrics, artifact: join(work, "models/1") });
  await repos.models.promote(v1.id, "drnn", "alice");
  const v2 = await repos.models.addVersion({ name: "drnn", chromosome: { layers: 2 }, fitness: 0.3, metrics: { ...metrics, promotedBy: "bob" }, artifact: join(work, "models/2") });
  await repos.models.promote(v2.id, "drnn", "bob");

  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const questions: string[] = [];
  page.on("dialog", (d) => void (questions.push(d.message()), d.accept()));
  await page.addInitScript(`sessionStorage.setItem("drnn.token", ${JSON.stringify(token)})`);
  await page.goto(url);
  await page.click('header a:text("models")');
  await page.waitForURL(/#\/models\/drnn$/);
  await page.waitForSelector('[data-testid="model-versions"] tbody tr[data-version="1"]');
  expect(await page.locator('[data-testid="model-versions"] tbody tr').count()).toBe(2);
  expect(await page.textContent('[data-testid="live-version"]')).toBe("live: v2");
  expect(await page.getAttribute('tr[data-version="2"]', "data-live")).toBe("true");
  expect(await page.textContent('tr[data-version="1"]')).toContain("0123456789ab");
  expect(await page.locator('[data-testid="rollback-2"]').count()).toBe(0);

  await page.click('[data-testid="rollback-1"]');
  await page.waitForSelector('[data-testid="live-version"]:text("live: v1")');
  expect(questions).toEqual(["Roll drnn back to v1? Servers following production switch from v2 to v1. The history keeps both."]);
  expect(await page.textContent('[data-testid="rollback-note"]')).toBe("rolled drnn back to v1");
  expect(await page.locator('[data-testid="model-history"] tbody tr').count()).toBe(3);
  expect((await repos.models.live("drnn"))?.version).toBe(1);
  expect((await repos.models.history("drnn")).at(-1)).toMatchObject({ action: "rollback", actor: "token:browser-test" });
  await page.screenshot({ path: join(screenshots, "models.png"), fullPage: true });
  expect(errors).toEqual([]);
  await page.close();
}, 60_000);

it("shows the online loop on the models page: lineage, decisions and the per-batch accuracy chart", async () => {
  const v1 = await repos.models.addVersion({ name: "stream", chromosome: { layers: 1 }, fitness: 0.2, artifact: join(work, "models/s1") });
  await repos.models.promote(v1.id, "stream", "online");
  const at = new Date("2024-03-01T10:00:00Z");
  const closed = ["a", "b"].map((k, i) => ({ modelName: "stream", sourceKey: k, records: [], firstEventAt: new Date(at.getTime() + i), lastEventAt: new Date(at.getTime() + i), hasPurchase: true }));
  await repos.ingest.commit({ source: "browser-test", position: 2n, closed, open: [], removedOpenKeys: [] });
  const m = (hit1: number) => ({ samples: 100, sessions: 20, hit1, hit20: 0.9, mrr20: hit1 + 0.05, reachable: 0.8 });
  const batches = await repos.onlineBatches.cutReady("stream", 1);
  let parent = v1;
  for (const [i, b] of batches.entries()) {
    await repos.onlineBatches.startTraining(b.id);
    const d = await repos.decisions.record({
      modelName: "stream", batchId: b.id, version: { chromosome: { layers: 1 }, fitness: 0.3, artifact: join(work, `models/s${i + 2}`) }, parentVersionId: parent.id, parentVersion: parent.version,
      batchIds: i === 0 ? [b.id] : [batches[0]?.id ?? "", b.id], sessionCount: i + 1, outcome: i === 0 ? "promoted" : "kept", reason: i === 0 ? "better on the holdout" : "worse on the holdout",
      metric: "hit1", margin: 0.01, candidateMetrics: m(0.6 - 0.2 * i), liveMetrics: m(0.4 + 0.1 * i), details: { growth: { addedPages: 7, addedGeneratorItems: 5 }, prequential: { liveVersion: i + 1, firstVersion: 1, live: m(0.5 + 0.1 * i), frozen: m(0.5 - 0.1 * i) } },
    });
    parent = d.candidateVersion;
  }
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.addInitScript(`sessionStorage.setItem("drnn.token", ${JSON.stringify(token)})`);
  await page.goto(`${url}#/models/stream`);
  await page.waitForSelector('[data-testid="online-loop"]');
  expect(await page.textContent('[data-testid="online-lineage"]')).toContain("v1 → v2 (batch 1)");
  expect(await page.locator('[data-testid="online-decisions"] tbody tr').count()).toBe(2);
  expect(await page.textContent('[data-testid="online-decisions"] tr[data-batch="2"]')).toContain("kept");
  expect(await page.getAttribute('[data-testid="online-accuracy-chart"]', "data-points")).toBe("2");
  // Both curves are drawn: the live model's and the frozen first version's.
  await page.waitForSelector('[data-testid="online-accuracy-chart"] .recharts-line path');
  expect(await page.locator('[data-testid="online-accuracy-chart"] .recharts-line').count()).toBe(2);
  await page.screenshot({ path: join(screenshots, "models-online.png"), fullPage: true });
  expect(errors).toEqual([]);
  await page.close();
}, 60_000);

it("draws the parallel coordinates, slices and trial table of 1,000 candidates seeded through the repositories", async () => {
  // Seeded campaigns are finished rows: the coordinator must not pick one up while it is being written.
  await coordinator.close();
  const dataset = (await repos.datasets.list())[0];
  if (!dataset) throw new Error("the first test synthesizes a dataset");
  const t0 = performance.now();
  const big = await seedFinishedCampaign(repos, { name: "seeded 1000", datasetId: dataset.id, candidates: 1000, seed: 11 });
  console.info(`seeded 1,000 candidates through the repositories in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  bigCampaign = big;

  const page = await signedInPage();
  const began = performance.now();
  const calledAt = Date.now();
  await page.goto(`${url}/#/campaigns/${big.id}`);
  await page.waitForSelector('[data-testid="parallel"][data-scored="1000"][data-render-ms]', { timeout: 30_000 });
  const wallMs = performance.now() - began;
  const chartMs = Number(await page.getAttribute('[data-testid="parallel"]', "data-render-ms"));
  const at = async (sel: string, attr: string) => Number(await page.getAttribute(sel, attr));
  const startedAfter = Number(await page.evaluate("performance.timeOrigin")) - calledAt;
  const [opened, snapshot, drawn] = [await at(".campaign", "data-opened-at"), await at(".campaign", "data-snapshot-at"), await at('[data-testid="parallel"]', "data-drawn-at")];
  const lines = Number(await page.getAttribute('[data-testid="parallel"]', "data-lines"));
  console.info(`parallel coordinates, 1,000 candidates: ${lines} lines drawn; ${wallMs.toFixed(0)} ms from goto to drawn (the browser started the navigation ${startedAfter.toFixed(0)} ms after goto; then ${drawn} ms on the page's clock: ${opened} ms to load the app and open the campaign page, ${snapshot - opened} ms more for its snapshot of the campaign, 1,000 candidates and their epochs, ${drawn - snapshot} ms more to render the page and draw the chart, of which ${chartMs.toFixed(0)} ms in the chart's setOption)`);
  expect(lines).toBe(500);
  expect(await page.locator('[data-testid="parallel-chart"] canvas').count()).toBeGreaterThan(0);
  expect(Number(await page.getAttribute('[data-testid="slices"]', "data-drawn"))).toBe(400);
  expect(Number(await page.getAttribute('[data-testid="slice-l"]', "data-points"))).toBe(400);

  // The trial table holds 1,000 rows but renders only those in view; headers sort, the filter narrows.
  const table = '[data-testid="population"]';
  expect(Number(await page.getAttribute(table, "data-rows"))).toBe(1000);
  const rendered = Number(await page.getAttribute(table, "data-rendered"));
  expect(rendered).toBeLessThan(60);
  console.info(`trial table: 1,000 rows, ${rendered} in the DOM`);
  const firstFitness = async () => Number(await page.locator(`${table} tbody tr[data-state] td:nth-child(3)`).first().textContent());
  expect(await firstFitness()).toBeCloseTo(big.best, 4);
  await page.click(`${table} th:text("fitness")`);
  await page.waitForSelector(`${table} th[aria-sort="ascending"]`);
  expect(await firstFitness()).toBeLessThan(big.best);
  await page.fill('input[name="trial-filter"]', "optimizer=adam l>2");
  await page.waitForFunction(`Number(document.querySelector('${table}')?.getAttribute("data-rows")) < 1000`);
  const filtered = Number(await page.getAttribute(table, "data-rows"));
  expect(filtered).toBeGreaterThan(0);
  const genes = await page.locator(`${table} tbody tr[data-state] td.genes`).allTextContents();
  expect(genes.every((g) => g.includes("adam"))).toBe(true);
  console.info(`filter optimizer=adam l>2: ${filtered} of 1,000 rows`);
  // A line of the parallel coordinates, clicked where the lines meet the fitness axis, opens its candidate.
  const back = page.url();
  await page.locator('[data-testid="parallel-chart"]').scrollIntoViewIfNeeded();
  const pc = await page.locator('[data-testid="parallel-chart"]').boundingBox();
  if (!pc) throw new Error("no parallel chart");
  // The fitness axis is the last, 70 px from the right edge (parallelOption's grid); its span is 40 px from the top to 24 px from the bottom.
  const fx = pc.x + pc.width - 70 - 4;
  await page.mouse.move(fx, pc.y + 40 + (pc.height - 64) * 0.5);
  await page.mouse.click(fx, pc.y + 40 + (pc.height - 64) * 0.5);
  await page.waitForSelector('[data-testid="candidate-page"]', { timeout: 5000 });
  const line = await repos.candidates.get(page.url().split("/").at(-1) ?? "");
  expect(line.campaignId).toBe(big.id);
  console.info(`parallel-coordinates line clicked at the fitness axis opened candidate ${line.hash.slice(0, 8)} (fitness ${line.fitness?.toFixed(4)})`);
  await page.goto(back);
  await page.waitForSelector('[data-testid="parallel"][data-render-ms]');

  // A point of the best-so-far chart, clicked with the mouse, opens the candidate holding that best.
  await page.locator('[data-testid="best-so-far-chart"]').scrollIntoViewIfNeeded();
  const surface = await page.locator('[data-testid="best-so-far-chart"] .recharts-surface').boundingBox();
  if (!surface) throw new Error("no best-so-far chart");
  // Hover first, as a user does: the chart learns which point is under the mouse on the next frame.
  await page.mouse.move(surface.x + surface.width * 0.6, surface.y + surface.height * 0.5);
  await page.waitForSelector('[data-testid="best-so-far-chart"] .recharts-tooltip-wrapper:visible, [data-testid="best-so-far-chart"] .recharts-active-dot');
  await page.mouse.click(surface.x + surface.width * 0.6, surface.y + surface.height * 0.5);
  await page.waitForSelector('[data-testid="candidate-page"]');
  const holder = await repos.candidates.get(page.url().split("/").at(-1) ?? "");
  expect(holder.campaignId).toBe(big.id);
  expect(holder.fitness ?? 1).toBeLessThanOrEqual(big.best);
  console.info(`best-so-far point at 60 % of the evaluations opened candidate ${holder.hash.slice(0, 8)} (fitness ${holder.fitness?.toFixed(4)})`);
  expect(errorsOf(page)).toEqual([]);
  await page.close();
}, 120_000);

it("compares two campaigns: picked from the list, overlaid by evaluations and by training time, with their winners", async () => {
  const big = bigCampaign;
  if (!big) throw new Error("the 1,000-candidate test seeds the first campaign");
  const dataset = (await repos.datasets.list())[0];
  const small = await seedFinishedCampaign(repos, { name: "seeded 200", datasetId: dataset?.id ?? "", candidates: 200, seed: 12, lift: 0.05 });
  const page = await signedInPage();
  await page.goto(`${url}/#/compare`);
  await page.click(`[data-testid="compare-picker"] input[name="compare.${big.id}"]`);
  await page.waitForURL(new RegExp(`#/compare/${big.id}$`));
  await page.click(`[data-testid="compare-picker"] input[name="compare.${small.id}"]`);
  await page.waitForURL(new RegExp(`#/compare/${big.id},${small.id}$`));
  await page.waitForSelector('[data-testid="compare-page"][data-series="2"]');
  await page.waitForSelector('[data-testid="winners"] tbody tr:nth-child(2)');
  for (const [c, n] of [[big, 1000], [small, 200]] as const) {
    const row = page.locator(`[data-testid="winners"] tr[data-campaign="${c.id}"]`);
    expect(Number(await row.getAttribute("data-best"))).toBeCloseTo(c.best, 6);
    expect(await row.locator("td:nth-child(4)").textContent()).toBe(String(n));
  }
  expect(await page.locator('[data-testid="compare-evaluations"] canvas').count()).toBeGreaterThan(0);
  expect(await page.locator('[data-testid="compare-time"] canvas').count()).toBeGreaterThan(0);
  await page.locator(`[data-testid="winners"] tr[data-campaign="${small.id}"] [data-testid="winner-link"]`).click();
  await page.waitForSelector('[data-testid="candidate-page"]');
  expect(await page.textContent('[data-testid="candidate-facts"]')).toContain(small.best.toFixed(4));
  await page.goBack();
  await page.waitForSelector('[data-testid="winners"] tbody tr:nth-child(2)');
  expect(errorsOf(page)).toEqual([]);
  await page.close();
}, 90_000);

it("shows each page at 1440 and at 390 px wide with nothing past its box, and the datasets page's statistics", async () => {
  const big = bigCampaign;
  if (!big) throw new Error("the 1,000-candidate test seeds a campaign");
  const campaigns = await repos.campaigns.list({ take: 10 });
  const dataset = (await repos.datasets.list())[0];
  if (!dataset) throw new Error("seeded rows missing");
  const pages: [string, string, string][] = [
    ["campaigns", "#/", '[data-testid="campaigns"] tbody tr'],
    ["launch", "#/launch", '[data-testid="gene-rows"]'],
    ["campaign", `#/campaigns/${big.id}`, '[data-testid="parallel"][data-render-ms]'],
    ["candidate", `#/candidates/${big.withCurve}`, '[data-testid="candidate-curves"][data-points="4"], [data-testid="candidate-curves"][data-points="5"], [data-testid="candidate-curves"][data-points="6"]'],
    ["compare", `#/compare/${campaigns.slice(0, 2).map((c) => c.id).join(",")}`, '[data-testid="winners"] tbody tr:nth-child(2)'],
    ["datasets", `#/datasets/${dataset.id}`, '[data-testid="dataset-campaigns"] tbody tr'],
    ["models", "#/models/drnn", '[data-testid="model-versions"] tbody tr'],
  ];
  for (const width of [1440, 390]) {
    // The sign-in page, before a token is kept.
    const anonymous = await browser.newPage({ viewport: { width, height: 1000 } });
    await anonymous.goto(url);
    await anonymous.waitForSelector('input[name="token"]');
    expect({ page: "login", width, offenders: await anonymous.evaluate(OVERFLOW_CHECK) }).toEqual({ page: "login", width, offenders: [] });
    await anonymous.screenshot({ path: join(screenshots, `login-${width}.png`), fullPage: true });
    await anonymous.close();
    const page = await signedInPage(width);
    for (const [name, hash, ready] of pages) {
      await page.goto(`${url}/${hash}`);
      await page.waitForSelector(ready, { timeout: 20_000 });
      // Charts size themselves to their box after the first frame; slice plots draw once scrolled near.
      await revealAll(page);
      const offenders = (await page.evaluate(OVERFLOW_CHECK)) as string[];
      expect({ page: name, width, offenders }).toEqual({ page: name, width, offenders: [] });
      await page.screenshot({ path: join(screenshots, `${name}-${width}.png`), fullPage: true });
    }
    // The datasets page: statistics recorded at registration, reachable once the baselines were scored, and the campaigns on it.
    await page.goto(`${url}/#/datasets/${dataset.id}`);
    await page.waitForSelector('[data-testid="dataset-campaigns"] tbody tr');
    const stats = await page.textContent('[data-testid="dataset-stats"]');
    expect(stats).toMatch(/train \/ val \/ test samples[\d,]+ \/ [\d,]+ \/ [\d,]+/);
    expect(stats).toMatch(/reachable \(test\)\d+\.\d %/);
    expect(await page.locator('[data-testid="dataset-campaigns"] tbody tr').count()).toBe((await repos.campaigns.list({ datasetId: dataset.id })).length);
    expect(errorsOf(page)).toEqual([]);
    await page.close();
  }
}, 120_000);
