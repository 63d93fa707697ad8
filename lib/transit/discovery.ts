import { NodeInfo } from "../registry/node";
import type { ServiceDescriptor } from "../service/descriptor";
import type { InfoPacket } from "./packets";
import { payloadToDescriptor } from "./info-codec";
import type { EmitLocal } from "./local-events";
import type { TransitHost } from "./transit-host";

/** What one INFO may declare; a larger one is dropped (a 10,000-service INFO costs ~0.3 s to register). */
export interface InfoLimits {
  maxInfoServices: number;
  /** Actions and events together, over all the INFO's services. */
  maxInfoEndpoints: number;
}

/** What discovery needs of the host: the node records, and where a node's services go. */
export type DiscoveryHost = Pick<TransitHost, "nodes" | "logger" | "nodeServicesChanged" | "nodeLeft">;

/**
 * Remote node state: INFO registers a node's services (only when its `seq`
 * grew, its instance changed or it came back), HEARTBEAT keeps it alive,
 * DISCONNECT or a missed heartbeat takes it and its endpoints away. The
 * records' protocol state is kept here; the endpoints by the host (see
 * `TransitHost`).
 */
export class Discovery {
  constructor(
    private readonly host: DiscoveryHost,
    private readonly emit: EmitLocal,
    private readonly onNodeGone: (nodeID: string) => void,
    private readonly limits: InfoLimits,
  ) {}

  /** Handles an INFO from another node (one over the limits is dropped). */
  processInfo(p: InfoPacket): void {
    const { nodes } = this.host;
    const excess = this.overLimits(p);
    if (excess !== null) {
      this.host.logger.warn({ nodeID: p.sender, ...excess }, "Dropped an INFO that declares more than transit allows");
      return;
    }
    let node = nodes.get(p.sender);
    const isNew = node === undefined;
    if (node === undefined) {
      node = new NodeInfo(p.sender, false);
      nodes.set(p.sender, node);
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
      this.host.nodeServicesChanged(node, this.descriptors(node, p));
    }
    if (isNew || reconnected) this.emit("$node.connected", { node, reconnected });
    else this.emit("$node.updated", { node });
    if (changed) this.emit("$services.changed", { localService: false });
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
    const node = this.host.nodes.get(nodeID);
    if (node === undefined || !node.available) return false;
    node.lastHeartbeatTime = Date.now();
    if (typeof cpu === "number") node.cpu = cpu;
    return true;
  }

  /** The node left (DISCONNECT) or went silent (`unexpected`). */
  disconnected(nodeID: string, unexpected: boolean): void {
    const node = this.host.nodes.get(nodeID);
    if (node === undefined || !node.available || node.local) return;
    node.available = false;
    node.offlineSince = Date.now();
    // Raised as Moleculer does: gossip tells "went offline" from "still online at that seq" by it.
    node.seq++;
    this.host.nodeLeft(node);
    this.onNodeGone(nodeID);
    this.emit("$node.disconnected", { node, unexpected });
    this.emit("$services.changed", { localService: false });
  }

  /** Nodes whose heartbeat is older than `timeoutMs` are taken offline; long-offline ones forgotten. */
  checkNodes(timeoutMs: number, forgetAfterMs: number): void {
    const now = Date.now();
    const { nodes } = this.host;
    for (const node of [...nodes.values()]) {
      if (node.local) continue;
      if (node.available && now - node.lastHeartbeatTime > timeoutMs) this.disconnected(node.id, true);
      else if (!node.available && node.offlineSince > 0 && now - node.offlineSince > forgetAfterMs) {
        nodes.delete(node.id);
      }
    }
  }

  /** The INFO's services as descriptors; a malformed one is dropped, the others still register. */
  private descriptors(node: NodeInfo, p: InfoPacket): ServiceDescriptor[] {
    const out: ServiceDescriptor[] = [];
    for (const service of p.services) {
      try {
        out.push(payloadToDescriptor(service));
      } catch (err) {
        this.host.logger.warn({ err, node: node.id }, "Dropped a malformed service from INFO");
      }
    }
    return out;
  }
}

function countKeys(o: unknown): number {
  if (typeof o !== "object" || o === null) return 0;
  let n = 0;
  for (const _ in o) n++;
  return n;
}
