// JSON with object keys sorted at every depth, so the same value always gives
// the same text (and hence the same hash) whatever order its keys were built in.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === "number") {
    // -0 and 0 build the same model; JSON would print both as 0 anyway, but
    // be explicit so the rule does not hinge on a serializer detail.
    return Object.is(value, -0) ? 0 : value;
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}
