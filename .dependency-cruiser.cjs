// The dependency direction of the design (apps -> packages, never back; the
// pure packages depend on nothing of ours) and no import cycles anywhere.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: "no-circular", severity: "error", comment: "import cycles hide layering mistakes", from: {}, to: { circular: true } },
    {
      name: "packages-not-to-apps",
      severity: "error",
      comment: "packages are libraries: they never reach up into an app",
      from: { path: "^packages/" },
      to: { path: "^apps/" },
    },
    {
      name: "apps-not-to-apps",
      severity: "error",
      comment: "apps talk over HTTP or the queue, not by importing each other",
      from: { path: "^apps/([^/]+)/" },
      to: { path: "^apps/", pathNot: "^apps/$1/" },
    },
    {
      name: "contract-is-a-leaf",
      severity: "error",
      comment: "the contract (genes, states, error codes, API shapes) depends on nothing of ours, so everything may depend on it",
      from: { path: "^packages/contract/" },
      to: { path: "^packages/", pathNot: "^packages/contract/" },
    },
    {
      name: "pure-packages-stand-alone",
      severity: "error",
      comment: "ga, data and config depend on nothing of ours but the contract",
      from: { path: "^packages/(ga|data|config)/" },
      to: { path: "^packages/", pathNot: ["^packages/$1/", "^packages/contract/"] },
    },
    {
      name: "ops-below-the-services",
      severity: "error",
      comment: "ops (logs, metrics, readiness, drain) is used by every long-running package, so it depends only on config and the contract",
      from: { path: "^packages/ops/" },
      to: { path: "^packages/", pathNot: "^packages/(ops|config|contract)/" },
    },
    {
      name: "dashboard-only-on-ga",
      severity: "error",
      comment: "the dashboard runs in the browser and talks to the API over HTTP: of ours it imports only the contract (API shapes, genes) and the pure @drnn/ga (search spaces)",
      from: { path: "^apps/dashboard/src/" },
      to: { path: "^packages/", pathNot: "^packages/(ga|contract)/" },
    },
    {
      name: "model-only-on-data",
      severity: "error",
      comment: "the model package may use data's types and the contract, nothing else of ours",
      from: { path: "^packages/model/" },
      to: { path: "^packages/", pathNot: "^packages/(model|data|contract)/" },
    },
    {
      name: "queue-and-db-below-apps",
      severity: "error",
      comment: "queue and db sit beside each other; only config and the contract are below them",
      from: { path: "^packages/(queue|db)/" },
      to: { path: "^packages/", pathNot: "^packages/($1|config|contract)/" },
    },
    {
      name: "no-deep-imports",
      severity: "error",
      comment: "another package is reached through its exports map (src/index.ts) only",
      from: { path: "^(apps|packages)/([^/]+)/" },
      to: { path: "^packages/[^/]+/src/", pathNot: ["^packages/[^/]+/src/index\\.tsx?$", "^packages/$2/"] },
    },
    {
      name: "no-undeclared-dependencies",
      severity: "error",
      comment: "every npm import is declared in that package's package.json",
      from: {},
      to: { dependencyTypes: ["npm-no-pkg", "npm-unknown"] },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment: "an import that resolves nowhere: a typo, or a package not declared in this package.json",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(generated|node_modules|dist)/" },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["types", "import", "default"],
      mainFields: ["module", "main", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs"],
    },
    tsConfig: { fileName: "tsconfig.json" },
  },
};
