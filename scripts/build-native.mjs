// Compiles packages/model/native/drnn_kernels.c into a shared library after
// install (the fused training kernels, loaded through koffi). Never fails the
// install: without a C compiler the model runs the same kernels in JavaScript,
// and says so in `drnn doctor` and `drnn bench train`.
// Portable flags by default (the baseline instruction set, so a library built
// in an image runs on any CPU of that architecture); DRNN_NATIVE_CFLAGS
// overrides them, e.g. "-O3 -march=native" on the machine that trains.
import { spawnSync } from "node:child_process";
import { mkdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "packages/model/native/drnn_kernels.c");
const outDir = join(root, "packages/model/native/build");
const ext = process.platform === "darwin" ? "dylib" : process.platform === "win32" ? "dll" : "so";
const output = join(outDir, `libdrnn_kernels.${ext}`);
const compiler = process.env.CC || "cc";
const flags = (process.env.DRNN_NATIVE_CFLAGS || "-O3").split(/\s+/).filter(Boolean);
// Vectorised reductions need reassociation; NaN and infinity stay IEEE, so a diverging run still shows NaN.
const math = ["-fno-math-errno", "-fno-trapping-math", "-fassociative-math", "-fno-signed-zeros"];

const fresh = (() => {
  try {
    return statSync(output).mtimeMs >= statSync(source).mtimeMs && !process.env.DRNN_NATIVE_CFLAGS;
  } catch {
    return false;
  }
})();
if (fresh && !process.argv.includes("--force")) process.exit(0);
mkdirSync(outDir, { recursive: true });
const r = spawnSync(compiler, [...flags, ...math, "-fPIC", "-shared", "-o", output, source, "-lm"], { encoding: "utf8" });
if (r.error !== undefined || r.status !== 0) {
  const why = r.error !== undefined ? r.error.message : r.stderr.trim().split("\n").slice(-3).join(" ");
  console.warn(`drnn: the native training kernels were not built (${why}); training uses the JavaScript kernels.`);
  process.exit(0);
}
console.log(`drnn: built ${output.slice(root.length + 1)} (${compiler} ${flags.join(" ")})`);
