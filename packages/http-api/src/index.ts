// @drnn/http-api: the platform's REST + SSE API as an Express app factory.
// apps/api and `drnn api` both start it; neither holds logic of its own.
export { createApi, type Api } from "./app.js";
export { API_ERROR_CODES, HTTP_STATUS, ApiError, toApiError, type ApiErrorCode, type ErrorBody, type FieldIssue } from "./errors.js";
export { TOKEN_SCOPES } from "./auth.js";
export { openApiPath } from "./openapi.js";
export type { ApiConfig, ApiDeps, PromoteInput, RollbackInput, RouteDef, Scope } from "./types.js";
export { registerPrepared } from "./routes/datasets.js";
export { QUEUE_BOARD_PATH } from "./operations.js";
export { startApiServer, API_DEFAULTS, type ApiServerOptions, type RunningApi } from "./server.js";
