import { Cacher, isCacher, resolveCacher } from "../cachers";
import { BrokerOptionsError } from "../errors";
import type { CacherMiddlewareOptions } from "../middleware/cacher";
import { ActionEndpoint } from "../registry/endpoint";
import { NodeInfo } from "../registry/node";
import type { Registry } from "../registry/registry";
import { resolveSerializer } from "../serializers";
import { Strategies, Strategy, StrategyFactory, StrategyServices } from "../strategies";
import { TRANSIT_DEFAULTS } from "../transit/options";
import { BALANCED_NODE, Transit } from "../transit/transit";
import { resolveTransporter } from "../transporters";
import { ClassValidator } from "../validation/class-validator";
import type { Validator } from "../validation/validator";
import type { HandlerChains } from "../middleware/handler-chains";
import type { BalancedCalls } from "./call-dispatcher";
import type { Context } from "../context/context";
import type { RemoteEvents } from "./event-bus";
import type { BrokerOptions, ResolvedOptions } from "./options";
import type { ServiceBroker } from "./service-broker";

/**
 * Turning the plugin options (validator, cacher, transporter + serializer,
 * strategies) into instances, so the broker itself stays a thin front.
 */

export function resolveValidator(option: Validator | boolean | undefined): Validator | null {
  if (option === false) return null;
  if (option === undefined || option === true) return new ClassValidator();
  if (typeof option.compile !== "function") throw new BrokerOptionsError("The validator must have a compile(schema) method.");
  return option;
}

type CacherExtras = { maxParamsLength?: number; lock?: boolean | Record<string, unknown> };

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
  const spec = typeof option === "string" ? { type: option } : (option as { type: string; options?: CacherExtras & Record<string, unknown> });
  const { maxParamsLength, lock, ...rest } = spec.options ?? {};
  const options: Record<string, unknown> = typeof lock === "object" ? { ...rest, lock } : rest;
  if (serializer !== undefined && /^(rediss?:\/\/|redis$)/i.test(spec.type)) options.serializer = resolveSerializer(serializer);
  return { cacher: resolveCacher({ type: spec.type, options }), options: { maxParamsLength, lock: Boolean(lock) } };
}

export function createTransit(broker: ServiceBroker, o: ResolvedOptions): Transit | null {
  if (!o.transporter) return null;
  return new Transit(broker, resolveTransporter(o.transporter), resolveSerializer(o.serializer ?? "JSON"), {
    ...TRANSIT_DEFAULTS,
    ...o.transit,
    heartbeatInterval: o.heartbeatInterval ?? TRANSIT_DEFAULTS.heartbeatInterval,
    heartbeatTimeout: o.heartbeatTimeout ?? TRANSIT_DEFAULTS.heartbeatTimeout,
  });
}

/**
 * The ports through which the call and event verbs reach transit, given to
 * `CallDispatcher` and `EventBus` in their constructors: events always, and
 * the transport's balancer for calls with `disableBalancer`.
 */
export function wireTransit(transit: Transit, chains: HandlerChains): { calls: BalancedCalls | null; events: RemoteEvents } {
  const events: RemoteEvents = {
    balanced: transit.balanced,
    send: (nodeID, ctx, groups, broadcast) => transit.sendEvent(nodeID, ctx, groups, broadcast),
    sendBalanced: (ctx, group) => transit.sendBalancedEvent(ctx, group),
  };
  if (!transit.balanced) return { calls: null, events };
  // One stand-in endpoint per action, its remote chain built once: the transport picks the node.
  const node = new NodeInfo(BALANCED_NODE, false);
  const endpoints = new Map<string, ActionEndpoint>();
  const request = (ctx: Context) => transit.request(ctx);
  const calls: BalancedCalls = {
    endpointFor(name, sample) {
      let endpoint = endpoints.get(name);
      if (endpoint === undefined) {
        endpoint = new ActionEndpoint(node, sample.service, sample.action, request);
        endpoint.handler = chains.remoteAction(request, endpoint);
        endpoints.set(name, endpoint);
      }
      return endpoint;
    },
  };
  return { calls, events };
}

/** Makes a strategy per endpoint list; every strategy made is recorded in `made` (to stop them). */
export function strategyMaker(
  broker: ServiceBroker,
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
    const Factory: StrategyFactory | undefined =
      typeof chosen === "function"
        ? chosen
        : Object.entries(Strategies).find(([key]) => key.toLowerCase() === chosen.toLowerCase())?.[1];
    if (!Factory) throw new BrokerOptionsError(`Unknown strategy '${String(chosen)}'.`, { strategy: chosen });
    const strategy = new Factory({ ...global.strategyOptions, ...options }, services);
    made.push(strategy);
    return strategy;
  };
}
