// Errors that steer control flow. Each has a stable `name`; the HTTP layer and
// the CLI branch on it, never on a message.

import { DrnnError } from "@drnn/contract";

/** No model can serve right now (none promoted, or its artifact failed to load): HTTP 503. */
export class ModelUnavailableError extends DrnnError {
  override readonly name = "ModelUnavailableError";
  readonly code = "NO_LIVE_MODEL" as const;
}

/** A campaign with no completed candidate of positive fitness: nothing to promote. */
export class NothingToPromoteError extends DrnnError {
  override readonly name = "NothingToPromoteError";
  readonly code = "NOTHING_TO_PROMOTE" as const;
}

/** A model version's directory that is not a servable model. */
export class ServingArtifactError extends DrnnError {
  override readonly name = "ServingArtifactError";
  readonly code = "SERVING_ARTIFACT" as const;
}

/** Redis, which holds the session state, did not answer: HTTP 503. */
export class SessionStoreUnavailableError extends DrnnError {
  override readonly name = "SessionStoreUnavailableError";
  readonly code = "SESSION_STORE_UNAVAILABLE" as const;
}

/** The online loop's event store (PostgreSQL, through ingest) did not take the event, or this server does not ingest: HTTP 503. */
export class EventStoreUnavailableError extends DrnnError {
  override readonly name = "EventStoreUnavailableError";
  readonly code = "EVENT_STORE_UNAVAILABLE" as const;
}
