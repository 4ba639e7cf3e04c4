export { FITNESS_QUEUE, RETRAIN_QUEUE, fitnessJobId } from "./names.js";
export * from "./schemas.js";
export {
  createRedis,
  checkRedis,
  describeRedis,
  watchRedis,
  isRedisConnectionError,
  isLostJobError,
  queueOptions,
  workerOptions,
  FITNESS_WORKER_SETTINGS,
  FITNESS_JOB_DEFAULTS,
  RedisUnavailableError,
  type QueueConfig,
} from "./connection.js";
export { RetrainQueue } from "./retrain-queue.js";
export { FitnessQueue, createQueueEvents, SERVICE_UNAVAILABLE_PREFIX, type JobStatus } from "./fitness-queue.js";
export type { EnqueueResult } from "./job-once.js";
export { UnrecoverableError } from "bullmq";
export { createQueueBoard, openPlatformQueues, type PlatformQueues } from "./board.js";
