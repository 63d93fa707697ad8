import type { ServiceDescriptor } from "../service/descriptor";
import { ActionCatalog, StrategyMaker } from "./action-catalog";
import type { ActionEndpoint, EventEndpoint, ServiceItem } from "./endpoint";
import { EventCatalog } from "./event-catalog";
import { NodeInfo } from "./node";

/** A registered service: its item plus the descriptor it was built from. */
export interface RegisteredService extends ServiceItem {
  descriptor: ServiceDescriptor;
}

/** The registry's record of a service on a node, from its descriptor. */
export function registeredService(descriptor: ServiceDescriptor, node: NodeInfo): RegisteredService {
  return {
    name: descriptor.name,
    fullName: descriptor.fullName,
    version: descriptor.version,
    settings: descriptor.settings,
    metadata: descriptor.metadata,
    node,
    local: node.local,
    descriptor,
  };
}

export interface RegistryConfig {
  preferLocal: boolean;
  makeStrategy: StrategyMaker;
}

/**
 * Nodes, services and action/event endpoints, local and remote alike, so a
 * remote endpoint slots into the same lists the local path uses.
 */
export class Registry {
  readonly nodes = new Map<string, NodeInfo>();
  readonly localNode: NodeInfo;
  readonly actions: ActionCatalog;
  readonly events: EventCatalog;
  /** By `nodeID\0fullName`, in registration order: one INFO registers in linear time. */
  private readonly services = new Map<string, RegisteredService>();

  constructor(nodeID: string, options: RegistryConfig) {
    this.localNode = new NodeInfo(nodeID, true);
    this.nodes.set(nodeID, this.localNode);
    this.actions = new ActionCatalog(options.makeStrategy, options.preferLocal);
    this.events = new EventCatalog(options.makeStrategy, options.preferLocal);
  }

  registerService(service: RegisteredService, actions: ActionEndpoint[], events: EventEndpoint[]): void {
    const key = serviceKey(service.node.id, service.fullName);
    // Delete first so a re-registered service moves to the end, as a new one would.
    this.services.delete(key);
    this.services.set(key, service);
    const { strategy, strategyOptions } = service.descriptor;
    for (const endpoint of actions) this.actions.add(endpoint, strategy, strategyOptions);
    for (const endpoint of events) this.events.add(endpoint);
  }

  unregisterService(nodeID: string, fullName: string): void {
    const key = serviceKey(nodeID, fullName);
    const service = this.services.get(key);
    if (!service) return;
    this.services.delete(key);
    for (const action of service.descriptor.actions) this.actions.remove(action.name, nodeID);
    this.events.removeService(nodeID, fullName);
  }

  /** Drops everything a node offered (it left or timed out). */
  unregisterNode(nodeID: string): void {
    for (const [key, s] of this.services) if (s.node.id === nodeID) this.services.delete(key);
    this.actions.removeByNode(nodeID);
    this.events.removeByNode(nodeID);
  }

  getServices(filter?: { nodeID?: string; onlyLocal?: boolean }): RegisteredService[] {
    const out: RegisteredService[] = [];
    for (const s of this.services.values()) {
      if ((!filter?.nodeID || s.node.id === filter.nodeID) && (!filter?.onlyLocal || s.local)) out.push(s);
    }
    return out;
  }

  /** Whether a service (full name) is available on any available node. */
  hasService(fullName: string): boolean {
    for (const s of this.services.values()) if (s.fullName === fullName && s.node.available) return true;
    return false;
  }

  getNode(nodeID: string): NodeInfo | undefined {
    return this.nodes.get(nodeID);
  }
}

function serviceKey(nodeID: string, fullName: string): string {
  return `${nodeID}\u0000${fullName}`;
}
