// The session state in Redis (DESIGN.md section 7): per session a list of the
// newest page views (bounded: LTRIM to `capacity`) and a small hash with the
// total view count and the user id, both expiring 30 minutes after the last
// view. One page view is one atomic script call: append, trim, refresh the
// TTL, read back the bounded tail. Nothing about a session grows with its length.
// Each entry is the JSON array [ts, page], or [ts, page, item] when the view
// names its item; the script hands the tail back as
// ONE JSON document (the entries joined into an array) rather than a reply
// of up to `capacity` strings, so the client parses one string per view
// instead of hundreds (less CPU and garbage per request, hence shorter GC pauses).
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import type { PageView, SessionSnapshot } from "./session-features.js";

export const SESSION_TTL_MS = 30 * 60_000;
/** Views kept per session: the window plus the newest collapsed pages of the history state. */
export const DEFAULT_SESSION_CAPACITY = 256;

const APPEND = `
local n = redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
local cap = tonumber(ARGV[2])
if n > cap then redis.call('LTRIM', KEYS[1], -cap, -1) end
local total = redis.call('HINCRBY', KEYS[2], 'total', 1)
redis.call('PEXPIRE', KEYS[2], ARGV[3])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[2], 'user', ARGV[4]) end
local user = redis.call('HGET', KEYS[2], 'user')
return {'[' .. table.concat(redis.call('LRANGE', KEYS[1], 0, -1), ',') .. ']', total, user or ''}
`;

const APPEND_SHA = createHash("sha1").update(APPEND).digest("hex");

/**
 * A session's two keys. The id is base64url-encoded, so it has no ':' and no
 * braces: no id's keys can equal another's (the raw id `v2:m` once named
 * the metadata key of session `v2`), and the braces make a Redis Cluster
 * hash tag that keeps both keys in one slot for the script.
 */
export function sessionKeys(prefix: string, sessionId: string): { views: string; meta: string } {
  const base = `${prefix}:serving:s:{${Buffer.from(sessionId, "utf8").toString("base64url")}}`;
  return { views: `${base}:v`, meta: `${base}:m` };
}

export interface SessionStoreOptions {
  /** Key prefix; keys are `<prefix>:serving:s:{<base64url id>}:v` and `...:m` (sessionKeys). */
  prefix: string;
  capacity?: number;
  ttlMs?: number;
}

type AppendReply = [string, number, string];

export class SessionStore {
  readonly capacity: number;
  readonly ttlMs: number;
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    options: SessionStoreOptions,
  ) {
    this.prefix = options.prefix;
    this.capacity = options.capacity ?? DEFAULT_SESSION_CAPACITY;
    this.ttlMs = options.ttlMs ?? SESSION_TTL_MS;
    if (!Number.isInteger(this.capacity) || this.capacity < 1) throw new RangeError(`session capacity must be a positive integer, got ${this.capacity}`);
  }

  private keys(sessionId: string): [string, string] {
    const { views, meta } = sessionKeys(this.prefix, sessionId);
    return [views, meta];
  }

  /** Records a page view and returns the session's bounded state after it. */
  async append(sessionId: string, view: PageView, userId?: string): Promise<SessionSnapshot> {
    const [list, meta] = this.keys(sessionId);
    const entry = view.item === undefined ? [view.ts, view.page] : [view.ts, view.page, view.item];
    const args = [list, meta, JSON.stringify(entry), String(this.capacity), String(this.ttlMs), userId ?? ""];
    let reply: AppendReply;
    try {
      reply = (await this.redis.evalsha(APPEND_SHA, 2, ...args)) as AppendReply;
    } catch (err) {
      if (!(err instanceof Error && err.message.startsWith("NOSCRIPT"))) throw err;
      reply = (await this.redis.eval(APPEND, 2, ...args)) as AppendReply;
    }
    const [entries, total, user] = reply;
    const views = (JSON.parse(entries) as StoredView[]).map(viewOf);
    return { sessionId, views, total: Number(total), userId: user === "" ? undefined : user };
  }

  /** The stored state without recording anything (null when the session expired or never existed). */
  async read(sessionId: string): Promise<SessionSnapshot | null> {
    const [list, meta] = this.keys(sessionId);
    const [entries, total, user] = await Promise.all([this.redis.lrange(list, 0, -1), this.redis.hget(meta, "total"), this.redis.hget(meta, "user")]);
    if (entries.length === 0) return null;
    return { sessionId, views: entries.map(parseView), total: Number(total ?? entries.length), userId: user ?? undefined };
  }

  async ttl(sessionId: string): Promise<number> {
    return this.redis.pttl(this.keys(sessionId)[0]);
  }

  /**
   * Sessions held now (not yet expired), counted by SCAN over the metadata
   * keys: O(sessions) in Redis, but incremental and not blocking it; meant
   * for a metrics scrape every few seconds, not for a request path.
   */
  async count(): Promise<number> {
    let cursor = "0";
    let n = 0;
    do {
      const [next, keys] = await this.redis.scan(cursor, "MATCH", `${this.prefix}:serving:s:*:m`, "COUNT", 1000);
      cursor = next;
      n += keys.length;
    } while (cursor !== "0");
    return n;
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }
}

type StoredView = [number, string] | [number, string, string];

function viewOf([ts, page, item]: StoredView): PageView {
  return item === undefined ? { ts, page } : { ts, page, item };
}

function parseView(entry: string): PageView {
  return viewOf(JSON.parse(entry) as StoredView);
}
