import { describe, expect, it } from "vitest";
import { MemoryGate } from "./memory-gate.js";

const settle = () => new Promise((r) => setImmediate(r));

describe("MemoryGate", () => {
  it("starts jobs that fit side by side and holds the next one until memory is given back, first come first served", async () => {
    const gate = new MemoryGate(100);
    const started: string[] = [];
    const run = (name: string, bytes: number) => gate.acquire(bytes).then((release) => (started.push(name), release));
    const a = run("a", 60);
    const b = run("b", 30);
    const c = run("c", 50);
    const d = run("d", 5); // fits now, but waits behind c
    await settle();
    expect(started).toEqual(["a", "b"]);
    expect(gate.reservedBytes).toBe(90);
    (await a)();
    await settle();
    expect(started).toEqual(["a", "b", "c", "d"]);
    expect(gate.reservedBytes).toBe(85);
    (await b)();
    (await c)();
    const releaseD = await d;
    releaseD();
    releaseD(); // twice gives back once
    expect(gate.reservedBytes).toBe(0);
  });

  it("lets a job larger than the capacity start alone (the caller refuses those that cannot fit at all)", async () => {
    const gate = new MemoryGate(10);
    const release = await gate.acquire(50);
    expect(gate.reservedBytes).toBe(50);
    release();
  });
});
