import { UsageError } from "./errors.js";

export function intOption(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be an integer >= ${min}; got ${value}`);
  return n;
}

/** `intOption`, or `fallback` when the flag was not given. */
export function intOptionOr(flag: string, value: string | undefined, fallback: number, min: number): number {
  return value === undefined ? fallback : intOption(flag, value, min);
}

export function numberOption(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw new UsageError(`${flag} must be a number >= ${min}; got ${value}`);
  return n;
}
