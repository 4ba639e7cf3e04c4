// Registering a dataset by path: only from inside the configured roots, and
// a path outside them gets the same answer whether or not it exists, so a
// write token cannot probe the server's filesystem (traversal and symlinks
// included).
import { mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openTestApi, type TestApi } from "./testing.js";

const root = mkdtempSync(join(tmpdir(), "drnn-root-"));
const outside = mkdtempSync(join(tmpdir(), "drnn-outside-"));
let api: TestApi;
beforeAll(async () => {
  mkdirSync(join(root, "not-a-dataset"));
  symlinkSync(outside, join(root, "link-out"));
  api = await openTestApi(inject("databaseUrl"), { datasetRoots: [root] });
});
afterAll(async () => {
  await api?.close();
});

const register = async (path: string) => {
  const res = await api.call("POST", "/api/datasets", { token: api.writeToken, body: { path } });
  return { status: res.status, body: (await res.json()) as unknown };
};

describe("dataset roots", () => {
  it("refuses every path outside the roots with one answer, existing or not", async () => {
    const answers = await Promise.all([outside, "/etc", join(outside, "no-such-dir"), "/no/such/dir", join(root, "..", "etc"), join(root, "link-out")].map(register));
    for (const a of answers) expect(a.status).toBe(400);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(answers[0]?.body).toMatchObject({ error: { code: "VALIDATION_FAILED", issues: [{ path: "path", message: "must be a directory inside the server's dataset roots" }] } });
  });

  it("looks inside the roots: a directory that is no dataset is a 422, a missing one a 400 saying so", async () => {
    expect((await register(join(root, "not-a-dataset"))).status).toBe(422);
    const missing = await register(join(root, "nothing-here"));
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toMatch(/does not exist/);
  });
});
