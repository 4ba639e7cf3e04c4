// This node's view of the artifact store, from the CLI's configuration:
// PostgreSQL (or embedded PGlite) plus the cache under DRNN_ARTIFACTS_DIR/cache.
import { openNodeArtifacts, type NodeArtifacts } from "@drnn/artifacts";
import type { Repositories } from "@drnn/db";
import type { CliConfig } from "./config.js";
import type { Output } from "./output.js";

export function openArtifacts(config: CliConfig, repos: Repositories, out: Output): NodeArtifacts {
  return openNodeArtifacts({ repos, artifactsDir: config.DRNN_ARTIFACTS_DIR, cacheMb: config.DRNN_ARTIFACTS_CACHE_MB, log: (line) => out.progress(line) });
}
