import { Cacher, Cachers, isCacher, RedisCacher, resolveCacher } from "../cachers";
import type { CacherMiddlewareOptions } from "../middleware/cacher";
import type { MiddlewareHost } from "../middleware/middleware-host";
import { ActionEndpoint } from "../registry/endpoint";
import { NodeInfo } from "../registry/node";
import type { Registry } from "../registry/registry";
import { resolveSerializer } from "../serializers";
import { Strategies, Strategy, StrategyServices } from "../strategies";
import { TRANSIT_DEFAULTS } from "../transit/options";
import { BALANCED_NODE, Transit } from "../transit/transit";
import { resolveTransporter } from "../transporters";
import { DEFAULT_VALIDATOR, Validators, type Validator } from "../validation";
import { Context, type ContextBroker } from "../context/context";
import type { HandlerChains } from "../middleware/handler-chains";
import type { BalancedCalls, CallDispatcher } from "./call-dispatcher";
import type { EventBus, RemoteEvents } from "./event-bus";
import type { Logger } from "./logger";
import type { BrokerOptions, CacherOptions, ResolvedOptions } from "./options";
import { createTransitHost } from "./transit-host";

/**
 * Turning the plugin options (validator, cacher, transporter + serializer,
 * strategies) into instances, so the broker itself stays a thin front.
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

/** What creating transit reads off the broker (a port: this module does not import `ServiceBroker`). */
export interface TransitBroker extends ContextBroker {
  readonly logger: Logger;
  readonly registry: Registry;
  readonly stopping: boolean;
}

/**
 * The broker's modules transit is served by, given explicitly. The dispatcher
 * and event bus are read when a packet arrives, not now: they are built after
 * transit, since their remote ports come from it.
 */
export interface TransitParts {
  dispatcher: () => Pick<CallDispatcher, "callEndpoint">;
  events: () => Pick<EventBus, "deliverIncoming">;
  middlewares: Pick<MiddlewareHost, "wrapRemoteAction" | "transitHooks">;
}

export function createTransit(broker: TransitBroker, o: ResolvedOptions, { dispatcher, events, middlewares }: TransitParts): Transit | null {
  if (!o.transporter) return null;
  const host = createTransitHost({
    nodeID: broker.nodeID,
    instanceID: broker.instanceID,
    namespace: broker.namespace,
    logger: broker.logger,
    options: o,
    registry: broker.registry,
    callEndpoint: (endpoint, ctx) => dispatcher().callEndpoint(endpoint, ctx),
    deliverIncoming: (ctx, groups, broadcast) => events().deliverIncoming(ctx, groups, broadcast),
    wrapRemoteAction: (handler, endpoint) => middlewares.wrapRemoteAction(handler, endpoint),
    // Bound late: the endpoints of the nodes this transit discovers send through it.
    remoteRequest: (ctx) => transit.request(ctx),
    broadcastLocal: (event, payload) => broker.broadcastLocal(event, payload),
    isStopping: () => broker.stopping,
    createContext: (params, options) => new Context(broker, params, options),
  });
  const transit: Transit = new Transit(host, resolveTransporter(o.transporter), resolveSerializer(o.serializer ?? "JSON"), {
    ...TRANSIT_DEFAULTS,
    ...o.transit,
    heartbeatInterval: o.heartbeatInterval ?? TRANSIT_DEFAULTS.heartbeatInterval,
    heartbeatTimeout: o.heartbeatTimeout ?? TRANSIT_DEFAULTS.heartbeatTimeout,
  }, middlewares.transitHooks());
  return transit;
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
