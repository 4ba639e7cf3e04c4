import { describe, expect, it } from "vitest";
import { InvalidRngStateError, Rng } from "./rng.js";

const draw = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.nextUint32());

describe("Rng", () => {
  it("replays the same stream from the same seed and differs across seeds", () => {
    expect(draw(Rng.fromSeed(42), 20)).toEqual(draw(Rng.fromSeed(42), 20));
    expect(draw(Rng.fromSeed(42), 20)).not.toEqual(draw(Rng.fromSeed(43), 20));
    expect(draw(Rng.fromSeed("12345678901234567890"), 5)).not.toEqual(draw(Rng.fromSeed("12345678901234567891"), 5));
    // seeds beyond 2^32 keep their high bits
    expect(draw(Rng.fromSeed(2 ** 32 + 1), 5)).not.toEqual(draw(Rng.fromSeed(1), 5));
  });

  it("resumes exactly from a state that went through JSON", () => {
    const a = Rng.fromSeed(7);
    draw(a, 13);
    const saved = JSON.parse(JSON.stringify(a.getState()));
    const expected = [a.float(), a.int(0, 9), a.normal(), a.bernoulli(0.5)];
    const b = Rng.fromState(saved);
    expect([b.float(), b.int(0, 9), b.normal(), b.bernoulli(0.5)]).toEqual(expected);
    const c = Rng.fromSeed(99);
    c.setState(saved);
    expect(c.float()).toBe(expected[0]);
  });

  it("forks independent, reproducible streams by label without moving the parent", () => {
    const parent = Rng.fromSeed(5);
    const before = parent.getState();
    const a = draw(parent.fork("weights"), 8);
    expect(parent.getState()).toEqual(before);
    expect(draw(Rng.fromSeed(5).fork("weights"), 8)).toEqual(a);
    expect(draw(parent.fork("batches"), 8)).not.toEqual(a);
    expect(a).not.toEqual(draw(Rng.fromSeed(5), 8));
  });

  it("refuses a state that is not four uint32 words", () => {
    expect(() => Rng.fromState({ algorithm: "sfc32", words: [1, 2, 3] } as never)).toThrow(InvalidRngStateError);
    expect(() => Rng.fromState({ algorithm: "sfc32", words: [1, 2, 3, -1] })).toThrow(InvalidRngStateError);
    expect(() => Rng.fromState({ algorithm: "xorshift", words: [1, 2, 3, 4] } as never)).toThrow(/sfc32/);
  });

  it("int(min, max) covers the inclusive range evenly", () => {
    const rng = Rng.fromSeed(1);
    const counts = new Map<number, number>();
    for (let i = 0; i < 60_000; i++) {
      const v = rng.int(-2, 3);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3]);
    for (const c of counts.values()) expect(Math.abs(c - 10_000)).toBeLessThan(400); // ~4 sd
    expect(() => rng.int(3, 2)).toThrow(RangeError);
    expect(() => rng.int(0, 1.5)).toThrow(RangeError);
  });

  it("float is in [0, 1) with mean 1/2; normal has the asked mean and sd", () => {
    const rng = Rng.fromSeed(2);
    const fs = Array.from({ length: 20_000 }, () => rng.float());
    expect(Math.min(...fs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...fs)).toBeLessThan(1);
    expect(Math.abs(fs.reduce((a, b) => a + b) / fs.length - 0.5)).toBeLessThan(0.01);
    const ns = Array.from({ length: 20_000 }, () => rng.normal(3, 2));
    const mean = ns.reduce((a, b) => a + b) / ns.length;
    const sd = Math.sqrt(ns.reduce((a, b) => a + (b - mean) ** 2, 0) / ns.length);
    expect(Math.abs(mean - 3)).toBeLessThan(0.06);
    expect(Math.abs(sd - 2)).toBeLessThan(0.06);
  });

  it("bernoulli(p) hits p; pick and shuffle leave their input alone", () => {
    const rng = Rng.fromSeed(3);
    const hits = Array.from({ length: 20_000 }, () => rng.bernoulli(0.3)).filter(Boolean).length;
    expect(Math.abs(hits / 20_000 - 0.3)).toBeLessThan(0.015);
    const items = Object.freeze([1, 2, 3, 4, 5, 6, 7, 8]);
    const shuffled = rng.shuffle(items);
    expect(shuffled).not.toBe(items);
    expect([...shuffled].sort()).toEqual([...items]);
    expect(items).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(items).toContain(rng.pick(items));
    expect(() => rng.pick([])).toThrow(RangeError);
  });
});

describe("rng state words", () => {
  it("stay uint32 after any number of draws, so every snapshot restores", () => {
    const rng = Rng.fromSeed(31);
    for (let i = 0; i < 5000; i++) {
      rng.nextUint32();
      const state = rng.getState();
      expect(state.words.every((w) => Number.isInteger(w) && w >= 0 && w < 2 ** 32)).toBe(true);
      if (i % 500 === 0) expect(Rng.fromState(JSON.parse(JSON.stringify(state)) as typeof state).nextUint32()).toBe(Rng.fromState(state).nextUint32());
    }
  });
});
