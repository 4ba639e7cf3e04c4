// The GPU check's entry (bundled by build.mjs into one file with Node beside
// it): the reference workload of `drnn bench train` on webgpu, then on wasm
// for comparison, printing samples/s, the adapter and the train losses'
// agreement. Arguments: --steps N (timed, default 100), --warmup N (default 5).
import { parseArgs } from "node:util";
import { loadConfig } from "../../apps/cli/src/config.js";
import { runTrainBench } from "../../apps/cli/src/commands/bench-train.js";
import { createOutput } from "../../apps/cli/src/output.js";

const { values } = parseArgs({ options: { steps: { type: "string", default: "100" }, warmup: { type: "string", default: "5" } } });
const out = createOutput(true);
const began = performance.now();
const r = await runTrainBench({ config: loadConfig(process.env), out }, { steps: values.steps, warmup: values.warmup, profileSteps: "0", backends: "webgpu,wasm", torchSeconds: "1" });
const entries = (r["backends"] as Record<string, unknown>[]).filter((b) => b["loaded"] === true);
const gpu = entries.find((b) => b["choice"] === "webgpu");
const wasm = entries.find((b) => b["choice"] === "wasm");
const rate = (b: Record<string, unknown> | undefined) => (b === undefined ? null : (b["samplesPerSecond"] as number));
const summary = {
  webgpu: gpu === undefined ? "did not load" : `${rate(gpu)} samples/s on ${String(gpu["device"])}`,
  wasm: wasm === undefined ? "did not load" : `${rate(wasm)} samples/s (matmul: ${String(wasm["matmul"])}; fused: ${String(wasm["fused"])})`,
  webgpuOverWasm: rate(gpu) !== null && rate(wasm) !== null ? Number(((rate(gpu) ?? 0) / (rate(wasm) ?? 1)).toFixed(3)) : null,
  lossAgreement: r["lossAgreement"],
  seconds: Number(((performance.now() - began) / 1000).toFixed(1)),
};
out.progress(`gpu check: ${JSON.stringify(summary, null, 2)}`);
out.result({ check: "gpu", ...summary, bench: r });
