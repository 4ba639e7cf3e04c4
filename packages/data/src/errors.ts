// Errors that steer control flow. Each has a stable `name`; callers match on
// the class or the name, never on the message.

/** The input is not the format the caller said it is. Stops the run at once. */
export class WrongFormatError extends Error {
  override readonly name = "WrongFormatError";
  constructor(
    readonly expected: string,
    readonly file: string,
    detail: string,
  ) {
    super(`${file} is not in the ${expected} format: ${detail}`);
  }
}

/** Input files missing or unreadable, or options out of range. */
export class DataInputError extends Error {
  override readonly name = "DataInputError";
}

/** The output directory already holds a different dataset (artifacts are immutable). */
export class ArtifactExistsError extends Error {
  override readonly name = "ArtifactExistsError";
}

/** A dataset directory that is incomplete or fails its content hash. */
export class ArtifactCorruptError extends Error {
  override readonly name = "ArtifactCorruptError";
}
