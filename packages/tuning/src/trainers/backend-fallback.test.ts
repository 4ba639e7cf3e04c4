// A worker on a machine without a WebGPU adapter: the Vulkan loader is
// pointed at no driver (VK_ICD_FILENAMES), which the loader reads at process
// start, so the trainer starts in a child process. It must pick wasm and say
// why webgpu was passed over.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const trainerModule = fileURLToPath(new URL("./drnn-thread.ts", import.meta.url));
const script = `
import { DrnnThreadTrainer } from ${JSON.stringify(trainerModule)};
const t = await DrnnThreadTrainer.start({ threads: 1 });
console.log(JSON.stringify({ backend: t.backend, device: t.device, notes: t.notes }));
await t.close();
`;

describe("backend choice without a WebGPU adapter", () => {
  it("picks wasm and says why webgpu was passed over", () => {
    const dir = mkdtempSync(join(tmpdir(), "drnn-fallback-"));
    const file = join(dir, "start-trainer.mts");
    writeFileSync(file, script);
    const r = spawnSync(process.execPath, ["--import", "tsx", file], {
      encoding: "utf8",
      env: { ...process.env, VK_ICD_FILENAMES: "/nonexistent/no-driver.json", VK_DRIVER_FILES: "/nonexistent/no-driver.json" },
      timeout: 60_000,
    });
    rmSync(dir, { recursive: true, force: true });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as { backend: string; device: string; notes: string[] };
    expect(out.backend).toBe("wasm");
    expect(out.notes.join("\n")).toMatch(/^webgpu: no WebGPU adapter/m);
  }, 90_000);
});
