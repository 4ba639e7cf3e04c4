// Errors that steer control flow. Each has a stable `name`, so callers branch
// on it and never on a message.

import { DrnnError } from "@drnn/contract";

/** A chromosome whose genes cannot make a model (the GA validator normally catches these first). */
export class InvalidSpecError extends DrnnError {
  override readonly name = "InvalidSpecError";
  readonly code = "INVALID_SPEC" as const;
}

/** The backend asked for does not exist or cannot load here. */
export class BackendUnavailableError extends DrnnError {
  override readonly name = "BackendUnavailableError";
  readonly code = "BACKEND_UNAVAILABLE" as const;
  constructor(
    readonly backend: string,
    reason: string,
  ) {
    super(`backend '${backend}' is not available: ${reason}`);
  }
}

/** A saved model directory that is missing files or does not match this model package. */
export class ModelArtifactError extends DrnnError {
  override readonly name = "ModelArtifactError";
  readonly code = "MODEL_ARTIFACT" as const;
}

/** The dataset and the model do not fit together (vocabulary sizes, empty splits). */
export class DatasetMismatchError extends DrnnError {
  override readonly name = "DatasetMismatchError";
  readonly code = "DATASET_MISMATCH" as const;
}
