// The candidate repository's contract, run once per backend (see
// candidates.test.ts): the same assertions must hold on a PostgreSQL server
// and on embedded PGlite.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Candidate } from "../generated/prisma/client.js";
import { DuplicateError, IllegalTransitionError, NotFoundError } from "../errors.js";
import { CANDIDATE_STATES, CANDIDATE_TRANSITIONS, type CandidateStateName } from "../states.js";
import { makeCampaign, type Backend, type TestDb } from "../testing.js";

const evaluation = { fitness: 1.2, accuracy: 0.3, loss: 0.5, converged: true, epochs: 3, trainSeconds: 1.5 };

const pairs = CANDIDATE_STATES.flatMap((from) => CANDIDATE_STATES.map((to) => ({ from, to })));
const legal = pairs.filter(({ from, to }) => CANDIDATE_TRANSITIONS[from].includes(to));
const illegal = pairs.filter(({ from, to }) => !CANDIDATE_TRANSITIONS[from].includes(to));

/** Defines the candidate suites against the database `backend` opens; call inside a describe. */
export function defineCandidateConformance(backend: Backend): void {
  let db: TestDb;
  let campaignId: string;

  beforeAll(async () => {
    db = await backend.open();
    campaignId = (await makeCampaign(db.repos)).id;
  });
  afterAll(() => db?.close());

  async function newCandidate(): Promise<Candidate> {
    return db.repos.candidates.create({ campaignId, chromosome: { w: 4, l: 2, neurons: [64, 32] }, hash: randomUUID() });
  }

  /** Drives a fresh candidate to `state` along legal transitions. */
  async function candidateIn(state: CandidateStateName): Promise<Candidate> {
    const c = await newCandidate();
    const repo = db.repos.candidates;
    switch (state) {
      case "queued":
        return c;
      case "running":
        return repo.start(c.id, { workerId: undefined, backend: "cpu", device: "cpu" });
      case "completed":
        return repo.start(c.id).then(() => repo.complete(c.id, evaluation));
      case "failed":
        return repo.fail(c.id, "worker ran out of memory");
      case "cancelled":
        return repo.cancel(c.id);
    }
  }

  function move(id: string, to: CandidateStateName): Promise<Candidate> {
    const repo = db.repos.candidates;
    switch (to) {
      case "queued":
        return repo.requeue(id, "worker stalled");
      case "running":
        return repo.start(id, { backend: "wasm", device: "cpu" });
      case "completed":
        return repo.complete(id, evaluation);
      case "failed":
        return repo.fail(id, "NaN loss");
      case "cancelled":
        return repo.cancel(id);
    }
  }

  describe("candidate state machine", () => {
    it("has the transitions of the design and no others", () => {
      expect(legal.map(({ from, to }) => `${from}->${to}`).sort()).toEqual(
        [
          "queued->running",
          "queued->cancelled",
          "queued->failed",
          "running->completed",
          "running->failed",
          "running->cancelled",
          "running->queued",
        ].sort(),
      );
    });

    it.each(legal)("allows $from -> $to", async ({ from, to }) => {
      const c = await candidateIn(from);
      const after = await move(c.id, to);
      expect(after.state).toBe(to);
      const stored = await db.repos.candidates.get(c.id);
      expect(stored.state).toBe(to);
    });

    it.each(illegal)("refuses $from -> $to and leaves the row unchanged", async ({ from, to }) => {
      const c = await candidateIn(from);
      const before = await db.repos.candidates.get(c.id);
      const error = await move(c.id, to).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IllegalTransitionError);
      expect(error).toMatchObject({ name: "IllegalTransitionError", code: "ILLEGAL_TRANSITION", from, to });
      expect(await db.repos.candidates.get(c.id)).toEqual(before);
    });

    it("records what a transition carries: attempts, worker facts, results", async () => {
      const c = await newCandidate();
      const running = await db.repos.candidates.start(c.id, { backend: "wasm", device: "cpu" });
      expect(running).toMatchObject({ attempts: 1, backend: "wasm", device: "cpu" });
      expect(running.startedAt).toBeInstanceOf(Date);
      await db.repos.candidates.requeue(c.id, "stalled");
      const again = await db.repos.candidates.start(c.id);
      expect(again.attempts).toBe(2);
      const done = await db.repos.candidates.complete(c.id, evaluation);
      expect(done).toMatchObject({ state: "completed", fitness: 1.2, accuracy: 0.3, converged: true, epochs: 3 });
      expect(done.finishedAt).toBeInstanceOf(Date);
    });

    // On PGlite (one session) the two calls interleave statement by statement
    // rather than run in parallel; the conditional UPDATE is what decides
    // either way, so the assertion holds on both backends.
    it("lets exactly one of two racing workers start a queued candidate", async () => {
      const c = await newCandidate();
      const results = await Promise.allSettled([db.repos.candidates.start(c.id), db.repos.candidates.start(c.id)]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const rejected = results.find((r) => r.status === "rejected");
      expect(rejected?.status === "rejected" && rejected.reason).toBeInstanceOf(IllegalTransitionError);
      expect((await db.repos.candidates.get(c.id)).attempts).toBe(1);
    });

    it("is enforced by the database too: a raw update of a finished candidate fails", async () => {
      const c = await candidateIn("completed");
      await expect(db.prisma.candidate.update({ where: { id: c.id }, data: { fitness: 99 } })).rejects.toThrow(
        /finished candidate cannot be changed/,
      );
      expect((await db.repos.candidates.get(c.id)).fitness).toBe(1.2);
    });

    it("names a missing candidate", async () => {
      await expect(db.repos.candidates.start(randomUUID())).rejects.toBeInstanceOf(NotFoundError);
    });

    it("heartbeats only running candidates and lists stale ones", async () => {
      const c = await candidateIn("running");
      expect(await db.repos.candidates.heartbeat(c.id)).toBe(true);
      const stale = await db.repos.candidates.listStale(new Date(Date.now() + 60_000));
      expect(stale.map((s) => s.id)).toContain(c.id);
      const fresh = await db.repos.candidates.listStale(new Date(Date.now() - 60_000));
      expect(fresh.map((s) => s.id)).not.toContain(c.id);
      const done = await candidateIn("completed");
      expect(await db.repos.candidates.heartbeat(done.id)).toBe(false);
    });
  });

  describe("chromosome hash", () => {
    it("is unique per campaign", async () => {
      const hash = `h-${randomUUID()}`;
      await db.repos.candidates.create({ campaignId, chromosome: { w: 2 }, hash });
      const error = await db.repos.candidates.create({ campaignId, chromosome: { w: 2 }, hash }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DuplicateError);
      expect(await db.repos.candidates.listByCampaign(campaignId).then((all) => all.filter((c) => c.hash === hash))).toHaveLength(1);
    });

    it("may repeat across campaigns", async () => {
      const other = await makeCampaign(db.repos);
      const hash = `h-${randomUUID()}`;
      const a = await db.repos.candidates.create({ campaignId, chromosome: {}, hash });
      const b = await db.repos.candidates.create({ campaignId: other.id, chromosome: {}, hash });
      expect(a.id).not.toBe(b.id);
    });

    // On PGlite the two calls interleave on one session: typically both
    // lookups miss before either insert, so the loser takes the
    // unique-violation path as it would on a server. Exactly one is created
    // whichever way they interleave.
    it("findOrCreate returns the trained candidate instead of a second one, even when racing", async () => {
      const hash = `h-${randomUUID()}`;
      const input = { campaignId, chromosome: { l: 2 }, hash };
      const [x, y] = await Promise.all([db.repos.candidates.findOrCreate(input), db.repos.candidates.findOrCreate(input)]);
      expect(x.candidate.id).toBe(y.candidate.id);
      expect([x.created, y.created].filter(Boolean)).toHaveLength(1);
    });
  });
}
