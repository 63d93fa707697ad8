import pino from "pino";
import { Context, ServiceNotFoundError } from "nucleon";
import { NodeInfo } from "../../lib/registry/node";
import type { ServiceDescriptor } from "../../lib/service/descriptor";
import type { TransitHost } from "../../lib/transit/transit-host";
import { generateUid } from "../../lib/utils/uid";

export interface LogLine {
  level: number;
  msg: string;
  event?: string;
  err?: { message: string };
}

/** A plain-object TransitHost (no ServiceBroker) that records what transit asks of it. */
export interface FakeHost extends TransitHost {
  stopping: boolean;
  /** Local action handlers by name: what `serve` runs. */
  actions: Map<string, (params: unknown, ctx: Context) => unknown>;
  delivered: Array<{ ctx: Context; groups: string[] | null; broadcast: boolean }>;
  servicesOf: Array<{ nodeID: string; services: string[] }>;
  left: string[];
  emitted: Array<{ event: string; payload: unknown }>;
  logs: LogLine[];
}

export function fakeHost(nodeID: string, services: ServiceDescriptor[] = [], namespace = ""): FakeHost {
  const logs: LogLine[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  const localNode = new NodeInfo(nodeID, true);
  // A Context needs only these of its broker outside ctx.call/ctx.emit.
  const contextBroker = { nodeID, generateUid } as unknown as ConstructorParameters<typeof Context>[0];
  const host: FakeHost = {
    nodeID,
    instanceID: generateUid(),
    namespace,
    logger,
    disableBalancer: false,
    metadata: {},
    stopping: false,
    nodes: new Map([[nodeID, localNode]]),
    localNode,
    localServices: () => services,
    createContext: (params, options) => new Context(contextBroker, params, options),
    actions: new Map(),
    serve(action, ctx) {
      const handler = host.actions.get(action);
      if (handler === undefined) return Promise.reject(new ServiceNotFoundError({ action, nodeID }));
      return Promise.resolve(handler(ctx.params, ctx));
    },
    delivered: [],
    deliverEvent(ctx, groups, broadcast) {
      host.delivered.push({ ctx, groups, broadcast });
      return Promise.resolve();
    },
    emitted: [],
    emitLocal(event, payload) {
      host.emitted.push({ event, payload });
      return Promise.resolve();
    },
    servicesOf: [],
    nodeServicesChanged(node, list) {
      host.servicesOf.push({ nodeID: node.id, services: list.map((s) => s.fullName) });
    },
    left: [],
    nodeLeft(node) {
      host.left.push(node.id);
    },
    logs,
  };
  return host;
}

/** A service descriptor with one action `<name>.<action>` and one event handler. */
export function descriptor(name: string, action: string, event: string): ServiceDescriptor {
  return {
    name,
    fullName: name,
    settings: {},
    metadata: {},
    dependencies: [],
    actions: [{ name: `${name}.${action}`, rawName: action, method: action, visibility: "published", params: false, options: {} }],
    events: [{ name: event, group: name, method: event, options: {} }],
  };
}
