// A small seeded PRNG (sfc32) whose whole state is four uint32 words, so a
// campaign can store it as JSON and replay exactly the same random choices
// after a restart. Every random decision in @drnn/ga goes through an Rng
// instance passed in by the caller: no Math.random, no hidden global state.

import { DrnnError } from "@drnn/contract";

export interface RngState {
  readonly algorithm: "sfc32";
  readonly words: readonly [number, number, number, number];
}

export class InvalidRngStateError extends DrnnError {
  override readonly name = "InvalidRngStateError";
  readonly code = "INVALID_RNG_STATE" as const;
}

const TWO_POW_32 = 4294967296;

/** splitmix32: spreads a (possibly tiny) seed over all state bits. */
function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * Folds a seed into 32 bits. Strings (e.g. a BigInt seed stored as text) are
 * hashed with FNV-1a so distinct strings give distinct streams; numbers keep
 * their low and high 32-bit halves so seeds beyond 2^32 stay distinct.
 */
function seedTo32(seed: number | string): number {
  if (typeof seed === "string") {
    let h = 0x811c9dc5;
    for (let i = 0; i < seed.length; i++) {
      h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193) >>> 0;
    }
    return h;
  }
  if (!Number.isFinite(seed)) throw new InvalidRngStateError(`seed must be finite, got ${seed}`);
  const n = Math.trunc(Math.abs(seed));
  return ((n % TWO_POW_32) ^ Math.floor(n / TWO_POW_32)) >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  private constructor(words: readonly [number, number, number, number]) {
    [this.a, this.b, this.c, this.d] = words;
  }

  static fromSeed(seed: number | string): Rng {
    const next = splitmix32(seedTo32(seed));
    const rng = new Rng([next(), next(), next(), next()]);
    // sfc32's first outputs correlate with the seed; burn them in.
    for (let i = 0; i < 12; i++) rng.nextUint32();
    return rng;
  }

  static fromState(state: RngState): Rng {
    return new Rng(checkState(state).words);
  }

  getState(): RngState {
    return { algorithm: "sfc32", words: [this.a, this.b, this.c, this.d] };
  }

  setState(state: RngState): void {
    [this.a, this.b, this.c, this.d] = checkState(state).words;
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    // XOR yields a signed int32; keep every word a uint32 so snapshots validate.
    this.a = (this.b ^ (this.b >>> 9)) >>> 0;
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.float();
  }

  /** Uniform integer in [min, max], both inclusive, without modulo bias. */
  int(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new RangeError(`int(${min}, ${max}): need integers with min <= max`);
    }
    const span = max - min + 1;
    if (span > TWO_POW_32) throw new RangeError(`int(${min}, ${max}): range wider than 2^32`);
    const limit = TWO_POW_32 - (TWO_POW_32 % span);
    let u = this.nextUint32();
    while (u >= limit) u = this.nextUint32();
    return min + (u % span);
  }

  bernoulli(p: number): boolean {
    return this.float() < p;
  }

  /** Gaussian via Box-Muller; no cached spare, so the state stays four words. */
  normal(mean = 0, sd = 1): number {
    const u1 = 1 - this.float(); // in (0, 1], keeps log finite
    const u2 = this.float();
    return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("pick() from an empty list");
    return items[this.int(0, items.length - 1)] as T;
  }

  /** Fisher-Yates on a copy: callers' arrays are never reordered in place. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const tmp = out[i] as T;
      out[i] = out[j] as T;
      out[j] = tmp;
    }
    return out;
  }
}

function checkState(state: RngState): RngState {
  const words: unknown = state?.words;
  const ok =
    state?.algorithm === "sfc32" &&
    Array.isArray(words) &&
    words.length === 4 &&
    words.every((w) => Number.isInteger(w) && w >= 0 && w < TWO_POW_32);
  if (!ok) throw new InvalidRngStateError(`not an sfc32 state: ${JSON.stringify(state)}`);
  return state;
}
