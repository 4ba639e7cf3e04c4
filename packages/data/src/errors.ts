// Errors that steer control flow. Each has a stable `name`; callers match on
// the class or the name, never on the message.

import { DrnnError } from "@drnn/contract";

/** The input is not the format the caller said it is. Stops the run at once. */
export class WrongFormatError extends DrnnError {
  override readonly name = "WrongFormatError";
  readonly code = "DATA_FORMAT" as const;
  constructor(
    readonly expected: string,
    readonly file: string,
    detail: string,
  ) {
    super(`${file} is not in the ${expected} format: ${detail}`);
  }
}

/** Input files missing or unreadable, or options out of range. */
export class DataInputError extends DrnnError {
  override readonly name = "DataInputError";
  readonly code = "BAD_INPUT" as const;
}

/** The output directory already holds a different dataset (artifacts are immutable). */
export class ArtifactExistsError extends DrnnError {
  override readonly name = "ArtifactExistsError";
  readonly code = "ARTIFACT_EXISTS" as const;
}

/** A dataset directory that is incomplete or fails its content hash. */
export class ArtifactCorruptError extends DrnnError {
  override readonly name = "ArtifactCorruptError";
  readonly code = "ARTIFACT_CORRUPT" as const;
}
