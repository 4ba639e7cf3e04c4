// Which model serves right now, and the hot swap. The holder has one current
// ServingModel; AliasFollower polls the registry for the version the alias
// (the name's newest promotion row: `production`) points at, loads a new
// version beside the old one and then swaps the reference. Requests never
// wait for a load and never see a half-loaded model; the old version is
// disposed once the batches that picked it up are done.
import { ModelUnavailableError } from "./errors.js";
import { ServingModel, type ModelIdentity } from "./serving-model.js";

export class ModelHolder {
  private model: ServingModel | null = null;
  private reason = "no model loaded yet";

  get current(): ServingModel | null {
    return this.model;
  }

  /** Why there is no model, when there is none. */
  get unavailableReason(): string | null {
    return this.model === null ? this.reason : null;
  }

  /** The current model, counted as in use until `release()`; throws ModelUnavailableError when none. */
  acquire(): ServingModel {
    const m = this.model;
    if (m === null) throw new ModelUnavailableError(this.reason);
    m.acquire();
    return m;
  }

  swap(next: ServingModel): void {
    const old = this.model;
    this.model = next;
    if (old !== null && old !== next) old.retire();
  }

  markUnavailable(reason: string): void {
    this.reason = reason;
  }

  close(): void {
    const old = this.model;
    this.model = null;
    this.reason = "the server is shutting down";
    old?.retire();
  }
}

/** The registry calls the follower needs (ModelRepository satisfies it). */
export interface AliasSource {
  live(name: string): Promise<{ id: string; name: string; version: number; artifact: string } | null>;
}

export interface FollowerOptions {
  name: string;
  /** How often the alias is checked, ms (default 2000). */
  pollMs?: number;
  /** Loads a version's directory; default ServingModel.load. */
  load?: (dir: string, identity: ModelIdentity) => Promise<ServingModel>;
  onSwap?: (to: ModelIdentity, from: ModelIdentity | null) => void;
  onError?: (err: unknown) => void;
}

export class AliasFollower {
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  lastError: string | null = null;

  constructor(
    private readonly source: AliasSource,
    private readonly holder: ModelHolder,
    private readonly options: FollowerOptions,
  ) {}

  /** Checks the alias once and swaps if it moved; concurrent calls share one check. */
  refresh(): Promise<void> {
    this.inFlight ??= this.check().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  start(): Promise<void> {
    const first = this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.options.pollMs ?? 2000);
    this.timer.unref();
    return first;
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private async check(): Promise<void> {
    const { name } = this.options;
    let live;
    try {
      live = await this.source.live(name);
    } catch (err) {
      this.fail(`the model registry is unreachable: ${message(err)}`, err);
      return;
    }
    if (live === null) {
      this.holder.markUnavailable(`no model is promoted under '${name}' (run 'drnn promote --campaign ID --name ${name}')`);
      return;
    }
    const current = this.holder.current;
    if (current !== null && current.identity.id === live.id) return;
    const identity = { id: live.id, name: live.name, version: live.version };
    try {
      const next = await (this.options.load ?? ServingModel.load)(live.artifact, identity);
      this.holder.swap(next);
      this.lastError = null;
      this.options.onSwap?.(identity, current?.identity ?? null);
    } catch (err) {
      this.fail(`${name} version ${live.version} could not be loaded from ${live.artifact}: ${message(err)}`, err);
    }
  }

  private fail(reason: string, err: unknown): void {
    this.lastError = reason;
    // A model that already serves keeps serving; only an empty holder reports the reason (503).
    if (this.holder.current === null) this.holder.markUnavailable(reason);
    this.options.onError?.(err);
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
