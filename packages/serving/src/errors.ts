// Errors that steer control flow. Each has a stable `name`; the HTTP layer and
// the CLI branch on it, never on a message.

/** No model can serve right now (none promoted, or its artifact failed to load): HTTP 503. */
export class ModelUnavailableError extends Error {
  override readonly name = "ModelUnavailableError";
}

/** A campaign with no completed candidate of positive fitness: nothing to promote. */
export class NothingToPromoteError extends Error {
  override readonly name = "NothingToPromoteError";
}

/** A model version's directory that is not a servable model. */
export class ServingArtifactError extends Error {
  override readonly name = "ServingArtifactError";
}

/** Redis, which holds the session state, did not answer: HTTP 503. */
export class SessionStoreUnavailableError extends Error {
  override readonly name = "SessionStoreUnavailableError";
}
