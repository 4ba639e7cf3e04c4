// The dashboard in a real browser, as a user drives it (the setup is in
// setup.ts): sign in with a token, synthesize a dataset and launch a small
// campaign from the form, watch the fitness chart and a convergence curve
// appear and grow live (no reload), open candidates, cancel. Then the models
// page: versions seeded in the registry and a rollback from the table, and
// the online loop's lineage, decisions and accuracy chart. Screenshots of the
// launch form, the campaign page and the models page.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { startDashboard, grows, revealAll, seedRegistry, type Dashboard } from "./setup.js";

let d: Dashboard;
// DRNN_SCREENSHOTS=1 refreshes the README's screenshots; otherwise they go to a temporary directory.
beforeAll(async () => {
  d = await startDashboard(inject("databaseUrl"), process.env["DRNN_SCREENSHOTS"] === "1");
}, 60_000);
afterAll(() => d?.close());

it("signs in, launches from the form, charts live and cancels", async () => {
  const t0 = performance.now();
  const mark = (what: string) => console.info(`${((performance.now() - t0) / 1000).toFixed(1)} s: ${what}`);
  const page = await d.browser.newPage({ viewport: { width: 1440, height: 1000 } });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(d.url);

  // A bad token is refused; the right one signs in.
  await page.fill('input[name="token"]', "drnn_wrong");
  await page.click('button[type="submit"]');
  await page.waitForSelector('[role="alert"]');
  await page.fill('input[name="token"]', d.token);
  await page.click('button[type="submit"]');
  await page.waitForSelector("text=Launch a campaign");
  expect(await page.evaluate("sessionStorage.getItem('drnn.token')")).toBe(d.token);

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
  mkdirSync(d.screenshots, { recursive: true });
  await page.screenshot({ path: join(d.screenshots, "launch.png"), fullPage: true });
  await page.evaluate("window.noReload = true");
  await page.click('button[type="submit"]');
  await page.waitForURL(/#\/campaigns\/[0-9a-f-]+$/);
  mark("launched from the form");
  const launched = await d.repos.campaigns.get(page.url().split("/").at(-1) ?? "");
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
  await page.screenshot({ path: join(d.screenshots, "campaign.png"), fullPage: true });
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
  await seedRegistry(d.repos, d.work);

  const page = await d.browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const questions: string[] = [];
  page.on("dialog", (d) => void (questions.push(d.message()), d.accept()));
  await page.addInitScript(`sessionStorage.setItem("drnn.token", ${JSON.stringify(d.token)})`);
  await page.goto(d.url);
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
  expect((await d.repos.models.live("drnn"))?.version).toBe(1);
  expect((await d.repos.models.history("drnn")).at(-1)).toMatchObject({ action: "rollback", actor: "token:browser-test" });
  await page.screenshot({ path: join(d.screenshots, "models.png"), fullPage: true });
  expect(errors).toEqual([]);
  await page.close();
}, 60_000);

it("shows the online loop on the models page: lineage, decisions and the per-batch accuracy chart", async () => {
  const v1 = await d.repos.models.addVersion({ name: "stream", chromosome: { layers: 1 }, fitness: 0.2, artifact: join(d.work, "models/s1") });
  await d.repos.models.promote(v1.id, "stream", "online");
  const at = new Date("2024-03-01T10:00:00Z");
  const closed = ["a", "b"].map((k, i) => ({ modelName: "stream", sourceKey: k, records: [], firstEventAt: new Date(at.getTime() + i), lastEventAt: new Date(at.getTime() + i), hasPurchase: true }));
  await d.repos.ingest.commit({ source: "browser-test", position: 2n, closed, open: [], removedOpenKeys: [] });
  const m = (hit1: number) => ({ samples: 100, sessions: 20, hit1, hit20: 0.9, mrr20: hit1 + 0.05, reachable: 0.8 });
  const batches = await d.repos.onlineBatches.cutReady("stream", 1);
  let parent = v1;
  for (const [i, b] of batches.entries()) {
    await d.repos.onlineBatches.startTraining(b.id);
    const decision = await d.repos.decisions.record({
      modelName: "stream", batchId: b.id, version: { chromosome: { layers: 1 }, fitness: 0.3, artifact: join(d.work, `models/s${i + 2}`) }, parentVersionId: parent.id, parentVersion: parent.version,
      batchIds: i === 0 ? [b.id] : [batches[0]?.id ?? "", b.id], sessionCount: i + 1, outcome: i === 0 ? "promoted" : "kept", reason: i === 0 ? "better on the holdout" : "worse on the holdout",
      metric: "hit1", margin: 0.01, candidateMetrics: m(0.6 - 0.2 * i), liveMetrics: m(0.4 + 0.1 * i), details: { growth: { addedPages: 7, addedGeneratorItems: 5 }, prequential: { liveVersion: i + 1, firstVersion: 1, live: m(0.5 + 0.1 * i), frozen: m(0.5 - 0.1 * i), spop: m(0.55) } },
    });
    parent = decision.candidateVersion;
  }
  const page = await d.browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.addInitScript(`sessionStorage.setItem("drnn.token", ${JSON.stringify(d.token)})`);
  await page.goto(`${d.url}#/models/stream`);
  await page.waitForSelector('[data-testid="online-loop"]');
  expect(await page.textContent('[data-testid="online-lineage"]')).toContain("v1 → v2 (batch 1)");
  expect(await page.locator('[data-testid="online-decisions"] tbody tr').count()).toBe(2);
  expect(await page.textContent('[data-testid="online-decisions"] tr[data-batch="2"]')).toContain("kept");
  expect(await page.getAttribute('[data-testid="online-accuracy-chart"]', "data-points")).toBe("2");
  // The three curves are drawn: the live model's, the frozen first version's and S-POP's.
  await page.waitForSelector('[data-testid="online-accuracy-chart"] .recharts-line path');
  const curves = page.locator('[data-testid="online-accuracy-chart"] .recharts-line path.recharts-line-curve');
  expect(await curves.count()).toBe(3);
  for (let i = 0; i < 3; i++) expect((await curves.nth(i).getAttribute("d")) ?? "").toMatch(/^M[\d.]+,[\d.]+L/);
  await page.screenshot({ path: join(d.screenshots, "models-online.png"), fullPage: true });
  expect(errors).toEqual([]);
  await page.close();
}, 60_000);
