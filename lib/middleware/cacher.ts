import type { Context } from "../context/context";
import { cacheKey } from "../cachers/cache-key";
import type { Cacher } from "../cachers/cacher";
import type { ActionHandler } from "../registry/endpoint";
import type { Middleware } from "./middleware";

/** One traced cache read: ended with whether it was a hit. */
export interface CacheSpan {
  end(hit: boolean): void;
}

/** Spans for cache reads (tracing's `cache` option), a port: `begin` answers null for a call that is not sampled. */
export interface CacheSpans {
  begin(ctx: Context, key: string): CacheSpan | null;
}

export interface CacherMiddlewareOptions {
  /** Params part of a key longer than this is hashed. */
  maxParamsLength?: number;
  /** Serialize concurrent misses of one key so a stampede computes once. */
  lock?: boolean;
}

/**
 * Serves `@Cached` actions from the cacher: key `<action>:<keys>` (`#x` from
 * meta), only successful results stored, `ctx.meta.$cache === false` skips
 * the read (the fresh result is still stored).
 */
export function cacherMiddleware(cacher: Cacher, options: CacherMiddlewareOptions = {}, spans?: CacheSpans): Middleware {
  return {
    name: "Cacher",
    localAction(next: ActionHandler, endpoint): ActionHandler {
      const cache = endpoint.action.cache;
      if (!cache || cache.enabled === false) return next;
      const { name } = endpoint.action;
      const { keys, ttl } = cache;
      const { maxParamsLength, lock } = options;
      const getSync = cacher.getSync;

      const compute = (ctx: Context, key: string) =>
        next(ctx).then((result) => {
          if (result !== undefined) void cacher.set(key, result, ttl);
          return result;
        });
      const computeLocked = (ctx: Context, key: string) =>
        cacher.lock(key, () =>
          // Another caller may have filled the key while this one waited for the lock.
          cacher.get(key).then((cached) => (cached !== undefined ? hit(ctx, cached) : compute(ctx, key))),
        );

      return (ctx) => {
        const meta = ctx.hasMeta ? ctx.meta : undefined;
        const key = cacheKey(name, ctx.params, meta, keys, maxParamsLength);
        if (meta !== undefined && meta.$cache === false) return compute(ctx, key);
        const span = spans === undefined ? null : spans.begin(ctx, key);
        if (getSync !== undefined) {
          const cached = getSync.call(cacher, key);
          span?.end(cached !== undefined);
          if (cached !== undefined) return Promise.resolve(hit(ctx, cached));
          return lock ? computeLocked(ctx, key) : compute(ctx, key);
        }
        return cacher.get(key).then((cached) => {
          span?.end(cached !== undefined);
          if (cached !== undefined) return hit(ctx, cached);
          return lock ? computeLocked(ctx, key) : compute(ctx, key);
        });
      };
    },
  };
}

function hit(ctx: Context, value: unknown): unknown {
  ctx.cachedResult = true;
  return value;
}
