export { FITNESS_QUEUE, fitnessJobId } from "./names.js";
export * from "./schemas.js";
export {
  createRedis,
  checkRedis,
  describeRedis,
  queueOptions,
  workerOptions,
  FITNESS_WORKER_SETTINGS,
  FITNESS_JOB_DEFAULTS,
  RedisUnavailableError,
  type QueueConfig,
} from "./connection.js";
export { FitnessQueue, createQueueEvents, type EnqueueResult } from "./fitness-queue.js";
