import { describe, expect, it } from "vitest";
import { Rng } from "@drnn/contract";
import { OnlineSessionizer, type ClosedStreamSession } from "./online-sessionizer.js";
import type { LogRecord } from "./record.js";
import { sessionizeRecords } from "./sessionizer.js";
import { DEFAULT_SESSIONIZER } from "./session-rules.js";

const MIN = 60_000;
const T0 = Date.parse("2024-01-01T00:00:00Z");

function view(key: { u?: string; s?: string }, minute: number, page: string): LogRecord {
  return { userId: key.u, sessionId: key.s, timestamp: T0 + minute * MIN, page, event: "view", itemId: page };
}
function buy(key: { u?: string; s?: string }, minute: number, item: string): LogRecord {
  return { userId: key.u, sessionId: key.s, timestamp: T0 + minute * MIN, page: "", event: "buy", itemId: item };
}

function feed(records: readonly LogRecord[], s = new OnlineSessionizer()): ClosedStreamSession[] {
  const out: ClosedStreamSession[] = [];
  for (const r of records) out.push(...s.add(r));
  return out;
}

const pages = (c: ClosedStreamSession) => c.records.filter((r) => r.event === "view").map((r) => r.page);

describe("the online sessionizer", () => {
  it("closes a user's session on a gap over T when the user comes back, and exactly T keeps it open", () => {
    const s = new OnlineSessionizer();
    const closed = feed([view({ u: "u" }, 0, "a"), view({ u: "u" }, 30, "b"), view({ u: "u" }, 61, "c")], s);
    expect(closed.map(pages)).toEqual([["a", "b"]]);
    expect(closed[0]).toMatchObject({ sourceKey: "u", fromSession: false, first: T0, last: T0 + 30 * MIN, hasPurchase: false });
    expect(s.openSessions().map((o) => o.records.map((r) => r.page))).toEqual([["c"]]);
  });

  it("closes idle sessions when the stream's clock passes T after their last record", () => {
    const s = new OnlineSessionizer();
    expect(feed([view({ s: "s1" }, 0, "a"), view({ s: "s2" }, 20, "b"), view({ s: "s2" }, 30, "c")], s)).toEqual([]);
    // Another key's record at minute 31 moves the clock 31 min past s1's last record.
    expect(s.add(view({ s: "s3" }, 31, "d")).map((c) => c.sourceKey)).toEqual(["s1"]);
    // s3 (last record at minute 31) is exactly T old at minute 61: still open; a minute later it is not.
    expect(s.advanceTo(T0 + 61 * MIN).map((c) => c.sourceKey)).toEqual(["s2"]);
    expect(s.advanceTo(T0 + 62 * MIN).map((c) => c.sourceKey)).toEqual(["s3"]);
    expect(s.openCount).toBe(0);
  });

  it("closes a user's source session as soon as the user's session id changes", () => {
    const s = new OnlineSessionizer();
    const closed = feed([view({ u: "u", s: "a" }, 0, "x"), buy({ u: "u", s: "a" }, 1, "x"), view({ u: "u", s: "b" }, 2, "y")], s);
    expect(closed.map((c) => [c.sourceKey, pages(c), c.hasPurchase])).toEqual([["a", ["x"], true]]);
    expect(closed[0]?.session.userId).toBe("u");
  });

  it("keeps a session's records in time order when they arrive out of order", () => {
    const s = new OnlineSessionizer();
    feed([view({ s: "s" }, 5, "b"), view({ s: "s" }, 1, "a"), view({ s: "s" }, 5, "c")], s);
    const [c] = s.closeAll();
    expect(c && pages(c)).toEqual(["a", "b", "c"]);
  });

  it("drops a group without page views as offline does, and counts its records", () => {
    const s = new OnlineSessionizer();
    feed([buy({ u: "v" }, 0, "i"), view({ u: "w" }, 0, "p")], s);
    expect(s.closeAll().map((c) => c.sourceKey)).toEqual(["w"]);
    expect(s.counts).toEqual({ records: 2, closed: 1, dropped: 1, droppedRecords: 1 });
  });

  it("a purchase session needs a view before its first purchase", () => {
    const closed = feed([buy({ u: "u" }, 0, "i"), view({ u: "u" }, 1, "i"), view({ u: "v" }, 0, "p"), buy({ u: "v" }, 1, "p"), view({ u: "z" }, 100, "q")]);
    expect(closed.map((c) => [c.sourceKey, c.hasPurchase])).toEqual([["u", false], ["v", true]]);
  });

  it("knows when an open session already holds an identical record", () => {
    const s = new OnlineSessionizer();
    s.add(buy({ u: "u", s: "a" }, 3, "i"));
    expect(s.holds(buy({ u: "u", s: "a" }, 3, "i"))).toBe(true);
    expect(s.holds(buy({ u: "u", s: "a" }, 3, "j"))).toBe(false);
    expect(s.holds(buy({ u: "u", s: "a" }, 4, "i"))).toBe(false);
    expect(s.holds(buy({ u: "u", s: "b" }, 3, "i"))).toBe(false);
  });

  it("refuses a record with neither a session id nor a user id", () => {
    expect(() => new OnlineSessionizer().add({ timestamp: T0, page: "p", event: "view" })).toThrow(/sessionId or a userId/);
  });

  it("restored from its open sessions and clock, it goes on exactly as one that never stopped", () => {
    const log = [view({ u: "u" }, 0, "a"), view({ s: "s" }, 10, "x"), view({ u: "u" }, 20, "b"), view({ s: "s" }, 45, "y"), view({ u: "u" }, 90, "c"), view({ s: "t" }, 200, "z")];
    const whole = new OnlineSessionizer();
    const expected = [...feed(log, whole), ...whole.closeAll()];
    for (let cut = 0; cut <= log.length; cut++) {
      const first = new OnlineSessionizer();
      const before = feed(log.slice(0, cut), first);
      const second = new OnlineSessionizer(DEFAULT_SESSIONIZER, { open: first.openSessions(), watermark: first.watermark });
      const after = [...feed(log.slice(cut), second), ...second.closeAll()];
      expect([...before, ...after].map((c) => [c.sourceKey, pages(c)])).toEqual(expected.map((c) => [c.sourceKey, pages(c)]));
    }
  });

  it("reports what changed since the last look: touched open sessions and ended keys", () => {
    const s = new OnlineSessionizer();
    feed([view({ u: "u" }, 0, "a"), view({ u: "v" }, 1, "b")], s);
    expect(s.takeChanges()).toEqual({ open: [{ key: "u:u", records: [view({ u: "u" }, 0, "a")] }, { key: "u:v", records: [view({ u: "v" }, 1, "b")] }], removed: [] });
    s.add(view({ u: "u" }, 40, "c"));
    // u's old session closed (gap) and a new one opened under the same key; v timed out.
    const changes = s.takeChanges();
    expect(changes.removed.sort()).toEqual(["u:u", "u:v"]);
    expect(changes.open.map((o) => [o.key, o.records.map((r) => r.page)])).toEqual([["u:u", ["c"]]]);
    expect(s.takeChanges()).toEqual({ open: [], removed: [] });
  });
});

/** A time-ordered log of users with and without source session ids; one user's sessions never overlap. */
function randomLog(rng: Rng, users: number): LogRecord[] {
  const out: LogRecord[] = [];
  for (let u = 0; u < users; u++) {
    let t = T0 + rng.int(0, 600) * MIN;
    const withSessions = rng.bernoulli(0.5);
    const sessions = rng.int(1, 4);
    for (let s = 0; s < sessions; s++) {
      const key = withSessions ? { u: `u${u}`, s: `s${u}-${s}` } : { u: `u${u}` };
      for (let n = rng.int(1, 6); n > 0; n--) {
        out.push(rng.bernoulli(0.2) ? buy(key, 0, `i${rng.int(0, 9)}`) : view(key, 0, `p${rng.int(0, 9)}`));
        const last = out[out.length - 1];
        if (last) last.timestamp = t;
        // Gaps around T, exactly T included, and some long pauses inside a source session.
        t += rng.pick([0, MIN, 5 * MIN, 30 * MIN, 31 * MIN, 90 * MIN]);
      }
      t += 31 * MIN + rng.int(0, 300) * MIN;
    }
  }
  return out.sort((a, b) => a.timestamp - b.timestamp);
}

describe("online and offline agree", () => {
  it("on time-ordered seeded logs, the online sessions are data prepare's with the gap applied to source sessions", () => {
    for (let seed = 1; seed <= 30; seed++) {
      const log = randomLog(Rng.fromSeed(seed), 12);
      const offline = sessionizeRecords(log, { splitSourceSessions: true });
      const s = new OnlineSessionizer();
      const online = [...feed(log, s), ...s.closeAll()];
      const offlineView = offline.sessions.map((x) => ({ start: x.start, pages: Array.from(x.inputPages, (p) => offline.pages.strings[p]), bought: Array.from(x.bought, (i) => offline.items.strings[i]).sort(), user: x.userId, dwell: Array.from(x.dwell) }));
      const onlineView = online.map(({ session: x, names }) => ({ start: x.start, pages: Array.from(x.inputPages, (p) => names.pages[p]), bought: Array.from(x.bought, (i) => names.items[i]).sort(), user: x.userId, dwell: Array.from(x.dwell) }));
      const order = (a: { start: number; user?: string | undefined }, b: { start: number; user?: string | undefined }) => a.start - b.start || String(a.user).localeCompare(String(b.user));
      expect(onlineView.sort(order), `seed ${seed}`).toEqual(offlineView.sort(order));
      expect(online.length, `seed ${seed}`).toBeGreaterThan(0);
    }
  });
});
