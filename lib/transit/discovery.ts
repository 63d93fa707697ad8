import type { ServiceBroker } from "../broker/service-broker";
import { ActionEndpoint, EventEndpoint } from "../registry/endpoint";
import { NodeInfo } from "../registry/node";
import { registeredService } from "../registry/registry";
import type { ActionHandler } from "../registry/endpoint";
import type { InfoPacket } from "./packets";
import { payloadToDescriptor } from "./info-codec";

/** What one INFO may declare; a larger one is dropped (a 10,000-service INFO costs ~0.3 s to register). */
export interface InfoLimits {
  maxInfoServices: number;
  /** Actions and events together, over all the INFO's services. */
  maxInfoEndpoints: number;
}

/**
 * Remote node state: INFO registers a node's services (only when its `seq`
 * grew, its instance changed or it came back), HEARTBEAT keeps it alive,
 * DISCONNECT or a missed heartbeat takes it and its endpoints away.
 */
export class Discovery {
  constructor(
    private readonly broker: ServiceBroker,
    private readonly remoteHandler: ActionHandler,
    private readonly onNodeGone: (nodeID: string) => void,
    private readonly limits: InfoLimits,
  ) {}

  private get registry() {
    return this.broker.registry;
  }

  /** Handles an INFO from another node (one over the limits is dropped). */
  processInfo(p: InfoPacket): void {
    const { registry } = this;
    const excess = this.overLimits(p);
    if (excess !== null) {
      this.broker.logger.warn({ nodeID: p.sender, ...excess }, "Dropped an INFO that declares more than transit allows");
      return;
    }
    let node = registry.nodes.get(p.sender);
    const isNew = node === undefined;
    if (node === undefined) {
      node = new NodeInfo(p.sender, false);
      registry.nodes.set(p.sender, node);
    }
    const reconnected = !isNew && !node.available;
    const instanceChanged = node.instanceID !== null && node.instanceID !== p.instanceID;
    const seq = typeof p.seq === "number" ? p.seq : 0;
    const changed = isNew || reconnected || instanceChanged || seq > node.seq;
    // A new instance under the same nodeID: the old process is gone, and so are the answers it owed.
    if (instanceChanged && !reconnected) this.onNodeGone(p.sender);

    node.available = true;
    node.offlineSince = 0;
    node.lastHeartbeatTime = Date.now();
    node.instanceID = typeof p.instanceID === "string" ? p.instanceID : null;
    node.hostname = typeof p.hostname === "string" ? p.hostname : null;
    node.ipList = Array.isArray(p.ipList) ? p.ipList.filter((ip): ip is string => typeof ip === "string") : [];
    node.client = p.client && typeof p.client === "object" ? p.client : null;
    node.metadata = p.metadata && typeof p.metadata === "object" ? p.metadata : {};

    if (changed) {
      node.seq = seq;
      node.rawInfo = p;
      this.replaceServices(node, p);
    }
    if (isNew) void this.broker.broadcastLocal("$node.connected", { node, reconnected: false });
    else if (reconnected) void this.broker.broadcastLocal("$node.connected", { node, reconnected: true });
    else void this.broker.broadcastLocal("$node.updated", { node });
    if (changed) void this.broker.broadcastLocal("$services.changed", { localService: false });
  }

  /** `null` when the INFO is within the limits, else what it declares and what is allowed. */
  private overLimits(p: InfoPacket): Record<string, number> | null {
    const { maxInfoServices, maxInfoEndpoints } = this.limits;
    if (maxInfoServices > 0 && p.services.length > maxInfoServices) return { services: p.services.length, maxInfoServices };
    if (maxInfoEndpoints <= 0) return null;
    let endpoints = 0;
    for (const s of p.services) endpoints += countKeys(s.actions) + countKeys(s.events);
    return endpoints > maxInfoEndpoints ? { endpoints, maxInfoEndpoints } : null;
  }

  /** Records a heartbeat; returns false when the node is unknown or offline (ask it to DISCOVER). */
  processHeartbeat(nodeID: string, cpu: number | null | undefined): boolean {
    const node = this.registry.nodes.get(nodeID);
    if (node === undefined || !node.available) return false;
    node.lastHeartbeatTime = Date.now();
    if (typeof cpu === "number") node.cpu = cpu;
    return true;
  }

  /** The node left (DISCONNECT) or went silent (`unexpected`). */
  disconnected(nodeID: string, unexpected: boolean): void {
    const node = this.registry.nodes.get(nodeID);
    if (node === undefined || !node.available || node.local) return;
    node.available = false;
    node.offlineSince = Date.now();
    node.seq = 0;
    this.registry.unregisterNode(nodeID);
    this.onNodeGone(nodeID);
    void this.broker.broadcastLocal("$node.disconnected", { node, unexpected });
    void this.broker.broadcastLocal("$services.changed", { localService: false });
  }

  /** Nodes whose heartbeat is older than `timeoutMs` are taken offline; long-offline ones forgotten. */
  checkNodes(timeoutMs: number, forgetAfterMs: number): void {
    const now = Date.now();
    for (const node of [...this.registry.nodes.values()]) {
      if (node.local) continue;
      if (node.available && now - node.lastHeartbeatTime > timeoutMs) this.disconnected(node.id, true);
      else if (!node.available && node.offlineSince > 0 && now - node.offlineSince > forgetAfterMs) {
        this.registry.nodes.delete(node.id);
      }
    }
  }

  private replaceServices(node: NodeInfo, p: InfoPacket): void {
    const { registry, broker } = this;
    registry.unregisterNode(node.id);
    for (const service of p.services) {
      let descriptor;
      try {
        descriptor = payloadToDescriptor(service);
      } catch (err) {
        broker.logger.warn({ err, node: node.id }, "Dropped a malformed service from INFO");
        continue;
      }
      const item = registeredService(descriptor, node);
      const actions = descriptor.actions.map((action) => {
        const endpoint = new ActionEndpoint(node, item, action, this.remoteHandler);
        endpoint.handler = broker.middlewares.wrapRemoteAction(this.remoteHandler, endpoint);
        return endpoint;
      });
      // Remote event endpoints are only selected, never invoked: the EVENT packet goes out instead.
      const events = descriptor.events.map((event) => new EventEndpoint(node, item, event, notInvokable));
      registry.registerService(item, actions, events);
    }
  }
}

function countKeys(o: unknown): number {
  if (typeof o !== "object" || o === null) return 0;
  let n = 0;
  for (const _ in o) n++;
  return n;
}

function notInvokable(): Promise<void> {
  return Promise.reject(new Error("Remote event endpoints are reached through transit"));
}
