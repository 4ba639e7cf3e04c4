import { UsageError } from "./errors.js";

export function intOption(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be an integer >= ${min}; got ${value}`);
  return n;
}

export function numberOption(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw new UsageError(`${flag} must be a number >= ${min}; got ${value}`);
  return n;
}
