import type { Strategy } from "../strategies/strategy";
import { ActionEndpoint } from "./endpoint";
import { EndpointList } from "./endpoint-list";

export type StrategyMaker = (serviceStrategy?: string, serviceOptions?: Record<string, unknown>) => Strategy;

/** Action name → endpoints across nodes. */
export class ActionCatalog {
  private readonly lists = new Map<string, EndpointList<ActionEndpoint>>();

  constructor(
    private readonly makeStrategy: StrategyMaker,
    private readonly preferLocal: boolean,
  ) {}

  add(endpoint: ActionEndpoint, strategy?: string, strategyOptions?: Record<string, unknown>): void {
    const name = endpoint.action.name;
    let list = this.lists.get(name);
    if (!list) {
      list = new EndpointList<ActionEndpoint>(name, null, this.makeStrategy(strategy, strategyOptions), this.preferLocal);
      this.lists.set(name, list);
    }
    list.add(endpoint);
  }

  get(name: string): EndpointList<ActionEndpoint> | undefined {
    return this.lists.get(name);
  }

  remove(name: string, nodeID: string): void {
    const list = this.lists.get(name);
    if (!list) return;
    list.removeByNode(nodeID);
    if (list.size === 0) this.lists.delete(name);
  }

  removeByNode(nodeID: string): void {
    for (const name of [...this.lists.keys()]) this.remove(name, nodeID);
  }

  names(): string[] {
    return [...this.lists.keys()];
  }

  all(): IterableIterator<EndpointList<ActionEndpoint>> {
    return this.lists.values();
  }
}
