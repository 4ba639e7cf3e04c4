// Errors callers branch on: a missing artifact fails a job at once (retrying
// cannot make it appear); a corrupt one is fetched again, then refused.

import { DrnnError } from "@drnn/contract";

/** No stored artifact has this hash. */
export class ArtifactMissingError extends DrnnError {
  override readonly name = "ArtifactMissingError";
  readonly code = "ARTIFACT_MISSING" as const;
  constructor(
    readonly hash: string,
    where: string,
    what?: string,
  ) {
    super(`artifact ${hash}${what ? ` (${what})` : ""} is not in the artifact store (${where})`);
  }
}

/** Bytes that do not hash to the address they were fetched under (truncated, damaged). */
export class ArtifactIntegrityError extends DrnnError {
  override readonly name = "ArtifactIntegrityError";
  readonly code = "ARTIFACT_INTEGRITY" as const;
  constructor(
    readonly hash: string,
    detail: string,
  ) {
    super(`artifact ${hash} failed its hash check: ${detail}`);
  }
}

/** A directory that cannot be packed as an artifact (not flat, unreadable). */
export class ArtifactPackError extends DrnnError {
  override readonly name = "ArtifactPackError";
  readonly code = "ARTIFACT_PACK" as const;
}

/** True for errors that a retry of the same job cannot fix. */
export function isPermanentArtifactError(err: unknown): boolean {
  return err instanceof ArtifactMissingError || err instanceof ArtifactIntegrityError || err instanceof ArtifactPackError;
}
