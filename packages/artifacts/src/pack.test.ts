import { chmodSync, mkdirSync, readFileSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ArtifactIntegrityError, ArtifactPackError } from "./errors.js";
import { hashDirectory, packDirectory, unpackTo } from "./pack.js";
import { randomDir, tempDir } from "./testing.js";

describe("packDirectory", () => {
  it("gives the same bytes for the same files whatever their mode and times", async () => {
    const dir = randomDir(3, 5000);
    const first = await hashDirectory(dir);
    chmodSync(join(dir, "file-0.bin"), 0o600);
    utimesSync(join(dir, "file-1.bin"), new Date(2001, 1, 1), new Date(2001, 1, 1));
    expect(await hashDirectory(dir)).toEqual(first);
    writeFileSync(join(dir, "file-2.bin"), "changed");
    expect((await hashDirectory(dir)).hash).not.toBe(first.hash);
  });

  it("round-trips through unpackTo with per-file digests and the blob's hash", async () => {
    const dir = randomDir(4, 70_000);
    const { hash, bytes } = await hashDirectory(dir);
    const out = tempDir("unpack");
    const got = await unpackTo(packDirectory(dir), out, hash);
    expect(got).toMatchObject({ hash, bytes });
    expect(got.files.map((f) => f.name)).toEqual(readdirSync(dir).sort());
    for (const f of readdirSync(dir)) expect(readFileSync(join(out, f)).equals(readFileSync(join(dir, f)))).toBe(true);
  });

  it("refuses a directory with a subdirectory, and an empty one", () => {
    const dir = randomDir(1, 10);
    mkdirSync(join(dir, "sub"));
    expect(() => packDirectory(dir)).toThrow(ArtifactPackError);
    expect(() => packDirectory(tempDir("empty"))).toThrow(/empty/);
  });

  it("reports a cut-off blob as failing its hash check, naming it", async () => {
    const dir = randomDir(2, 20_000);
    const chunks: Buffer[] = [];
    for await (const c of packDirectory(dir)) chunks.push(Buffer.from(c));
    const whole = Buffer.concat(chunks);
    async function* truncated() {
      yield whole.subarray(0, 12_345);
    }
    const err = await unpackTo(truncated(), tempDir("unpack-cut"), "ab".repeat(32)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArtifactIntegrityError);
    expect(String(err)).toContain("ab".repeat(32));
  });
});
