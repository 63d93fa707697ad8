import { resolvePlugin, type PluginClass, type PluginFamily, type PluginSpec } from "../utils/resolve-plugin";
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
export type { RedisCacherOptions, RedisCacherLockOptions } from "./redis";
export { KeyedMutex } from "./keyed-mutex";
export { LruMap } from "./lru-map";

/** Name → class table used by the plugin resolver (names match case-insensitively). */
export const Cachers: Record<string, PluginClass<Cacher>> = {
  Memory: MemoryCacher,
  MemoryLRU: MemoryLRUCacher,
  Redis: RedisCacher,
};

/** A cacher given by name, URL, `{ type, options }` or as an instance. */
export type CacherSpec = PluginSpec<Cacher>;

/** Duck-typed, so cachers from other packages (or test doubles) are accepted. */
export function isCacher(value: unknown): value is Cacher {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return ["get", "set", "del", "clean"].every((method) => typeof candidate[method] === "function");
}

const CACHER_FAMILY: PluginFamily<Cacher> = {
  family: "cacher",
  table: Cachers,
  schemes: { redis: "Redis", rediss: "Redis" },
  isInstance: isCacher,
};

/** `"Memory"`, `"redis://host:6379"`, `{ type: "MemoryLRU", options: { max: 10 } }` or an instance → cacher. */
export function resolveCacher(spec: CacherSpec): Cacher {
  return resolvePlugin(CACHER_FAMILY, spec);
}
