import type { Context } from "../broker/context";
import type { ActionDescriptor, EventDescriptor } from "../service/descriptor";
import type { NodeInfo } from "./node";

/** A compiled handler chain for an action: always returns a promise. */
export type ActionHandler = (ctx: Context) => Promise<unknown>;
export type EventHandler = (ctx: Context) => Promise<void>;

/** The service side of an endpoint, as registered (local or from another node's INFO). */
export interface ServiceItem {
  name: string;
  fullName: string;
  version?: number | string;
  settings: Record<string, unknown>;
  metadata: Record<string, unknown>;
  node: NodeInfo;
  local: boolean;
}

/** One action on one node. */
export class ActionEndpoint {
  readonly id: string;
  readonly local: boolean;
  /** false while a circuit breaker holds it open. */
  available = true;

  constructor(
    readonly node: NodeInfo,
    readonly service: ServiceItem,
    readonly action: ActionDescriptor,
    public handler: ActionHandler,
  ) {
    this.id = node.id;
    this.local = node.local;
  }
}

/** One event subscription (a handler in a group) on one node. */
export class EventEndpoint {
  readonly id: string;
  readonly local: boolean;
  available = true;

  constructor(
    readonly node: NodeInfo,
    readonly service: ServiceItem,
    readonly event: EventDescriptor,
    public handler: EventHandler,
  ) {
    this.id = node.id;
    this.local = node.local;
  }
}
