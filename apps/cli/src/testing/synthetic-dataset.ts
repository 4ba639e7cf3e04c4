// The dataset most end-to-end tests run on: a seeded synthetic shop log
// written to <home>/log.jsonl and prepared into <home>/ds.
import { join } from "node:path";
import { prepareDataset, writeSyntheticLog } from "@drnn/data";

/** The prepared dataset's directory, <home>/ds. */
export async function prepareSyntheticDataset(home: string, synth: { sessions: number; seed: number }): Promise<string> {
  const log = join(home, "log.jsonl");
  const out = join(home, "ds");
  await writeSyntheticLog(log, synth);
  await prepareDataset({ format: "jsonl", input: log, out });
  return out;
}
