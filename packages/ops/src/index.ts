// @drnn/ops: what an operator sees of every long-running process: structured
// logs, Prometheus metrics, readiness, and the graceful stop on SIGTERM.
export { createLogger, silentLogger, reasonOf, type Logger, type LogLevel, type LogIds, type LoggerOptions } from "./logger.js";
export { createMetricsRegistry, EvaluationMetrics, ServingMetrics, CoordinatorMetrics, type Registry, type EvaluationFailure, type EvaluationEnd } from "./metrics.js";
export { renderMetrics, metricsHandler, startMetricsServer, type MetricsEndpoint, type MetricsSource, type MetricsServer } from "./metrics-http.js";
export { checkReadiness, type Readiness, type ReadinessCheck } from "./readiness.js";
export { trackInFlight, drainServer, type InFlight, type DrainResult } from "./drain.js";
