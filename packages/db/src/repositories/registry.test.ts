// Campaigns, epochs, registry and tokens on both backends: the test run's
// PostgreSQL server and an in-memory embedded PGlite. The suite body is
// registry.conformance.ts.
import { describe, inject } from "vitest";
import { testBackends } from "../testing.js";
import { defineRegistryConformance } from "./registry.conformance.js";

for (const backend of testBackends(inject("databaseUrl"))) describe(backend.name, () => defineRegistryConformance(backend));
