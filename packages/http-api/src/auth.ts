// Bearer tokens (hashed in the database, see @drnn/db ApiTokenRepository).
// "write" implies "read". Reads may be configured open; writes never are.
import type { ApiToken, Repositories } from "@drnn/db";
import { ApiError } from "./errors.js";
import type { Scope } from "./types.js";

export const TOKEN_SCOPES = ["read", "write"] as const;

function bearer(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m?.[1]) throw new ApiError("UNAUTHORIZED", "Authorization header must be 'Bearer <token>'");
  return m[1];
}

/** The token record allowed to act at `scope`, null for public/open reads; throws 401/403. */
export async function authorize(repos: Repositories, scope: Scope, header: string | undefined, openReads: boolean): Promise<ApiToken | null> {
  if (scope === "public") return null;
  const presented = bearer(header);
  if (presented === null) {
    if (scope === "read" && openReads) return null;
    throw new ApiError("UNAUTHORIZED", `this request needs a bearer token with the '${scope}' scope (create one with 'drnn token create')`);
  }
  const token = await repos.tokens.verify(presented);
  if (!token) throw new ApiError("UNAUTHORIZED", "unknown or revoked token");
  const ok = scope === "read" ? token.scopes.includes("read") || token.scopes.includes("write") : token.scopes.includes(scope);
  if (!ok) throw new ApiError("FORBIDDEN", `token '${token.name}' has scopes [${token.scopes.join(", ")}]; this request needs '${scope}'`);
  return token;
}
