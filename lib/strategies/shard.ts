import { BrokerOptionsError } from "../errors";
import { murmur3 } from "./hash";
import { RoundRobinStrategy } from "./round-robin";
import { numberOption } from "./sampling";
import type { SelectableEndpoint, SelectionContext, Strategy } from "./strategy";

/**
 * Consistent hashing on a call key (Moleculer's Shard): the same key lands on
 * the same node while the node set is unchanged, and when a node leaves only
 * the keys it held move. Each endpoint owns `vnodes` points on a ring of
 * `ringSize` positions (murmur3 of `${id}-${i}`); a key goes to the owner of
 * the first point at or after its own hash, wrapping around.
 *
 * The key is `ctx.options.shardKey` when the call gives one (the value itself),
 * else read from the call by the configured `shardKey`: a dotted path into
 * `params`, or `#path` into `meta`. Calls without a key go round-robin.
 */
export class ShardStrategy implements Strategy {
  readonly shardKey: string;
  readonly vnodes: number;
  readonly ringSize: number;
  readonly cacheSize: number;

  private readonly fromMeta: boolean;
  private readonly path: readonly string[];
  private readonly fallback = new RoundRobinStrategy();

  /** Ring points sorted by position, with the node id owning each. */
  private positions: number[] = [];
  private owners: string[] = [];
  /** Index of each node id in the list the ring was built from. */
  private indexById = new Map<string, number>();
  private lastList: readonly SelectableEndpoint[] | null = null;
  private signature = "";
  /** key → node id, least recently used first (Map keeps insertion order). */
  private readonly cache = new Map<string, string>();

  constructor(options: Record<string, unknown> = {}) {
    const shardKey = options.shardKey;
    if (typeof shardKey !== "string" || shardKey === "" || shardKey === "#") {
      throw new BrokerOptionsError("Shard strategy needs a 'shardKey' option (a params path, or '#path' into meta).", {
        shardKey,
      });
    }
    this.shardKey = shardKey;
    this.fromMeta = shardKey.startsWith("#");
    this.path = (this.fromMeta ? shardKey.slice(1) : shardKey).split(".");
    this.vnodes = positiveInteger(options, "vnodes", 10);
    this.ringSize = positiveInteger(options, "ringSize", 2 ** 31);
    this.cacheSize = Math.max(0, Math.floor(numberOption(options, "cacheSize", 1000)));
  }

  select<E extends SelectableEndpoint>(endpoints: readonly E[], ctx?: SelectionContext): E {
    const key = this.keyOf(ctx);
    if (key === null) return this.fallback.select(endpoints);
    this.sync(endpoints);
    const index = this.indexById.get(this.nodeFor(key));
    return index === undefined ? this.fallback.select(endpoints) : endpoints[index];
  }

  /** The key a call hashes on, as a string; `null` when the call has none. */
  keyOf(ctx?: SelectionContext): string | null {
    if (!ctx) return null;
    const explicit = ctx.options?.shardKey;
    if (explicit !== undefined && explicit !== null && explicit !== "") return String(explicit);
    let value: unknown = this.fromMeta ? ctx.meta : ctx.params;
    for (const segment of this.path) {
      if (value === null || typeof value !== "object") return null;
      value = (value as Record<string, unknown>)[segment];
    }
    return keyString(value);
  }

  /** Node id the ring gives `key` (after `select` has built the ring). */
  private nodeFor(key: string): string {
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      // Re-insert: the most recently used key goes last.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const nodeID = this.owners[this.pointAfter(murmur3(key) % this.ringSize)];
    if (this.cacheSize > 0) {
      this.cache.set(key, nodeID);
      if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
    }
    return nodeID;
  }

  /** First ring point at or after `hash`, wrapping to the first point (binary search). */
  private pointAfter(hash: number): number {
    const positions = this.positions;
    let lo = 0;
    let hi = positions.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (positions[mid] < hash) lo = mid + 1;
      else hi = mid;
    }
    return lo === positions.length ? 0 : lo;
  }

  /**
   * Rebuilds the ring when the endpoint ids changed. The registry hands over
   * the same array until its membership changes, so the usual check is one
   * identity comparison; a new array is compared by its id signature.
   */
  private sync(endpoints: readonly SelectableEndpoint[]): void {
    if (endpoints === this.lastList) return;
    this.lastList = endpoints;
    const signature = endpoints.map((e) => e.id).join("\u0000");
    if (signature === this.signature) return;
    this.signature = signature;
    this.rebuild(endpoints);
  }

  private rebuild(endpoints: readonly SelectableEndpoint[]): void {
    this.indexById = new Map(endpoints.map((e, i) => [e.id, i]));
    const points: { position: number; nodeID: string }[] = [];
    for (const nodeID of this.indexById.keys()) {
      for (let i = 0; i < this.vnodes; i++) points.push({ position: murmur3(`${nodeID}-${i}`) % this.ringSize, nodeID });
    }
    // Ties broken by id so the ring does not depend on the list order.
    points.sort((a, b) => a.position - b.position || (a.nodeID < b.nodeID ? -1 : a.nodeID > b.nodeID ? 1 : 0));
    this.positions = points.map((p) => p.position);
    this.owners = points.map((p) => p.nodeID);
    this.cache.clear();
  }
}

function positiveInteger(options: Record<string, unknown>, name: string, fallback: number): number {
  const value = numberOption(options, name, fallback);
  if (!Number.isInteger(value) || value < 1) {
    throw new BrokerOptionsError(`Shard strategy: '${name}' must be a positive integer.`, { option: name, value });
  }
  return value;
}

function keyString(value: unknown): string | null {
  switch (typeof value) {
    case "string":
      return value;
    case "number":
    case "bigint":
    case "boolean":
      return String(value);
    case "object":
      if (value === null) return null;
      try {
        return JSON.stringify(value);
      } catch {
        return null; // circular: no usable key
      }
    default:
      return null;
  }
}
