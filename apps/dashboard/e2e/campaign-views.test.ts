// The dashboard's pages over many trials, in a real browser (the setup is in
// setup.ts): a campaign of 1,000 candidates seeded through the repositories
// (parallel coordinates, slices, the trial table, charts opening candidates),
// two campaigns compared, and every page at 1440 and 390 px wide with nothing
// past its box (screenshots of each), the datasets page's statistics too.
// The dataset is synthesized through the API as the launch page does; the
// models page shows versions seeded in the registry.
import { join } from "node:path";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { startDashboard, revealAll, seedRegistry, type Dashboard } from "./setup.js";
import { seedFinishedCampaign, type SeededCampaign } from "./seed.js";
import { OVERFLOW_CHECK } from "./overflow.js";

let d: Dashboard;
// DRNN_SCREENSHOTS=1 refreshes the README's screenshots; otherwise they go to a temporary directory.
beforeAll(async () => {
  d = await startDashboard(inject("databaseUrl"), process.env["DRNN_SCREENSHOTS"] === "1");
  const res = await fetch(`${d.url}/api/datasets/synthetic`, {
    method: "POST",
    headers: { authorization: `Bearer ${d.token}`, "content-type": "application/json" },
    body: JSON.stringify({ sessions: 600, seed: 1 }),
  });
  if (res.status !== 201) throw new Error(`synthesizing the dataset: ${res.status} ${await res.text()}`);
  await seedRegistry(d.repos, d.work);
}, 90_000);
afterAll(() => d?.close());

let bigCampaign: SeededCampaign | null = null;

it("draws the parallel coordinates, slices and trial table of 1,000 candidates seeded through the repositories", async () => {
  // Seeded campaigns are finished rows: the coordinator must not pick one up while it is being written.
  await d.coordinator.close();
  const dataset = (await d.repos.datasets.list())[0];
  if (!dataset) throw new Error("beforeAll synthesizes a dataset");
  const t0 = performance.now();
  const big = await seedFinishedCampaign(d.repos, { name: "seeded 1000", datasetId: dataset.id, candidates: 1000, seed: 11 });
  console.info(`seeded 1,000 candidates through the repositories in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  bigCampaign = big;

  const page = await d.signedInPage();
  const began = performance.now();
  const calledAt = Date.now();
  await page.goto(`${d.url}/#/campaigns/${big.id}`);
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
  const line = await d.repos.candidates.get(page.url().split("/").at(-1) ?? "");
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
  const holder = await d.repos.candidates.get(page.url().split("/").at(-1) ?? "");
  expect(holder.campaignId).toBe(big.id);
  expect(holder.fitness ?? 1).toBeLessThanOrEqual(big.best);
  console.info(`best-so-far point at 60 % of the evaluations opened candidate ${holder.hash.slice(0, 8)} (fitness ${holder.fitness?.toFixed(4)})`);
  expect(d.errorsOf(page)).toEqual([]);
  await page.close();
}, 120_000);

it("compares two campaigns: picked from the list, overlaid by evaluations and by training time, with their winners", async () => {
  const big = bigCampaign;
  if (!big) throw new Error("the 1,000-candidate test seeds the first campaign");
  const dataset = (await d.repos.datasets.list())[0];
  const small = await seedFinishedCampaign(d.repos, { name: "seeded 200", datasetId: dataset?.id ?? "", candidates: 200, seed: 12, lift: 0.05 });
  const page = await d.signedInPage();
  await page.goto(`${d.url}/#/compare`);
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
  expect(d.errorsOf(page)).toEqual([]);
  await page.close();
}, 90_000);

it("shows each page at 1440 and at 390 px wide with nothing past its box, and the datasets page's statistics", async () => {
  const big = bigCampaign;
  if (!big) throw new Error("the 1,000-candidate test seeds a campaign");
  const campaigns = await d.repos.campaigns.list({ take: 10 });
  const dataset = (await d.repos.datasets.list())[0];
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
    const anonymous = await d.browser.newPage({ viewport: { width, height: 1000 } });
    await anonymous.goto(d.url);
    await anonymous.waitForSelector('input[name="token"]');
    expect({ page: "login", width, offenders: await anonymous.evaluate(OVERFLOW_CHECK) }).toEqual({ page: "login", width, offenders: [] });
    await anonymous.screenshot({ path: join(d.screenshots, `login-${width}.png`), fullPage: true });
    await anonymous.close();
    const page = await d.signedInPage(width);
    for (const [name, hash, ready] of pages) {
      await page.goto(`${d.url}/${hash}`);
      await page.waitForSelector(ready, { timeout: 20_000 });
      // Charts size themselves to their box after the first frame; slice plots draw once scrolled near.
      await revealAll(page);
      const offenders = (await page.evaluate(OVERFLOW_CHECK)) as string[];
      expect({ page: name, width, offenders }).toEqual({ page: name, width, offenders: [] });
      await page.screenshot({ path: join(d.screenshots, `${name}-${width}.png`), fullPage: true });
    }
    // The datasets page: statistics recorded at registration, reachable once the baselines were scored, and the campaigns on it.
    await page.goto(`${d.url}/#/datasets/${dataset.id}`);
    await page.waitForSelector('[data-testid="dataset-campaigns"] tbody tr');
    const stats = await page.textContent('[data-testid="dataset-stats"]');
    expect(stats).toMatch(/train \/ val \/ test samples[\d,]+ \/ [\d,]+ \/ [\d,]+/);
    expect(stats).toMatch(/reachable \(test\)\d+\.\d %/);
    expect(await page.locator('[data-testid="dataset-campaigns"] tbody tr').count()).toBe((await d.repos.campaigns.list({ datasetId: dataset.id })).length);
    expect(d.errorsOf(page)).toEqual([]);
    await page.close();
  }
}, 120_000);
