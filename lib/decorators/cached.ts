import { assertLegacyDecorator } from "./decorator-mode";
import { CACHED_METADATA } from "./metadata-keys";
import type { CacheOptions } from "./types";

/** Caches an action's successful results (the cacher middleware reads this). */
export function Cached(options: CacheOptions = {}): MethodDecorator {
  return (proto, key) => {
    assertLegacyDecorator("Cached", key);
    Reflect.defineMetadata(CACHED_METADATA, { enabled: true, ...options }, proto, key);
  };
}

export function readCached(proto: object, method: string): CacheOptions | undefined {
  return Reflect.getMetadata(CACHED_METADATA, proto, method) as CacheOptions | undefined;
}
