// Live updates. Workers write epochs and results to PostgreSQL (the queue's
// own events are best-effort), so a feed polls the database for a campaign
// while anyone listens, diffs against what it saw, and fans the news out:
//   epoch       a new (or re-run) epoch row of a candidate
//   candidate   a candidate changed state, fitness or worker
//   generation  a generation closed (best/mean/worst fitness known)
//   campaign    the campaign changed state
// One feed per campaign per API instance, however many browsers watch.
import { isFinished } from "@drnn/contract";
import type { Repositories } from "@drnn/db";
import { campaignDto, candidateDto, epochDto, generationDto } from "./dto.js";

export type LiveEvent =
  | { type: "epoch"; data: ReturnType<typeof epochDto> }
  | { type: "candidate"; data: ReturnType<typeof candidateDto> }
  | { type: "generation"; data: ReturnType<typeof generationDto> }
  | { type: "campaign"; data: ReturnType<typeof campaignDto> };

type Listener = (e: LiveEvent) => void;

class CampaignFeed {
  private readonly listeners = new Set<Listener>();
  private readonly seenEpochs = new Map<string, string>();
  private readonly seenCandidates = new Map<string, string>();
  private readonly seenGenerations = new Map<number, string>();
  private campaignState = "";
  private baseline: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling = false;

  constructor(
    private readonly repos: Repositories,
    private readonly campaignId: string,
    private readonly pollMs: number,
    private readonly onIdle: () => void,
  ) {}

  /** Resolves once the feed has a baseline: everything after it is delivered. */
  async subscribe(listener: Listener): Promise<() => void> {
    this.listeners.add(listener);
    this.baseline ??= this.poll(false).then(() => this.schedule());
    await this.baseline;
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.listeners.clear();
    this.onIdle();
  }

  private schedule(): void {
    if (this.listeners.size === 0) return;
    const finished = isFinished(this.campaignState);
    this.timer = setTimeout(() => {
      void this.poll(true).finally(() => this.schedule());
    }, finished ? this.pollMs * 8 : this.pollMs);
  }

  private emit(e: LiveEvent, announce: boolean): void {
    if (!announce) return;
    for (const l of this.listeners) l(e);
  }

  private async poll(announce: boolean): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const campaign = await this.repos.campaigns.get(this.campaignId);
      const candidates = await this.repos.candidates.listByCampaign(this.campaignId);
      let changed = !announce;
      for (const c of candidates) {
        const sig = `${c.state}|${c.fitness}|${c.attempts}|${c.workerId}|${c.epochs}`;
        if (this.seenCandidates.get(c.id) === sig) continue;
        this.seenCandidates.set(c.id, sig);
        changed = true;
        this.emit({ type: "candidate", data: candidateDto(c) }, announce);
      }
      // Epochs are only written while a candidate runs, so idle campaigns skip the query.
      if (changed || candidates.some((c) => c.state === "running")) {
        for (const e of await this.repos.epochs.listForCampaign(this.campaignId)) {
          const key = `${e.candidateId}:${e.epoch}`;
          const sig = `${e.valAccuracy}|${e.valLoss}|${e.trainLoss}`;
          if (this.seenEpochs.get(key) === sig) continue;
          this.seenEpochs.set(key, sig);
          this.emit({ type: "epoch", data: epochDto(e) }, announce);
        }
      }
      for (const g of await this.repos.campaigns.generations(this.campaignId)) {
        const sig = g.completedAt ? g.completedAt.toISOString() : "open";
        if (this.seenGenerations.get(g.index) === sig) continue;
        this.seenGenerations.set(g.index, sig);
        if (g.completedAt) this.emit({ type: "generation", data: generationDto(g) }, announce);
      }
      if (campaign.state !== this.campaignState) {
        this.campaignState = campaign.state;
        this.emit({ type: "campaign", data: campaignDto(campaign) }, announce);
      }
    } catch {
      // A failed poll (database briefly away) is retried on the next tick.
    } finally {
      this.polling = false;
    }
  }
}

/** The feeds of one API instance; close() stops them all. */
export class LiveFeeds {
  private readonly feeds = new Map<string, CampaignFeed>();
  constructor(
    private readonly repos: Repositories,
    private readonly pollMs: number,
  ) {}

  subscribe(campaignId: string, listener: Listener): Promise<() => void> {
    let feed = this.feeds.get(campaignId);
    if (!feed) {
      feed = new CampaignFeed(this.repos, campaignId, this.pollMs, () => this.feeds.delete(campaignId));
      this.feeds.set(campaignId, feed);
    }
    return feed.subscribe(listener);
  }

  /** Open feeds (each polls the database) and their listeners. */
  stats(): { feeds: number; listeners: number } {
    let listeners = 0;
    for (const f of this.feeds.values()) listeners += f.listenerCount;
    return { feeds: this.feeds.size, listeners };
  }

  close(): void {
    for (const f of [...this.feeds.values()]) f.stop();
  }
}
