import { PluginRegistry, type PluginSpec } from "../utils/plugin-registry";
import type { Cacher } from "./cacher";
import { MemoryCacher } from "./memory";
import { MemoryLRUCacher } from "./memory-lru";
import { RedisCacher } from "./redis";

export * from "./cacher";
export { cacheKey, serializeParams } from "./cache-key";
export { MemoryCacher, SWEEP_INTERVAL_MS } from "./memory";
export type { MemoryCacherOptions, CloneOption, EntryStore, MemoryEntry } from "./memory";
export { MemoryLRUCacher } from "./memory-lru";
export type { MemoryLRUCacherOptions } from "./memory-lru";
export { RedisCacher, REDIS_FAIL_FAST_OPTIONS } from "./redis";
export type { RedisCacherOptions, RedisCacherLockOptions, RedisCacherClient, RedisCacherClientOptions } from "./redis";
export { KeyedMutex } from "./keyed-mutex";
export { LruMap } from "./lru-map";

/** A cacher given by name, URL, `{ type, options }`, class or instance. */
export type CacherSpec = PluginSpec<Cacher>;

/** Duck-typed, so cachers from other packages (or test doubles) are accepted. */
export function isCacher(value: unknown): value is Cacher {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return ["get", "set", "del", "clean"].every((method) => typeof candidate[method] === "function");
}

/**
 * Every cacher by name (any case) and URL scheme; `Cachers.register("Memcached",
 * MemcachedCacher, { schemes: ["memcached"] })` adds one.
 */
export const Cachers = new PluginRegistry<Cacher>({ family: "cacher", isInstance: isCacher })
  .register("Memory", MemoryCacher)
  .register("MemoryLRU", MemoryLRUCacher)
  .register("Redis", RedisCacher, { schemes: ["redis", "rediss"] });

/** `"Memory"`, `"redis://host:6379"`, `{ type: "MemoryLRU", options: { max: 10 } }`, a class or an instance → cacher. */
export function resolveCacher(spec: CacherSpec): Cacher {
  return Cachers.resolve(spec);
}
