// Builds the GPU check for a machine with no Node.js and no registry, where at
// most 64 MiB of files travel: this machine's Node binary, check.ts bundled
// with esbuild (the worker's code: @drnn/model and the bench's workload), the
// native parts (Dawn's dawn.node, koffi, the fused kernels' library, OpenBLAS
// with its Fortran runtime, the tfjs wasm binaries) and the Vulkan loader,
// packed as one .tar.xz, plus run.sh that unpacks and runs it.
//   node scripts/gpu-check/build.mjs [--out DIR]   (default scripts/gpu-check/out)
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const { values } = parseArgs({ options: { out: { type: "string", default: join(here, "out") } } });
const out = resolve(values.out);
const LIMIT = 64 * 2 ** 20;
const NAME = "drnn-gpu-check";

/** A package's folder as Node would find it from `from` (some packages do not export package.json). */
function packageDir(name, from) {
  for (let dir = realpathSync(from); ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return realpathSync(candidate);
    if (dirname(dir) === dir) throw new Error(`gpu-check: ${name} is not installed (from ${from}); run pnpm install`);
  }
}

const modelDir = join(root, "packages/model");
const dirs = {
  webgpu: packageDir("webgpu", modelDir),
  koffi: packageDir("koffi", modelDir),
  wasm: packageDir("@tensorflow/tfjs-backend-wasm", modelDir),
};
// pnpm keeps a package's dependencies beside it: .pnpm/koffi@x/node_modules/{koffi,@koromix/...}.
dirs.koffiNative = packageDir("@koromix/koffi-linux-x64", dirs.koffi);
// esbuild comes with tsx (a root dev dependency).
const esbuild = createRequire(join(packageDir("esbuild", packageDir("tsx", root)), "package.json"))(packageDir("esbuild", packageDir("tsx", root)));

const LIBS = "/usr/lib/x86_64-linux-gnu";
/** Shared libraries the check loads by name (LD_LIBRARY_PATH=lib): OpenBLAS and its runtime, the Vulkan loader. */
const SHARED = [
  ["libopenblas.so.0", `${LIBS}/libopenblas.so.0`],
  ["libgfortran.so.5", `${LIBS}/libgfortran.so.5`],
  ["libquadmath.so.0", `${LIBS}/libquadmath.so.0`],
  ["libvulkan.so.1", `${LIBS}/libvulkan.so.1`],
];

function copy(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(realpathSync(from), to);
}

function stageNodeModules(stage) {
  const nm = join(stage, "node_modules");
  // dawn.node for linux-x64 only (the package ships five platforms).
  for (const f of ["package.json", "index.js"]) copy(join(dirs.webgpu, f), join(nm, "webgpu", f));
  copy(join(dirs.webgpu, "dist/linux-x64/dawn.node"), join(nm, "webgpu/dist/linux-x64/dawn.node"));
  // koffi's JavaScript lives in src/; doc/ and vendor/ (headers) are not needed to run.
  cpSync(dirs.koffi, join(nm, "koffi"), { recursive: true, dereference: true, filter: (p) => !/\/koffi\/(doc|vendor)(\/|$)/.test(p) });
  cpSync(dirs.koffiNative, join(nm, "@koromix/koffi-linux-x64"), { recursive: true, dereference: true, filter: (p) => !/musl_x64/.test(p) });
  copy(join(dirs.wasm, "package.json"), join(nm, "@tensorflow/tfjs-backend-wasm/package.json"));
  for (const f of ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm", "tfjs-backend-wasm-threaded-simd.wasm"]) {
    copy(join(dirs.wasm, "dist", f), join(nm, "@tensorflow/tfjs-backend-wasm/dist", f));
  }
}

async function bundle(stage) {
  // app/js/check.mjs: native.ts finds ../../native/build/ from its own URL, i.e. stage/native/build.
  await esbuild.build({
    entryPoints: [join(here, "check.ts")],
    outfile: join(stage, "app/js/check.mjs"),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    minify: true,
    conditions: ["source"],
    external: ["webgpu", "koffi", "@tensorflow/tfjs-node", "@tensorflow/tfjs-node-gpu"],
    banner: {
      js: 'import { createRequire as __cr } from "node:module"; import { fileURLToPath as __fu } from "node:url"; import { dirname as __dn } from "node:path"; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);',
    },
    logLevel: "warning",
  });
  const lib = join(modelDir, "native/build/libdrnn_kernels.so");
  if (existsSync(lib)) copy(lib, join(stage, "native/build/libdrnn_kernels.so"));
  else console.error("gpu-check: packages/model/native/build/libdrnn_kernels.so is missing (no C compiler at install?): wasm runs the JavaScript kernels");
}

const RUN = `#!/usr/bin/env bash
# Unpacks ${NAME}.tar.xz (beside this script) and runs the GPU check: the
# reference workload of 'drnn bench train' on webgpu, then on wasm.
# Arguments go to the check (--steps N --warmup N). Needs bash, tar and xz or python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dest=\${DRNN_GPU_CHECK_DIR:-/tmp/${NAME}}
rm -rf "$dest" && mkdir -p "$dest"
if command -v xz >/dev/null 2>&1; then tar -C "$dest" -xJf "$here/${NAME}.tar.xz"
else python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$here/${NAME}.tar.xz" "$dest"; fi
app="$dest/${NAME}"
# The Vulkan loader travels in lib/; it needs the GPU driver's ICD file, which
# NVIDIA's container runtime puts outside the loader's default search path.
if [ -z "\${VK_DRIVER_FILES:-}\${VK_ICD_FILENAMES:-}" ]; then
  for f in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
    if [ -e "$f" ]; then export VK_DRIVER_FILES="$f"; break; fi
  done
fi
export LD_LIBRARY_PATH="$app/lib\${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
echo "vulkan driver file: \${VK_DRIVER_FILES:-\${VK_ICD_FILENAMES:-loader default search}}" >&2
exec "$app/bin/node" "$app/app/js/check.mjs" "$@"
`;

async function main() {
  const tmp = mkdtempSync(join(tmpdir(), `${NAME}-`));
  const stage = join(tmp, NAME);
  try {
    copy(process.execPath, join(stage, "bin/node"));
    chmodSync(join(stage, "bin/node"), 0o755);
    for (const [name, from] of SHARED) {
      if (existsSync(from)) copy(from, join(stage, "lib", name));
      else console.error(`gpu-check: ${from} is missing here; the target must provide ${name}`);
    }
    stageNodeModules(stage);
    await bundle(stage);
    mkdirSync(out, { recursive: true });
    const archive = join(out, `${NAME}.tar.xz`);
    execFileSync("tar", ["-C", tmp, "-cf", archive, "--use-compress-program=xz -T0 -6", NAME], { stdio: "inherit" });
    writeFileSync(join(out, "run.sh"), RUN);
    chmodSync(join(out, "run.sh"), 0o755);
    const unpacked = Number(execFileSync("du", ["-sb", stage], { encoding: "utf8" }).split("\t")[0]);
    const packed = statSync(archive).size + statSync(join(out, "run.sh")).size;
    const mib = (b) => `${(b / 2 ** 20).toFixed(1)} MiB`;
    console.log(JSON.stringify({ archive, unpackedBytes: unpacked, packedBytes: packed, unpacked: mib(unpacked), packed: mib(packed), limit: mib(LIMIT), fits: packed <= LIMIT }));
    if (packed > LIMIT) process.exitCode = 1;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
