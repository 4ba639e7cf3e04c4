// Messages between the main thread and a training thread.
import type { ErrorCode } from "@drnn/contract";
import type { DeviceMemory } from "@drnn/model";
import type { FitnessJobPayload, FitnessResult } from "@drnn/queue";
import type { EpochReport } from "../trainer.js";

export interface ThreadOptions {
  /** A TF.js backend name to insist on; unset picks the best that loads. */
  backend?: string;
  /** Where trained models are saved; unset saves none. */
  artifactsDir?: string;
  /** Options for Dawn's create() (DRNN_WEBGPU_FLAGS). */
  webgpuFlags?: string[];
  /** What the worker's jobs may use together (DRNN_WORKER_MEMORY_MB); unset: the device's own figure. */
  memoryBytes?: number;
}

/** `verdict` answers an epoch of a pruned job: the thread waits for it before training on. */
export type ThreadRequest = { type: "train"; payload: FitnessJobPayload } | { type: "abort" } | { type: "verdict"; epoch: number; stop: boolean };

export type ThreadResponse =
  | { type: "ready"; backend: string; device: string; notes: string[]; memory: DeviceMemory }
  | { type: "epoch"; report: EpochReport }
  | { type: "result"; result: FitnessResult }
  | { type: "error"; name: string; message: string; code: ErrorCode | null };
