// The DRNN trained on TF.js's WebGPU backend (Dawn; here Mesa's lavapipe, a
// software Vulkan driver) against the same training on wasm with the stock
// ops. Skipped, saying why, only where no WebGPU adapter exists; CI sets
// DRNN_REQUIRE_WEBGPU=1 (its .ci/run installs lavapipe), so there a missing
// adapter fails instead.
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { selectBackend } from "../backend.js";
import { FUSED_KERNEL_NAMES } from "../kernels/fused.js";
import type { ChromosomeInput } from "../spec.js";
import { fixedEpochs } from "../testing/rule.js";
import { tinyDataset } from "../testing/tiny-dataset.js";
import { probeWebGpu } from "../webgpu.js";
import { trainModel, type TrainResult } from "./train.js";

const probe = await probeWebGpu();
const missing = probe.ok ? undefined : probe.reason;
if (missing !== undefined && process.env["DRNN_REQUIRE_WEBGPU"] === "1") throw new Error(`DRNN_REQUIRE_WEBGPU=1, but ${missing}`);
if (missing !== undefined) console.warn(`webgpu tests skipped: ${missing}`);

/** Relative agreement of every loss with wasm's: float32 sums in another order drift by about 1e-6 over these epochs. */
const TOLERANCE = 1e-4;

const small: ChromosomeInput = {
  w: 3, l: 2, h: 1, neurons: [16, 8], learningRate: 0.02, optimizer: "adam", activation: "relu", loss: "softmax",
  batchSize: 32, init: "xavier", history: true, fnnLayers: 1, fnnNeurons: 8, dropout: 0, pointer: true,
};

function losses(r: TrainResult): number[] {
  return r.epochs.flatMap((e) => [e.trainLoss, e.valLoss]);
}

describe.skipIf(missing !== undefined)(`training on webgpu (${probe.ok ? probe.info.device : `skipped: ${missing}`})`, () => {
  it("records the adapter, keeps webgpu out of the automatic choice on a software adapter, and registers no fused kernel on it", async () => {
    const auto = await selectBackend();
    const forced = await selectBackend("webgpu");
    expect(forced.backend).toBe("webgpu");
    expect(forced.adapter).toMatchObject({ vendor: expect.any(String), architecture: expect.any(String), device: expect.any(String), driver: expect.any(String) });
    expect(forced.device).toContain(forced.adapter?.device ?? "?");
    expect(forced.limits?.maxBufferBytes).toBeGreaterThan(0);
    expect(FUSED_KERNEL_NAMES.filter((name) => tf.getKernel(name, "webgpu") !== undefined)).toEqual([]);
    if (forced.adapter?.software === true) {
      expect(auto.backend).not.toBe("webgpu");
      expect(auto.notes.join("\n")).toMatch(/webgpu: the adapter is .*software/);
    } else {
      expect(auto.backend).toBe("webgpu");
    }
  });

  it(`trains the DRNN with the stock ops to the losses of wasm (relative ${TOLERANCE}), leaking no tensors`, async () => {
    const data = tinyDataset({ items: 6, sessions: 60, window: 3, users: true });
    const options = { rule: fixedEpochs(2), seed: 5 };
    const reference = await trainModel(data, small, { ...options, backend: await selectBackend("wasm", { fused: false }) });
    const backend = await selectBackend("webgpu");
    const before = tf.memory().numTensors;
    const gpu = await trainModel(data, small, { ...options, backend });
    expect(tf.memory().numTensors).toBe(before);
    expect(gpu.backend).toBe("webgpu");
    expect(gpu.reason).toBe(reference.reason);
    expect(gpu.epochs).toHaveLength(2);
    const expected = losses(reference);
    losses(gpu).forEach((loss, i) => expect(Math.abs(loss - (expected[i] ?? Number.NaN)) / Math.abs(expected[i] ?? 1)).toBeLessThan(TOLERANCE));
    expect(gpu.accuracy).toBeCloseTo(reference.accuracy, 6);
  }, 180_000);

  it("turns a candidate too large for the device's buffers into out-of-memory, and the next one trains on the same device", async () => {
    const backend = await selectBackend("webgpu");
    const limit = backend.limits?.maxBufferBytes ?? 0;
    // One recurrent matrix (width x width floats) just over the largest buffer the device binds.
    const width = Math.ceil(Math.sqrt(limit / 4)) + 1;
    const data = tinyDataset({ sessions: 20 });
    const before = tf.memory().numTensors;
    const big = await trainModel(data, { ...small, l: 1, neurons: [width], fnnLayers: 0 }, { rule: fixedEpochs(1), seed: 1, backend });
    expect(big).toMatchObject({ reason: "out-of-memory", fitness: 0 });
    expect(big.detail).toMatch(/WebGPU out of memory/);
    expect(tf.memory().numTensors).toBe(before);
    const next = await trainModel(data, small, { rule: fixedEpochs(1), seed: 1, backend });
    expect(next.reason).not.toBe("out-of-memory");
    expect(Number.isFinite(next.loss)).toBe(true);
  }, 180_000);
});
