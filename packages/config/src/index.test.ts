import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError, parseEnv, redactUrl, urlVar } from "./index.js";

const schema = z.object({
  DATABASE_URL: urlVar(["postgres", "postgresql"], "postgresql://user@host:5432/db"),
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
});

describe("parseEnv", () => {
  it("passes valid values and applies defaults; empty means unset", () => {
    expect(parseEnv(schema, { DATABASE_URL: "postgresql://a@b/c" })).toEqual({ DATABASE_URL: "postgresql://a@b/c", PORT: 8080 });
    expect(parseEnv(schema, { DATABASE_URL: "" })).toEqual({ DATABASE_URL: undefined, PORT: 8080 });
  });

  it("names every wrong variable and what is wrong with it", () => {
    const error = (() => {
      try {
        parseEnv(schema, { DATABASE_URL: "redis://x", PORT: "99999" });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    expect(issues.map((i) => i.variable)).toEqual(["DATABASE_URL", "PORT"]);
    expect((error as Error).message).toMatch(/^DATABASE_URL: scheme 'redis:' is not one of postgres:, postgresql:/);
  });

  it("explains a value that is not a URL", () => {
    expect(() => parseEnv(schema, { DATABASE_URL: "localhost:5432" })).toThrow(/DATABASE_URL: (not a URL|scheme)/);
  });
});

describe("redactUrl", () => {
  it("hides the password and keeps the rest", () => {
    expect(redactUrl("postgresql://me:secret@db:5432/x")).toBe("postgresql://me:***@db:5432/x");
    expect(redactUrl("redis://cache:6379")).toBe("redis://cache:6379");
  });
});
