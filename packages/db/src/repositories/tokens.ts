// API tokens. The plaintext is shown once at creation; only its SHA-256 is
// stored, so a database leak does not leak usable tokens. Tokens are 32
// random bytes, so a fast hash is enough (no dictionary to guess from).
import { createHash, randomBytes } from "node:crypto";
import type { ApiToken } from "../generated/prisma/client.js";
import type { Db } from "../client.js";

const TOKEN_PREFIX = "drnn_";

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export class ApiTokenRepository {
  constructor(private readonly db: Db) {}

  async create(name: string, scopes: readonly string[]): Promise<{ token: string; record: ApiToken }> {
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
    const record = await this.db.apiToken.create({
      data: { name, scopes: [...scopes], tokenHash: hashToken(token), prefix: token.slice(0, TOKEN_PREFIX.length + 6) },
    });
    return { token, record };
  }

  /** The live token record for a presented bearer token, or null. */
  async verify(token: string): Promise<ApiToken | null> {
    const record = await this.db.apiToken.findUnique({ where: { tokenHash: hashToken(token) } });
    if (!record || record.revokedAt) return null;
    await this.db.apiToken.update({ where: { id: record.id }, data: { lastUsedAt: new Date() } });
    return record;
  }

  async revoke(id: string): Promise<void> {
    await this.db.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
  }
}
