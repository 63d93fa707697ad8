import { arch, cpus, freemem, hostname, loadavg, platform, release, totalmem, type, uptime } from "node:os";
import type { ActionDescriptor, ServiceDescriptor } from "../service/descriptor";
import { redactCredentials } from "../utils/redact";
import type { Registry } from "../registry/registry";
import type { ResolvedOptions } from "./options";

/** What the `$node` service reads: the registry, this node's instance id and options. `ServiceBroker` implements it. */
export interface NodeServiceHost {
  readonly registry: Registry;
  readonly instanceID: string;
  readonly options: ResolvedOptions;
}

interface ListOptions {
  onlyLocal?: boolean;
  onlyAvailable?: boolean;
  skipInternal?: boolean;
  withActions?: boolean;
  withEndpoints?: boolean;
}

const ACTIONS = ["list", "services", "actions", "events", "health", "options"] as const;

/**
 * The internal `$node` service every Moleculer node has: the cluster as this
 * node sees it, and its health. Callable remotely like any action.
 */
export function createNodeService(broker: NodeServiceHost): { descriptor: ServiceDescriptor; handlers: object } {
  const actions: ActionDescriptor[] = ACTIONS.map((rawName) => ({
    name: `$node.${rawName}`,
    rawName,
    method: rawName,
    visibility: "published",
    params: false,
    options: {},
  }));
  const opts = (p: unknown): ListOptions => (typeof p === "object" && p !== null ? (p as ListOptions) : {});

  const handlers = {
    list(p: unknown) {
      const { onlyAvailable } = opts(p);
      return [...broker.registry.nodes.values()]
        .filter((n) => !onlyAvailable || n.available)
        .map((n) => ({
          id: n.id,
          instanceID: n.local ? broker.instanceID : n.instanceID,
          available: n.available,
          local: n.local,
          lastHeartbeatTime: n.lastHeartbeatTime,
          cpu: n.cpu,
          seq: n.seq,
          hostname: n.local ? hostname() : n.hostname,
          ipList: n.ipList,
          client: n.local ? { type: "nodejs", version: "nucleon", langVersion: process.version } : n.client,
          metadata: n.local ? redactCredentials(broker.options.metadata) : n.metadata,
        }));
    },
    services(p: unknown) {
      const { onlyLocal, onlyAvailable, skipInternal, withActions } = opts(p);
      const byName = new Map<string, { name: string; fullName: string; version?: number | string; settings: unknown; metadata: unknown; nodes: string[]; local: boolean; actions?: Record<string, unknown>; available: boolean }>();
      for (const s of broker.registry.getServices({ onlyLocal })) {
        if (skipInternal && s.name.startsWith("$")) continue;
        if (onlyAvailable && !s.node.available) continue;
        const entry = byName.get(s.fullName) ?? {
          name: s.name,
          fullName: s.fullName,
          version: s.version,
          settings: s.settings,
          metadata: s.metadata,
          nodes: [],
          local: false,
          available: false,
          ...(withActions ? { actions: Object.fromEntries(s.descriptor.actions.map((a) => [a.name, { name: a.name, rawName: a.rawName }])) } : {}),
        };
        entry.nodes.push(s.node.id);
        entry.local ||= s.local;
        entry.available ||= s.node.available;
        byName.set(s.fullName, entry);
      }
      return [...byName.values()];
    },
    actions(p: unknown) {
      const { onlyLocal, skipInternal, withEndpoints } = opts(p);
      const out = [];
      for (const list of broker.registry.actions.all()) {
        if (skipInternal && list.name.startsWith("$")) continue;
        if (onlyLocal && !list.hasLocal()) continue;
        out.push({
          name: list.name,
          count: list.size,
          hasLocal: list.hasLocal(),
          available: list.endpoints.some((e) => e.available),
          action: { name: list.name, rawName: list.endpoints[0]?.action.rawName },
          ...(withEndpoints ? { endpoints: list.endpoints.map((e) => ({ nodeID: e.id, state: e.available, available: e.node.available })) } : {}),
        });
      }
      return out;
    },
    events(p: unknown) {
      const { onlyLocal, skipInternal, withEndpoints } = opts(p);
      const out = [];
      for (const list of broker.registry.events.all()) {
        if (skipInternal && list.name.startsWith("$")) continue;
        if (onlyLocal && !list.hasLocal()) continue;
        out.push({
          name: list.name,
          group: list.group,
          count: list.size,
          hasLocal: list.hasLocal(),
          available: list.endpoints.some((e) => e.node.available),
          ...(withEndpoints ? { endpoints: list.endpoints.map((e) => ({ nodeID: e.id, available: e.node.available })) } : {}),
        });
      }
      return out;
    },
    health() {
      const mem = process.memoryUsage();
      return {
        cpu: { load1: loadavg()[0], load5: loadavg()[1], load15: loadavg()[2], cores: cpus().length, utilization: broker.registry.localNode.cpu },
        mem: { free: freemem(), total: totalmem(), percent: (freemem() * 100) / totalmem() },
        os: { uptime: uptime(), type: type(), release: release(), hostname: hostname(), arch: arch(), platform: platform() },
        process: { pid: process.pid, memory: mem, uptime: process.uptime(), argv: process.argv },
        client: { type: "nodejs", version: "nucleon", langVersion: process.version },
        time: { now: Date.now(), iso: new Date().toISOString(), utc: new Date().toUTCString() },
      };
    },
    /** Any peer may call this: credentials (transporter URL passwords, `password`/`token`/… keys) are masked. */
    options() {
      const { container: _c, logger: _l, middlewares: _m, ...rest } = broker.options;
      return redactCredentials(rest);
    },
  };

  return {
    descriptor: { name: "$node", fullName: "$node", settings: {}, metadata: {}, dependencies: [], actions, events: [] },
    handlers,
  };
}
