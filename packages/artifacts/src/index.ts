// @drnn/artifacts: the content-addressed artifact store (PostgreSQL by
// default, one interface for others), directory packing, the node-local
// cache and garbage collection. Lets worker, promotion and serving nodes
// share nothing but PostgreSQL and Redis.
export * from "./errors.js";
export * from "./store.js";
export { PostgresArtifactStore, DEFAULT_CHUNK_BYTES, rechunk } from "./postgres-store.js";
export { packDirectory, packableFiles, hashDirectory, unpackTo, type PackedFile, type UnpackResult } from "./pack.js";
export { ArtifactCache, type ArtifactCacheOptions, type CacheEntry } from "./cache.js";
export { NodeArtifacts, openNodeArtifacts, DEFAULT_CACHE_MB, type PushedDataset, type NodeArtifactsOptions } from "./node-artifacts.js";
export { collectGarbage, type GcOptions, type GcResult } from "./gc.js";
