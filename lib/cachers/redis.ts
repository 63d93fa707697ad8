import { randomBytes } from "node:crypto";
import type { EventEmitter } from "node:events";
import type * as IORedis from "ioredis";
import type { Redis, RedisOptions } from "ioredis";
import type { Logger } from "pino";
import type { ValueCodec } from "./value-codec";
import { loadDriver } from "../utils/load-driver";
import { matchGlob } from "../utils/wildcard";
import type { Cacher } from "./cacher";
import { jsonCodec } from "./json-codec";
import { KeyedMutex } from "./keyed-mutex";
import { escapeRedisMatch, toRedisMatch } from "./redis-match";
import { silentLogger } from "./silent-logger";

export interface RedisCacherLockOptions {
  /** How long (ms) a lock may be held before it expires on its own. Default 15000. */
  ttl?: number;
  /** Seconds; for the cacher middleware's stale-while-refresh (see `getWithTTL`). */
  staleTime?: number;
}

/**
 * An ioredis client as the cacher shows it and takes it (ioredis' `Redis` fits).
 * Declared here rather than imported so that nucleon's typings compile without
 * the optional `ioredis` package.
 */
export interface RedisCacherClient extends EventEmitter {
  readonly status: string;
}

/** ioredis options; passed to the client as they are. */
export type RedisCacherClientOptions = Record<string, unknown>;

export interface RedisCacherOptions {
  /** `redis://` / `rediss://` URL; `redis://127.0.0.1:6379` by default. */
  url?: string;
  /**
   * ioredis options (merged over `REDIS_FAIL_FAST_OPTIONS`) or a client to
   * reuse; a client keeps its own options, so build it with those defaults
   * too if calls must not wait while Redis is down.
   */
  redis?: RedisCacherClientOptions | RedisCacherClient;
  /** Prepended to every key. Default "MOL-" (Moleculer's). */
  prefix?: string;
  /** Default ttl in seconds; 0 (default) = no expiry. */
  ttl?: number;
  /** Value codec; JSON by default. */
  serializer?: ValueCodec;
  logger?: Logger;
  lock?: RedisCacherLockOptions;
}

/**
 * Commands must fail at once while Redis is away (a cache miss beats a hung
 * request); ioredis keeps reconnecting in the background.
 */
export const REDIS_FAIL_FAST_OPTIONS = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 2000,
  // Backstop for a connection that is open but answers nothing.
  commandTimeout: 2000,
} satisfies RedisOptions;

const DEFAULT_LOCK_TTL_MS = 15_000;
const SCAN_COUNT = 500;
const LOCK_POLL_MIN_MS = 5;
const LOCK_POLL_MAX_MS = 100;

/** Deletes the lock only if it still holds our token (it may have expired and been re-taken). */
const RELEASE_SCRIPT = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Redis-backed cacher. Best effort by design: while Redis is unreachable reads
 * miss, writes are dropped and locks are skipped, with one warning per outage.
 */
export class RedisCacher implements Cacher {
  readonly prefix: string;
  readonly lockOptions: Readonly<{ ttl: number; staleTime?: number }>;
  private readonly redis: Redis;
  private readonly owned: boolean;
  private readonly logger: Logger;
  private readonly serializer: ValueCodec;
  private readonly defaultTtl: number;
  private readonly localLocks = new KeyedMutex();
  private down = false;
  private closed = false;
  /** Pending only until the first connection attempt settles; see `ready()`. */
  private firstConnect: Promise<void> | undefined;
  /** A `lazyConnect` client: connect on first use, not on construction. */
  private lazy: boolean;

  private readonly onError = (err: unknown) => this.markDown("connection", err);
  private readonly onReady = () => this.markUp();

  constructor(options: RedisCacherOptions = {}) {
    this.prefix = options.prefix ?? "MOL-";
    this.defaultTtl = options.ttl ?? 0;
    this.serializer = options.serializer ?? jsonCodec;
    this.logger = options.logger ?? silentLogger();
    this.lockOptions = { ...options.lock, ttl: options.lock?.ttl ?? DEFAULT_LOCK_TTL_MS };

    const { Redis } = loadDriver<typeof IORedis>("ioredis", "The Redis cacher");
    if (options.redis instanceof Redis) {
      this.redis = options.redis;
      this.owned = false;
    } else {
      const redisOptions: RedisOptions = { ...REDIS_FAIL_FAST_OPTIONS, ...(options.redis as RedisOptions | undefined) };
      this.redis = options.url ? new Redis(options.url, redisOptions) : new Redis(redisOptions);
      this.owned = true;
    }
    // Also keeps ioredis from printing "Unhandled error event" on every reconnect attempt.
    this.redis.on("error", this.onError);
    this.redis.on("ready", this.onReady);
    this.lazy = this.redis.status === "wait";
    this.firstConnect = this.lazy ? undefined : this.waitFirstConnect();
  }

  /** The underlying ioredis client. */
  get client(): RedisCacherClient {
    return this.redis;
  }

  async get(key: string): Promise<unknown> {
    const data = await this.guard("get", null, () => this.redis.getBuffer(this.prefix + key));
    return data === null ? undefined : this.decode(key, data);
  }

  /**
   * The value and its remaining ttl in seconds (`null` when it has none), for
   * refreshing entries that are about to go stale.
   */
  async getWithTTL(key: string): Promise<{ data: unknown; ttl: number | null }> {
    const fullKey = this.prefix + key;
    const [data, pttl] = await this.guard("get", [null, -2] as [Buffer | null, number], async () => {
      const [data, pttl] = await Promise.all([this.redis.getBuffer(fullKey), this.redis.pttl(fullKey)]);
      return [data, pttl] as [Buffer | null, number];
    });
    if (data === null) return { data: undefined, ttl: null };
    return { data: this.decode(key, data), ttl: pttl >= 0 ? pttl / 1000 : null };
  }

  async set(key: string, value: unknown, ttl?: number): Promise<void> {
    let data: Buffer;
    try {
      data = this.serializer.serialize(value);
    } catch (err) {
      this.logger.warn({ key, err: errorMessage(err) }, "Cache value could not be serialized; not cached");
      return;
    }
    const seconds = ttl ?? this.defaultTtl;
    const fullKey = this.prefix + key;
    await this.guard("set", undefined, async () => {
      if (!(seconds > 0)) await this.redis.set(fullKey, data);
      // EX takes whole seconds only; fractional ttls go through PX.
      else if (Number.isInteger(seconds)) await this.redis.set(fullKey, data, "EX", seconds);
      else await this.redis.set(fullKey, data, "PX", Math.max(1, Math.round(seconds * 1000)));
    });
  }

  async del(keys: string | string[]): Promise<void> {
    const list = (Array.isArray(keys) ? keys : [keys]).map((key) => this.prefix + key);
    if (list.length === 0) return;
    await this.guard("del", undefined, async () => {
      await this.redis.del(...list);
    });
  }

  async clean(pattern?: string | string[]): Promise<void> {
    const patterns = pattern === undefined ? ["**"] : Array.isArray(pattern) ? pattern : [pattern];
    if (patterns.length === 0) return;
    const base = escapeRedisMatch(this.prefix);
    // One pattern narrows the scan; several share one broad scan over the prefix.
    const match = base + (patterns.length === 1 ? toRedisMatch(patterns[0]) : "*");
    await this.guard("clean", undefined, async () => {
      let cursor = "0";
      do {
        const [next, keys] = await this.redis.scan(cursor, "MATCH", match, "COUNT", SCAN_COUNT);
        cursor = next;
        const doomed = keys.filter((fullKey) => {
          const key = fullKey.slice(this.prefix.length);
          return patterns.some((p) => matchGlob(key, p));
        });
        // One DEL per scanned page keeps batches bounded.
        if (doomed.length > 0) await this.redis.del(...doomed);
      } while (cursor !== "0");
    });
  }

  /** Keys under our prefix (prefix stripped), scanned page by page; empty while Redis is unreachable. */
  async keys(): Promise<string[]> {
    return this.guard("keys", [], async () => {
      const found: string[] = [];
      let cursor = "0";
      do {
        const [next, page] = await this.redis.scan(cursor, "MATCH", escapeRedisMatch(this.prefix) + "*", "COUNT", SCAN_COUNT);
        cursor = next;
        // The lock keys (`<key>-lock`) live beside the entries; they are not cache entries.
        for (const fullKey of page) if (!fullKey.endsWith("-lock")) found.push(fullKey.slice(this.prefix.length));
      } while (cursor !== "0");
      return found;
    });
  }

  /**
   * Distributed lock (`<prefix><key>-lock`, as Moleculer's Redlock names it):
   * callers in this process queue locally first, so only one of them polls
   * Redis. When Redis is unreachable `fn` runs without the distributed lock.
   */
  lock<T>(key: string, fn: () => Promise<T>, ttl: number = this.lockOptions.ttl): Promise<T> {
    const ms = Math.max(1, Math.ceil(ttl));
    return this.localLocks.run(
      key,
      async () => {
        const release = await this.acquire(key, ms);
        try {
          return await fn();
        } finally {
          if (release) await release();
        }
      },
      ms,
      () => this.logger.warn({ key, ttl: ms }, "Cache lock held longer than its ttl; letting the next caller in"),
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.redis.off("ready", this.onReady);
    if (!this.owned) {
      this.redis.off("error", this.onError);
      return;
    }
    // Our error listener stays attached (silenced by `closed`) while the connection winds down.
    const client = this.redis;
    // Cutting a connection mid-handshake leaves ioredis a ref'd 2 s timer; let the attempt settle first.
    if (this.firstConnect) await this.firstConnect;
    if (client.status === "end") return;
    // `quit` resolves on the server's OK, before the socket is gone; wait for `end` too.
    const ended = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1000);
      timer.unref();
      client.once("end", () => {
        clearTimeout(timer);
        resolve();
      });
    });
    if (client.status === "ready") await client.quit().catch(() => client.disconnect());
    else client.disconnect();
    await ended;
  }

  /** Takes the distributed lock; `undefined` when Redis failed (run unlocked). */
  private async acquire(key: string, ttl: number): Promise<(() => Promise<void>) | undefined> {
    if (this.closed) return undefined;
    const lockKey = `${this.prefix}${key}-lock`;
    const token = randomBytes(16).toString("hex");
    let delay = LOCK_POLL_MIN_MS;
    try {
      await this.ready();
      while ((await this.redis.set(lockKey, token, "PX", ttl, "NX")) !== "OK") {
        if (this.closed) return undefined;
        // Jittered exponential backoff so contenders do not poll in lockstep.
        await sleep(delay * (0.75 + Math.random() / 2));
        delay = Math.min(delay * 2, LOCK_POLL_MAX_MS);
      }
      this.markUp();
    } catch (err) {
      this.markDown("lock", err);
      this.logger.debug({ key }, "Running without the cache lock: Redis is unavailable");
      return undefined;
    }
    return async () => {
      try {
        await this.redis.eval(RELEASE_SCRIPT, 1, lockKey, token);
      } catch (err) {
        // The lock expires by its ttl anyway.
        this.logger.debug({ key, err: errorMessage(err) }, "Could not release the cache lock");
      }
    };
  }

  /** Runs a Redis operation; on failure logs (once per outage) and resolves `fallback`. */
  private async guard<T>(op: string, fallback: T, fn: () => Promise<T>): Promise<T> {
    if (this.closed) return fallback;
    try {
      await this.ready();
      const result = await fn();
      this.markUp();
      return result;
    } catch (err) {
      this.markDown(op, err);
      return fallback;
    }
  }

  /**
   * With the offline queue off, commands sent before the first connection is
   * up would fail; so calls wait for that first attempt (bounded by ioredis'
   * connect timeout and our own timer), never for later reconnects.
   */
  private async ready(): Promise<void> {
    if (this.lazy) {
      this.lazy = false;
      this.firstConnect = this.waitFirstConnect();
    }
    if (this.firstConnect) await this.firstConnect;
  }

  private waitFirstConnect(): Promise<void> | undefined {
    const client = this.redis;
    if (client.status === "ready") return undefined;
    if (client.status === "wait") client.connect().catch(() => undefined);
    const timeoutMs = (client.options.connectTimeout ?? 10_000) + 100;
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        client.off("ready", done);
        client.off("error", done);
        client.off("end", done);
        this.firstConnect = undefined;
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      timer.unref();
      client.once("ready", done);
      client.once("error", done);
      client.once("end", done);
    });
  }

  private decode(key: string, data: Buffer): unknown {
    try {
      return this.serializer.deserialize(data);
    } catch (err) {
      this.logger.warn({ key, err: errorMessage(err) }, "Cached value could not be decoded; treated as a miss");
      return undefined;
    }
  }

  private markDown(op: string, err: unknown): void {
    if (this.closed) return;
    if (this.down) {
      this.logger.debug({ op, err: errorMessage(err) }, "Redis cacher still unavailable");
      return;
    }
    this.down = true;
    this.logger.warn(
      { op, err: errorMessage(err) },
      "Redis cacher unavailable: reads miss and writes are skipped until it is back",
    );
  }

  private markUp(): void {
    if (!this.down) return;
    this.down = false;
    this.logger.info("Redis cacher is available again");
  }
}
