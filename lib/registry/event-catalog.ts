import { matchEventName } from "../utils/wildcard";
import { EventEndpoint } from "./endpoint";
import { EndpointList } from "./endpoint-list";
import type { StrategyMaker } from "./action-catalog";

const MAX_MEMOIZED = 1000;

/**
 * Event subscriptions: one endpoint list per (event pattern, group). Which
 * lists an emitted name reaches is memoized until the subscriptions change,
 * so an emit does no wildcard matching on the hot path.
 */
export class EventCatalog {
  private readonly lists = new Map<string, EndpointList<EventEndpoint>>();
  private matches = new Map<string, EndpointList<EventEndpoint>[]>();

  constructor(
    private readonly makeStrategy: StrategyMaker,
    private readonly preferLocal: boolean,
  ) {}

  add(endpoint: EventEndpoint): void {
    const { name, group } = endpoint.event;
    const key = `${name}\u0000${group}`;
    let list = this.lists.get(key);
    if (!list) {
      list = new EndpointList<EventEndpoint>(name, group, this.makeStrategy(), this.preferLocal);
      this.lists.set(key, list);
    }
    // Several handlers of one service may share a group on the same node: keep them all.
    list.endpoints = list.endpoints.concat(endpoint);
    list.localEndpoints = list.endpoints.filter((e) => e.local);
    this.matches = new Map();
  }

  removeByNode(nodeID: string): void {
    for (const [key, list] of [...this.lists]) {
      list.removeByNode(nodeID);
      if (list.size === 0) this.lists.delete(key);
    }
    this.matches = new Map();
  }

  /** Removes one service's subscriptions on one node. */
  removeService(nodeID: string, serviceFullName: string): void {
    for (const [key, list] of [...this.lists]) {
      list.endpoints = list.endpoints.filter((e) => !(e.id === nodeID && e.service.fullName === serviceFullName));
      list.localEndpoints = list.endpoints.filter((e) => e.local);
      if (list.size === 0) this.lists.delete(key);
    }
    this.matches = new Map();
  }

  /** Endpoint lists (one per group) whose pattern matches `eventName`. */
  match(eventName: string): EndpointList<EventEndpoint>[] {
    let found = this.matches.get(eventName);
    if (!found) {
      found = [];
      for (const list of this.lists.values()) if (matchEventName(eventName, list.name)) found.push(list);
      // Bounded: dynamic event names must not grow the memo without limit.
      if (this.matches.size >= MAX_MEMOIZED) this.matches = new Map();
      this.matches.set(eventName, found);
    }
    return found;
  }

  all(): IterableIterator<EndpointList<EventEndpoint>> {
    return this.lists.values();
  }
}
