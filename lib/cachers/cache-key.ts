import { createHash } from "node:crypto";

/** Length of a base64 sha256 digest. */
const HASH_LENGTH = 44;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/**
 * Stable, hash-free text for a value (Moleculer's `_generateKeyFromObject`,
 * plus sorted keys so `{a,b}` and `{b,a}` share a key): objects become
 * `key|value` pairs, arrays `[a|b]`, dates their epoch ms, null `null`.
 * Properties holding `undefined` are skipped: they vanish on the wire too.
 */
export function serializeParams(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map(serializeParams).join("|")}]`;
  if (value instanceof Date) return String(value.valueOf());
  if (isRecord(value)) {
    return Object.keys(value)
      .sort()
      .filter((key) => value[key] !== undefined)
      .map((key) => `${key}|${serializeParams(value[key])}`)
      .join("|");
  }
  return String(value);
}

/** `a.b.c` lookup; a key literally named `a.b` wins, as in lodash `get`. */
function readPath(source: unknown, path: string): unknown {
  if (!isRecord(source)) return undefined;
  if (path in source) return source[path];
  let current: unknown = source;
  for (const segment of path.split(".")) {
    if (!isRecord(current)) return undefined;
    current = current[segment];
  }
  return current;
}

/** A value named in `keys`; `#path` reads from meta. */
function keyValue(key: string, params: unknown, meta: unknown): string {
  const value = key.startsWith("#") ? readPath(meta, key.slice(1)) : readPath(params, key);
  // Moleculer prints a missing key as "undefined", distinct from null.
  return value === undefined ? "undefined" : serializeParams(value);
}

/**
 * Caps the params part: the first `max - 44` characters stay readable (so
 * `clean` patterns still work on them) and the rest becomes a sha256 of the
 * whole part. Below 44 the hash alone is used, the shortest collision-safe form.
 */
function shorten(part: string, max: number | undefined): string {
  if (max === undefined || max <= 0 || part.length <= max) return part;
  const hash = createHash("sha256").update(part).digest("base64");
  const keep = max - HASH_LENGTH;
  return keep > 0 ? part.slice(0, keep) + hash : hash;
}

/**
 * The cache key of an action call: `<action>:<params part>`. With `keys`,
 * the part is those values joined by `|` (`#a.b` reads `meta.a.b`); an empty
 * `keys` list caches the action under its bare name (as Moleculer does);
 * without `keys`, all params serialized with sorted keys.
 */
export function cacheKey(
  actionName: string,
  params: unknown,
  meta: unknown,
  keys?: readonly string[],
  maxParamsLength?: number,
): string {
  if (keys !== undefined && keys.length === 0) return actionName;
  const part = keys ? keys.map((key) => keyValue(key, params, meta)).join("|") : serializeParams(params);
  return `${actionName}:${shorten(part, maxParamsLength)}`;
}
