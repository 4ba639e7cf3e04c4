// Errors that steer control flow. Each has a stable `name`, so callers branch
// on it and never on a message.

/** A chromosome whose genes cannot make a model (the GA validator normally catches these first). */
export class InvalidSpecError extends Error {
  override readonly name = "InvalidSpecError";
}

/** The backend asked for does not exist or cannot load here. */
export class BackendUnavailableError extends Error {
  override readonly name = "BackendUnavailableError";
  constructor(
    readonly backend: string,
    reason: string,
  ) {
    super(`backend '${backend}' is not available: ${reason}`);
  }
}

/** A saved model directory that is missing files or does not match this model package. */
export class ModelArtifactError extends Error {
  override readonly name = "ModelArtifactError";
}

/** The dataset and the model do not fit together (vocabulary sizes, empty splits). */
export class DatasetMismatchError extends Error {
  override readonly name = "DatasetMismatchError";
}
