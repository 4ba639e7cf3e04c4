// Shared by this package's tests (not exported): a first version trained on
// items 0..3 and a batch of closed sessions stored and cut the way ingest
// stores and cuts them.
import { shopSessions, type ClosedSession } from "@drnn/data";
import type { OnlineBatch, Repositories } from "@drnn/db";
import type { ChromosomeInput, FitnessRuleOptions } from "@drnn/model";
import { trainFirstVersion } from "./first-model.js";

export const SMALL: ChromosomeInput = {
  w: 3, l: 1, h: 1, neurons: [24], learningRate: 0.03, optimizer: "adam", activation: "tanh", loss: "softmax",
  batchSize: 16, init: "xavier", history: true, fnnLayers: 0, fnnNeurons: 4, dropout: 0, pointer: false,
};
export const EPOCHS = (n: number): FitnessRuleOptions => ({ policy: "paper", maxEpochs: n, pi: 0, patience: 1, unsettledFitness: 0 });

export async function firstVersion(repos: Repositories, name: string, artifactsDir: string) {
  return trainFirstVersion(repos, { name, sessions: shopSessions(1, 200, { from: 0, to: 4 }, 0), chromosome: SMALL, rule: EPOCHS(8), seed: 3, artifactsDir });
}

/** Stores the sessions as closed sessions of `name` and cuts batches of `size`. */
export async function storeAndCut(repos: Repositories, name: string, sessions: readonly ClosedSession[], size: number): Promise<OnlineBatch[]> {
  const closed = sessions.map((s) => {
    const times = s.records.map((r) => r.timestamp);
    return {
      modelName: name,
      sourceKey: s.key,
      records: s.records as never,
      firstEventAt: new Date(Math.min(...times)),
      lastEventAt: new Date(Math.max(...times)),
      hasPurchase: s.records.some((r) => r.event === "buy"),
    };
  });
  await repos.ingest.commit({ source: `test-${name}`, position: BigInt(closed.length), closed, open: [], removedOpenKeys: [] });
  return repos.onlineBatches.cutReady(name, size);
}
