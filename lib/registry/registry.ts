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
  private services: RegisteredService[] = [];

  constructor(nodeID: string, options: RegistryConfig) {
    this.localNode = new NodeInfo(nodeID, true);
    this.nodes.set(nodeID, this.localNode);
    this.actions = new ActionCatalog(options.makeStrategy, options.preferLocal);
    this.events = new EventCatalog(options.makeStrategy, options.preferLocal);
  }

  registerService(service: RegisteredService, actions: ActionEndpoint[], events: EventEndpoint[]): void {
    this.services = this.services.filter((s) => !(s.node.id === service.node.id && s.fullName === service.fullName));
    this.services.push(service);
    const { strategy, strategyOptions } = service.descriptor;
    for (const endpoint of actions) this.actions.add(endpoint, strategy, strategyOptions);
    for (const endpoint of events) this.events.add(endpoint);
  }

  unregisterService(nodeID: string, fullName: string): void {
    const service = this.services.find((s) => s.node.id === nodeID && s.fullName === fullName);
    if (!service) return;
    this.services = this.services.filter((s) => s !== service);
    for (const action of service.descriptor.actions) this.actions.remove(action.name, nodeID);
    this.events.removeService(nodeID, fullName);
  }

  /** Drops everything a node offered (it left or timed out). */
  unregisterNode(nodeID: string): void {
    this.services = this.services.filter((s) => s.node.id !== nodeID);
    this.actions.removeByNode(nodeID);
    this.events.removeByNode(nodeID);
  }

  getServices(filter?: { nodeID?: string; onlyLocal?: boolean }): RegisteredService[] {
    return this.services.filter(
      (s) => (!filter?.nodeID || s.node.id === filter.nodeID) && (!filter?.onlyLocal || s.local),
    );
  }

  /** Whether a service (full name) is available on any available node. */
  hasService(fullName: string): boolean {
    return this.services.some((s) => s.fullName === fullName && s.node.available);
  }

  getNode(nodeID: string): NodeInfo | undefined {
    return this.nodes.get(nodeID);
  }
}
