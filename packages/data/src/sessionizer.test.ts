import { describe, expect, it } from "vitest";
import type { LogRecord } from "./record.js";
import { sessionizeRecords } from "./sessionizer.js";

const MIN = 60_000;
const T0 = Date.parse("2024-01-01T00:00:00Z");

function view(userId: string, minute: number, page: string, sessionId?: string): LogRecord {
  return { userId, sessionId, timestamp: T0 + minute * MIN, page, event: "view", itemId: page };
}
function buy(userId: string, minute: number, item: string, sessionId?: string): LogRecord {
  return { userId, sessionId, timestamp: T0 + minute * MIN, page: "", event: "buy", itemId: item };
}

function pagesOf(result: ReturnType<typeof sessionizeRecords>): string[][] {
  return result.sessions.map((s) => Array.from(s.inputPages, (p) => result.pages.strings[p] ?? "?"));
}

describe("the timeout rule (30 minutes, per user)", () => {
  it("a gap over T starts a new session; exactly T does not", () => {
    const r = sessionizeRecords([view("u", 0, "a"), view("u", 30, "b"), view("u", 61, "c"), view("u", 62, "d")]);
    expect(pagesOf(r)).toEqual([["a", "b"], ["c", "d"]]);
    expect(r.sessions.map((s) => s.sourceId)).toEqual(["u", "u#1"]);
  });

  it("users are sessionized apart, and input need not be sorted within a user", () => {
    const r = sessionizeRecords([view("u", 10, "b"), view("v", 0, "x"), view("u", 0, "a"), view("v", 100, "y")]);
    expect(pagesOf(r)).toEqual([["a", "b"], ["x"], ["y"]]);
  });

  it("source session ids are kept as given unless asked to apply the gap too", () => {
    const log = [view("u", 0, "a", "s1"), view("u", 120, "b", "s1"), view("u", 121, "c", "s2")];
    expect(pagesOf(sessionizeRecords(log))).toEqual([["a", "b"], ["c"]]);
    expect(pagesOf(sessionizeRecords(log, { splitSourceSessions: true }))).toEqual([["a"], ["b"], ["c"]]);
  });

  it("a T option changes the threshold", () => {
    expect(sessionizeRecords([view("u", 0, "a"), view("u", 10, "b")], { gapMs: 5 * MIN }).sessions).toHaveLength(2);
  });
});

describe("the pre-purchase cut, dwell and ground truth", () => {
  it("only views before the first purchase are input; I holds every item bought", () => {
    const r = sessionizeRecords([view("u", 0, "a"), view("u", 1, "b"), view("u", 3, "a"), buy("u", 4, "b"), view("u", 5, "c"), buy("u", 6, "c")]);
    const [s] = r.sessions;
    expect(pagesOf(r)).toEqual([["a", "b", "a"]]);
    expect(Array.from(s?.bought ?? [], (i) => r.items.strings[i])).toEqual(["b", "c"]);
    // theta = time to the next page (60 s, 120 s); the last page gets the median, 90 s.
    expect(Array.from(s?.dwell ?? [])).toEqual([60, 120, 90]);
    expect(s?.viewCount).toBe(4);
  });

  it("a session that buys before any view has a purchase but no input", () => {
    const r = sessionizeRecords([buy("u", 0, "a"), view("u", 1, "a")]);
    expect(r.sessions[0]?.bought.length).toBe(1);
    expect(r.sessions[0]?.inputPages.length).toBe(0);
  });

  it("sessions without any view are not sessions; dwell is capped at 30 min", () => {
    const r = sessionizeRecords([buy("u", 0, "a"), view("v", 0, "a", "s"), view("v", 50, "b", "s"), buy("v", 51, "b", "s")]);
    expect(r.sessions).toHaveLength(1);
    expect(Array.from(r.sessions[0]?.dwell ?? [])).toEqual([1800, 1800]);
  });
});
