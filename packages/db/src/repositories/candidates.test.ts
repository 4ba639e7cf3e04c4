// The candidate contract on both backends: the test run's PostgreSQL server
// and an in-memory embedded PGlite. The suite body is candidates.conformance.ts.
import { describe, inject } from "vitest";
import { testBackends } from "../testing.js";
import { defineCandidateConformance } from "./candidates.conformance.js";

for (const backend of testBackends(inject("databaseUrl"))) describe(backend.name, () => defineCandidateConformance(backend));
