// This node's view of the artifact store: PostgreSQL (or embedded PGlite)
// plus the cache under DRNN_ARTIFACTS_DIR/cache, bounded by DRNN_ARTIFACTS_CACHE_MB.
import { resolve } from "node:path";
import { ArtifactCache, NodeArtifacts, PostgresArtifactStore } from "@drnn/artifacts";
import type { Repositories } from "@drnn/db";
import type { CliConfig } from "./config.js";
import type { Output } from "./output.js";

export function openArtifacts(config: CliConfig, repos: Repositories, out: Output): NodeArtifacts {
  const store = new PostgresArtifactStore(repos.artifacts);
  const cache = new ArtifactCache({
    dir: resolve(config.DRNN_ARTIFACTS_DIR, "cache"),
    store,
    maxBytes: config.DRNN_ARTIFACTS_CACHE_MB * 1024 * 1024,
    log: (line) => out.progress(line),
  });
  return new NodeArtifacts(repos, store, cache);
}
