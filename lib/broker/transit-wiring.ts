import { Context, type ContextBroker } from "../context/context";
import type { HandlerChains } from "../middleware/handler-chains";
import { ActionEndpoint } from "../registry/endpoint";
import { NodeInfo } from "../registry/node";
import type { Registry } from "../registry/registry";
import { resolveSerializer } from "../serializers";
import { TRANSIT_DEFAULTS } from "../transit/options";
import { BALANCED_NODE, Transit } from "../transit/transit";
import { resolveTransporter } from "../transporters";
import type { BalancedCalls, CallDispatcher } from "./call-dispatcher";
import type { EventBus, RemoteEvents } from "./event-bus";
import type { Logger } from "./logger";
import type { ResolvedOptions } from "./options";
import { createTransitHost } from "./transit-host";

/**
 * Building transit (transporter + serializer + the broker's host port) and
 * the ports through which calls and events reach it.
 */

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
  chains: Pick<HandlerChains, "remoteAction" | "transit">;
}

export function createTransit(broker: TransitBroker, o: ResolvedOptions, { dispatcher, events, chains }: TransitParts): Transit | null {
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
    wrapRemoteAction: (handler, endpoint) => chains.remoteAction(handler, endpoint),
    // Bound late: the endpoints of the nodes this transit discovers send through it.
    remoteRequest: (ctx) => transit.request(ctx),
    broadcastLocal: (event, payload) => broker.broadcastLocal(event, payload),
    isStopping: () => broker.stopping,
    createContext: (params, options) => new Context(broker, params, options),
  });
  const transit: Transit = new Transit(host, resolveTransporter(o.transporter), resolveSerializer(o.serializer ?? "JSON"), {
    ...TRANSIT_DEFAULTS,
    ...definedOnly(o.transit),
    protocolVersion: o.protocolVersion ?? TRANSIT_DEFAULTS.protocolVersion,
    heartbeatInterval: o.heartbeatInterval ?? TRANSIT_DEFAULTS.heartbeatInterval,
    heartbeatTimeout: o.heartbeatTimeout ?? TRANSIT_DEFAULTS.heartbeatTimeout,
  }, chains.transit());
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

/** `{ maxPacketDepth: undefined }` keeps the default instead of turning the check off. */
function definedOnly<T extends object>(options: T | undefined): Partial<T> {
  const out: Partial<T> = {};
  if (options === undefined) return out;
  for (const [key, value] of Object.entries(options) as Array<[keyof T, T[keyof T]]>) if (value !== undefined) out[key] = value;
  return out;
}
