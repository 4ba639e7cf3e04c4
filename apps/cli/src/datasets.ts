// A campaign's --dataset is a prepared dataset directory (registered on the
// fly by its content hash) or the id of one already registered.
import { existsSync } from "node:fs";
import { basename, resolve } from "node:path";
import { loadDataset } from "@drnn/data";
import { NotFoundError, type Dataset, type Repositories } from "@drnn/db";
import { UsageError } from "./errors.js";

export async function resolveDataset(repos: Repositories, ref: string): Promise<Dataset> {
  if (existsSync(ref)) {
    const dir = resolve(ref);
    const d = loadDataset(dir, { verify: true });
    const m = d.manifest;
    return repos.datasets.register({
      name: basename(dir),
      format: m.source.format,
      contentHash: m.contentHash,
      location: dir,
      stats: { ...m.stats, pages: m.pageVocabulary, items: m.itemVocabulary, samples: m.samples, window: m.options.window } as object,
    });
  }
  try {
    return await repos.datasets.get(ref);
  } catch (err) {
    if (err instanceof NotFoundError || (err instanceof Error && /uuid/i.test(err.message))) {
      throw new UsageError(`--dataset ${ref}: neither a prepared dataset directory nor a registered dataset id`);
    }
    throw err;
  }
}
