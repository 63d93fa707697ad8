import { ServiceNotFoundError } from "../errors";
import { ActionEndpoint, type ActionHandler, EventEndpoint } from "../registry/endpoint";
import type { NodeInfo } from "../registry/node";
import { type Registry, registeredService } from "../registry/registry";
import type { ServiceDescriptor } from "../service/descriptor";
import type { TransitHost } from "../transit/transit-host";
import type { Context } from "../context/context";
import type { Logger } from "./logger";

/**
 * What a broker's `TransitHost` is made of, each part given explicitly (the
 * dispatcher's and event bus's methods, not the broker), so the host needs
 * no private field of `ServiceBroker`.
 */
export interface TransitHostParts {
  nodeID: string;
  instanceID: string;
  namespace: string;
  logger: Logger;
  options: { disableBalancer?: boolean; metadata: Record<string, unknown> };
  registry: Registry;
  /** The call dispatcher's: runs a context on a chosen endpoint through its chain. */
  callEndpoint(endpoint: ActionEndpoint, ctx: Context): Promise<unknown>;
  /** The event bus's: runs the local handlers an incoming EVENT asks for. */
  deliverIncoming(ctx: Context, groups: string[] | null, broadcast: boolean): Promise<void>;
  /** The middleware host's: the remote chain around `handler`, composed once per endpoint. */
  wrapRemoteAction(handler: ActionHandler, endpoint: ActionEndpoint): ActionHandler;
  /** Sends a call to a remote endpoint's node (transit's `request`). */
  remoteRequest: ActionHandler;
  broadcastLocal(event: string, payload: unknown): Promise<void>;
  isStopping(): boolean;
  createContext(params: unknown, options: { timeout?: number }): Context;
}

/** The broker side of the `TransitHost` port: the registry's endpoints, the local chains, local events. */
export function createTransitHost(parts: TransitHostParts): TransitHost {
  const { registry, callEndpoint, remoteRequest, wrapRemoteAction } = parts;
  return {
    nodeID: parts.nodeID,
    instanceID: parts.instanceID,
    namespace: parts.namespace,
    logger: parts.logger,
    disableBalancer: parts.options.disableBalancer === true,
    get metadata() {
      return parts.options.metadata;
    },
    get stopping() {
      return parts.isStopping();
    },
    nodes: registry.nodes,
    localNode: registry.localNode,
    localServices: () => registry.getServices({ onlyLocal: true }).map((s) => s.descriptor),
    createContext: parts.createContext,
    serve(action, ctx) {
      const endpoint = localEndpoint(registry, action);
      if (endpoint === undefined) return Promise.reject(new ServiceNotFoundError({ action, nodeID: parts.nodeID }));
      return callEndpoint(endpoint, ctx);
    },
    deliverEvent: parts.deliverIncoming,
    emitLocal: parts.broadcastLocal,
    nodeServicesChanged(node, services) {
      registry.unregisterNode(node.id);
      for (const descriptor of services) registerRemote(registry, node, descriptor, remoteRequest, wrapRemoteAction);
    },
    nodeLeft(node) {
      registry.unregisterNode(node.id);
    },
  };
}

/** A local endpoint callable from another node: not protected, an available one when there are several. */
function localEndpoint(registry: Registry, action: string): ActionEndpoint | undefined {
  const list = registry.actions.get(action);
  if (list === undefined) return undefined;
  const local = list.localEndpoints;
  const endpoint = local.length === 1 ? local[0] : local.find((e) => e.available);
  if (endpoint === undefined || endpoint.action.visibility === "protected") return undefined;
  return endpoint;
}

/** One remote service: its action endpoints call through the remote chain, composed here once. */
function registerRemote(
  registry: Registry,
  node: NodeInfo,
  descriptor: ServiceDescriptor,
  request: ActionHandler,
  wrap: TransitHostParts["wrapRemoteAction"],
): void {
  const item = registeredService(descriptor, node);
  const actions = descriptor.actions.map((action) => {
    const endpoint = new ActionEndpoint(node, item, action, request);
    endpoint.handler = wrap(request, endpoint);
    return endpoint;
  });
  // Remote event endpoints are only selected, never invoked: the EVENT packet goes out instead.
  const events = descriptor.events.map((event) => new EventEndpoint(node, item, event, notInvokable));
  registry.registerService(item, actions, events);
}

function notInvokable(): Promise<void> {
  return Promise.reject(new Error("Remote event endpoints are reached through transit"));
}
