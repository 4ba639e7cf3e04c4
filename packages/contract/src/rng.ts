// The one seeded generator (sfc32, 128 bits of state). Every random choice in
// the platform goes through an Rng passed in by the caller: no Math.random,
// no hidden default seeds. Its whole state is four uint32 words, so a
// campaign stores it as JSON and replays the same choices after a restart;
// fork(label) gives an independent stream per purpose (weights, batches,
// dropout) without shifting the parent's.
import { DrnnError } from "./errors.js";

export interface RngState {
  readonly algorithm: "sfc32";
  readonly words: readonly [number, number, number, number];
}

export class InvalidRngStateError extends DrnnError {
  override readonly name = "InvalidRngStateError";
  readonly code = "INVALID_RNG_STATE" as const;
}

const TWO_POW_32 = 4294967296;

/** FNV-1a over a string: distinct labels and text seeds give distinct streams. */
function fnv1a(text: string, h = 0x811c9dc5): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * Folds a seed into 32 bits: strings (a BigInt seed stored as text) are
 * hashed; numbers keep their low and high halves, so seeds beyond 2^32 stay
 * distinct and every seed below 2^32 is itself.
 */
function seedTo32(seed: number | string): number {
  if (typeof seed === "string") return fnv1a(seed);
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
    const s = seedTo32(seed);
    // Spread the seed over the state, then discard the first outputs (they correlate with it).
    const rng = new Rng([(0x9e3779b9 ^ s) >>> 0, (0x243f6a88 ^ Math.imul(s, 0x85ebca6b)) >>> 0, (0xb7e15162 ^ Math.imul(s, 0xc2b2ae35)) >>> 0, 1]);
    for (let i = 0; i < 15; i++) rng.nextUint32();
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

  /** An independent stream for one purpose, derived from this state and the label; this stream does not move. */
  fork(label: string): Rng {
    const words = [this.a, this.b, this.c, this.d].map((w, i) => fnv1a(`${label}#${i}`, w) >>> 0);
    const child = new Rng([words[0] ?? 0, words[1] ?? 0, words[2] ?? 0, words[3] ?? 0]);
    for (let i = 0; i < 15; i++) child.nextUint32();
    return child;
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

  /** Uniform integer in [min, max], both inclusive (bias below span / 2^32). */
  int(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new RangeError(`int(${min}, ${max}): need integers with min <= max`);
    }
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** true with probability p. */
  bernoulli(p: number): boolean {
    return this.float() < p;
  }

  /** Gaussian via Box-Muller; no cached spare, so the state stays four words. */
  normal(mean = 0, sd = 1): number {
    const u1 = 1 - this.float(); // in (0, 1], keeps log finite
    const u2 = this.float();
    return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.float()) * mean;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("pick() from an empty list");
    return items[this.int(0, items.length - 1)] as T;
  }

  /** Index drawn in proportion to weights (all >= 0, sum > 0). */
  weighted(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i] ?? 0;
    let r = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i] ?? 0;
      if (r < 0) return i;
    }
    return weights.length - 1;
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
