import { Cacher, Cachers, isCacher, RedisCacher, resolveCacher } from "../cachers";
import type { CacherMiddlewareOptions } from "../middleware/cacher";
import type { Registry } from "../registry/registry";
import { resolveSerializer } from "../serializers";
import { Strategies, Strategy, StrategyServices } from "../strategies";
import type { Transit } from "../transit/transit";
import { DEFAULT_VALIDATOR, Validators, type Validator } from "../validation";
import type { BrokerOptions, CacherOptions, ResolvedOptions } from "./options";

/**
 * Turning the plugin options (validator, cacher, strategies) into instances, so the broker itself stays a thin front.
 */

export function resolveValidator(option: BrokerOptions["validator"]): Validator | null {
  if (option === false) return null;
  return Validators.resolve(option === undefined || option === true ? DEFAULT_VALIDATOR : option);
}

/**
 * The cacher and the middleware's own options (`maxParamsLength`, `lock`),
 * which are given beside the cacher's; `lock` passes on to the cacher only
 * as an object of lock settings. A Redis cacher stores values with the
 * broker's serializer when one is set.
 */
export function createCacher(
  option: BrokerOptions["cacher"],
  serializer: BrokerOptions["serializer"],
): { cacher: Cacher; options: CacherMiddlewareOptions } | null {
  if (!option) return null;
  if (isCacher(option)) return { cacher: option, options: {} };
  const spec: CacherOptions = typeof option === "object" ? (option as CacherOptions) : { type: option };
  const { maxParamsLength, lock, ...rest } = spec.options ?? {};
  const options: Record<string, unknown> = typeof lock === "object" ? { ...rest, lock } : rest;
  if (serializer !== undefined && storesWithSerializer(spec.type)) options.serializer = resolveSerializer(serializer);
  return { cacher: resolveCacher({ type: spec.type, options }), options: { maxParamsLength, lock: Boolean(lock) } };
}

/** Redis cachers (and subclasses, under any registered name or scheme) encode values with a serializer. */
function storesWithSerializer(type: CacherOptions["type"]): boolean {
  const scheme = typeof type === "string" ? /^([a-z][a-z0-9+.-]*):\/\//i.exec(type)?.[1] : undefined;
  const plugin = typeof type === "string" ? Cachers.get(scheme === undefined ? type : Cachers.schemeOwner(scheme) ?? "") : type;
  return plugin !== undefined && (plugin === RedisCacher || plugin.prototype instanceof RedisCacher);
}

/** Makes a strategy per endpoint list; every strategy made is recorded in `made` (to stop them). */
export function strategyMaker(
  broker: { readonly nodeID: string; readonly options: ResolvedOptions; readonly transit: Transit | null },
  registry: () => Registry,
  made: Strategy[],
): (name?: string, options?: Record<string, unknown>) => Strategy {
  const global = broker.options.registry;
  // One object per broker: Latency strategies share one ping loop keyed on it.
  const services: StrategyServices = {
    nodeID: broker.nodeID,
    ping: async (nodeID) => (broker.transit ? ((await broker.transit.ping(nodeID, 2000))?.elapsedTime ?? null) : null),
    nodeIDs: () => [...registry().nodes.values()].filter((n) => !n.local && n.available).map((n) => n.id),
  };
  return (name, options) => {
    const chosen = name ?? global.strategy ?? "RoundRobin";
    const strategy = Strategies.resolve({ type: chosen, options: { ...global.strategyOptions, ...options } }, services);
    made.push(strategy);
    return strategy;
  };
}
