import type { Context } from "../context/context";
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

/** What action and event endpoints share: where they are, and whether selection may pick them. */
abstract class Endpoint<H> {
  readonly id: string;
  readonly local: boolean;
  /** false while a circuit breaker holds it open. */
  available = true;

  constructor(
    readonly node: NodeInfo,
    readonly service: ServiceItem,
    public handler: H,
  ) {
    this.id = node.id;
    this.local = node.local;
  }
}

/** One action on one node. */
export class ActionEndpoint extends Endpoint<ActionHandler> {
  constructor(node: NodeInfo, service: ServiceItem, readonly action: ActionDescriptor, handler: ActionHandler) {
    super(node, service, handler);
  }
}

/** One event subscription (a handler in a group) on one node. */
export class EventEndpoint extends Endpoint<EventHandler> {
  constructor(node: NodeInfo, service: ServiceItem, readonly event: EventDescriptor, handler: EventHandler) {
    super(node, service, handler);
  }
}
