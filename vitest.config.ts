import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

// Three layers, each with only the setup it needs, so `vitest run --project unit`
// works on a machine with neither PostgreSQL nor Redis:
// - unit: pure code (ga, data, config, model, dashboard logic, embedded PGlite, training threads, webgpu);
// - services: against the real PostgreSQL and Redis (one database and key prefix per run);
// - e2e: whole processes and the browser, also against the services.
const servicesSetup = ["./test/global-setup.ts"];

const unit = [
  "packages/{ga,data,config,model,contract,ops}/src/**/*.test.ts",
  "apps/dashboard/src/**/*.test.ts",
  "packages/db/src/embedded.test.ts",
  "packages/tuning/src/trainers/*.test.ts",
];
const e2e = ["apps/cli/src/**/*.test.ts", "apps/dashboard/e2e/**/*.test.ts"];
const services = ["packages/*/src/**/*.test.ts", "apps/*/src/**/*.test.ts"];

function project(name: string, include: string[], exclude: string[], globalSetup: string[]): TestProjectInlineConfiguration {
  return { extends: true, test: { name, include, exclude: ["**/node_modules/**", ...exclude], globalSetup } };
}

export default defineConfig({
  test: {
    projects: [project("unit", unit, [], []), project("services", services, [...unit, ...e2e], servicesSetup), project("e2e", e2e, [], servicesSetup)],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores here: more forks only contend.
    pool: "forks",
    maxWorkers: 2,
  },
});
