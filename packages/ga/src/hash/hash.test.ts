import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Rng } from "../rng/rng.js";
import { canonicalJson } from "./canonical-json.js";
import { sha256Hex } from "./sha256.js";

const nodeSha = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

describe("sha256Hex", () => {
  it("matches node:crypto around every padding boundary and on non-ASCII text", () => {
    const rng = Rng.fromSeed(5);
    for (let len = 0; len <= 200; len++) {
      const s = Array.from({ length: len }, () => String.fromCharCode(rng.int(32, 126))).join("");
      expect(sha256Hex(s)).toBe(nodeSha(s));
    }
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    for (const s of ["héllo wörld", "网易考拉", "emoji 🧬🧬", "x".repeat(10_000)]) expect(sha256Hex(s)).toBe(nodeSha(s));
  });
});

describe("canonicalJson", () => {
  it("sorts keys at every depth and drops undefined", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ x: -0 })).toBe('{"x":0}');
  });
});
