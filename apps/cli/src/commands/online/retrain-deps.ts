// The retrain worker's dependencies and settings from the CLI's flags and
// configuration (shared by \`online worker\` and \`online replay\`).
import { acquireNamedLock, type Repositories } from "@drnn/db";
import { FINE_TUNE_DEFAULTS } from "@drnn/model";
import { ONLINE_DEFAULTS, type RetrainDeps } from "@drnn/online";
import type { CommandContext } from "../../command.js";
import { openArtifacts } from "../../node-artifacts.js";
import { intOption, numberOption } from "../../options.js";

export interface RetrainFlags {
  margin?: string;
  epochs?: string;
  trainSamples?: string;
}

/** The retrain's settings from flags; unset ones keep ONLINE_DEFAULTS / FINE_TUNE_DEFAULTS. */
export function retrainSettings(f: RetrainFlags): Pick<RetrainDeps, "margin" | "fineTune"> {
  const out: Pick<RetrainDeps, "margin" | "fineTune"> = {};
  if (f.margin !== undefined) out.margin = numberOption("--margin", f.margin, 0);
  const epochs = f.epochs === undefined ? undefined : intOption("--epochs", f.epochs, 1);
  const trainSamples = f.trainSamples === undefined ? undefined : intOption("--train-samples", f.trainSamples, 1);
  if (epochs !== undefined || trainSamples !== undefined) {
    out.fineTune = {
      ...(epochs === undefined ? {} : { rule: { ...FINE_TUNE_DEFAULTS.rule, maxEpochs: epochs } }),
      ...(trainSamples === undefined ? {} : { trainSamplesPerEpoch: trainSamples }),
    };
  }
  return out;
}

export function retrainDeps(c: CommandContext, repos: Repositories, databaseUrl: string, withStore: boolean): RetrainDeps {
  const artifacts = withStore ? openArtifacts(c.config, repos, c.out) : null;
  return {
    repos,
    artifactsDir: c.config.DRNN_ARTIFACTS_DIR,
    lock: (name) => acquireNamedLock(databaseUrl, ONLINE_DEFAULTS.lockScope, name),
    versionDir: async (v) => {
      if (artifacts === null) return v.artifact;
      const dir = await artifacts.modelDir(v.artifactHash, v.artifact, `model ${v.name} version ${v.version}`);
      if (dir === null) throw new Error(`${v.name} version ${v.version} is neither in the artifact store nor at ${v.artifact}`);
      return dir;
    },
    ...(artifacts ? { artifacts } : {}),
  };
}
