// Drawing and perturbing single gene values inside the GA's search bounds.
import type { Rng } from "../rng/rng.js";
import type { Bounds } from "../search-space/genes.js";

/** Share of the (log-)range used as the gaussian step's standard deviation. */
export const STEP_SIGMA = 0.15;
/** Chance that an int mutation redraws the value instead of stepping. */
export const RESAMPLE_PROBABILITY = 0.2;

export function sampleInt(rng: Rng, b: Bounds, log: boolean): number {
  if (!log) return rng.int(b.min, b.max);
  // Log-uniform so 16..256 neurons is not dominated by the wide top end.
  return clamp(Math.floor(Math.exp(rng.uniform(Math.log(b.min), Math.log(b.max + 1)))), b);
}

export function sampleFloat(rng: Rng, b: Bounds, log: boolean, digits: number | undefined): number {
  const v = log ? Math.exp(rng.uniform(Math.log(b.min), Math.log(b.max))) : rng.uniform(b.min, b.max);
  return clamp(roundDigits(v, digits), b);
}

/**
 * Step or redraw. A mutation that lands on the old value (a redraw hitting
 * it, a step rounding back or clamped at a bound) moves one unit instead, so
 * a mutated gene always changes when its range allows.
 */
export function mutateInt(rng: Rng, value: number, b: Bounds, log: boolean): number {
  if (b.min === b.max) return b.min;
  const next = rng.bernoulli(RESAMPLE_PROBABILITY) ? sampleInt(rng, b, log) : stepInt(rng, value, b, log);
  if (next !== value) return next;
  const nudged = value + (rng.bernoulli(0.5) ? 1 : -1);
  return nudged < b.min || nudged > b.max ? clamp(2 * value - nudged, b) : nudged;
}

function stepInt(rng: Rng, value: number, b: Bounds, log: boolean): number {
  if (!log) return clamp(Math.round(value + rng.normal(0, Math.max(1, STEP_SIGMA * (b.max - b.min)))), b);
  const sigma = STEP_SIGMA * (Math.log(b.max) - Math.log(b.min));
  return clamp(Math.round(Math.exp(Math.log(Math.max(value, 1)) + rng.normal(0, sigma))), b);
}

/** Tries before accepting that a float step cannot leave its value (a tiny range). */
const FLOAT_TRIES = 8;

/**
 * Gaussian step, in log space for log-floats (a learning rate moves by
 * factors); redrawn when rounding or a bound would give the old value back.
 */
export function mutateFloat(rng: Rng, value: number, b: Bounds, log: boolean, digits: number | undefined): number {
  if (b.min === b.max) return b.min;
  let next = value;
  for (let i = 0; i < FLOAT_TRIES && next === value; i++) {
    const raw = log
      ? Math.exp(Math.log(value) + rng.normal(0, STEP_SIGMA * (Math.log(b.max) - Math.log(b.min))))
      : value + rng.normal(0, STEP_SIGMA * (b.max - b.min));
    next = clamp(roundDigits(raw, digits), b);
  }
  return next;
}

export function clamp(v: number, b: Bounds): number {
  return Math.min(b.max, Math.max(b.min, v));
}

export function roundDigits(v: number, digits: number | undefined): number {
  return digits === undefined || v === 0 ? v : Number(v.toPrecision(digits));
}
