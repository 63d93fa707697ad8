import type { Logger } from "pino";
import type { ClusterPort } from "./cluster-port";
import type { PacketCommand } from "./packet-command";

export type { PacketCommand };
export type { ClusterNode, ClusterPort } from "./cluster-port";

/** What a transporter tells transit. */
export interface TransporterHandlers {
  /**
   * A raw message arrived on one of our subscriptions. Balanced deliveries
   * (`REQB`/`EVENTB` subscriptions) are reported as `REQ`/`EVENT`, like Moleculer:
   * the payload is an ordinary REQ/EVENT packet.
   */
  onMessage(cmd: PacketCommand, data: Buffer): void;
  /**
   * Connected (again, when `wasReconnect`): transit re-subscribes and re-announces.
   * `connect()` awaits `onConnect(false)` before it resolves; reconnects call
   * `onConnect(true)` from the client's own events. Repeating a `subscribe*` call
   * for a topic already subscribed is a no-op in every transporter.
   */
  onConnect(wasReconnect: boolean): Promise<void>;
  /** The connection was lost (the transporter keeps trying to reconnect). */
  onDisconnect(): void;
}

export interface TransporterInit {
  /** Topic prefix: `MOL`, or `MOL-<namespace>`. */
  prefix: string;
  nodeID: string;
  logger: Logger;
  handlers: TransporterHandlers;
  /** The cluster state, for a transporter that `ownsDiscovery`; others ignore it. */
  cluster?: ClusterPort;
}

/**
 * One transport. Topics follow Moleculer: `<prefix>.<CMD>` for broadcasts,
 * `<prefix>.<CMD>.<nodeID>` for targeted packets (each transport maps them
 * to its own subjects/channels/queues).
 */
export interface Transporter {
  /** Whether `disableBalancer` (queue-group balancing by the transport) is supported. */
  readonly hasBuiltInBalancer: boolean;
  readonly connected: boolean;
  /**
   * The largest message the transport takes, in bytes (NATS: the server's
   * `max_payload`, known once connected); 0 when unknown or unlimited. Transit
   * checks packets against it so an oversized one becomes a typed error
   * instead of a send failure the other side never hears about.
   */
  readonly maxPayload: number;
  /**
   * Optional: resolves once what was published so far has left for the
   * server (NATS: a PING round trip; Redis: the reply to a PING queued
   * behind the publishes). Long streams towards peers that grant no credit
   * pace themselves by it, so the client's buffer never grows without bound.
   * Without it, senders yield to the event loop instead.
   */
  flush?(): Promise<void>;
  /**
   * True when the transport finds nodes and tracks their liveness itself
   * (TCP: gossip) through `init.cluster`: transit then starts no heartbeat
   * timers, and the broadcasts it still publishes (DISCOVER, INFO, …) are
   * the transport's to drop.
   */
  readonly ownsDiscovery?: boolean;
  /** Where it connects, without credentials (for messages and logs). */
  readonly address?: string;
  init(init: TransporterInit): void;
  /** Resolves once connected; keeps reconnecting afterwards on its own. Rejects only when it gives up. */
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** Subscribes `<prefix>.<cmd>` (no nodeID) or `<prefix>.<cmd>.<nodeID>`. */
  subscribe(cmd: PacketCommand, nodeID?: string): Promise<void>;
  /** `<prefix>.REQB.<action>` in a queue group named after the action. */
  subscribeBalancedRequest(action: string): Promise<void>;
  /** `<prefix>.EVENTB.<group>.<event>` in a queue group named after the group. */
  subscribeBalancedEvent(event: string, group: string): Promise<void>;
  /** Drops the REQB/EVENTB subscriptions (re-made before every INFO). */
  unsubscribeFromBalancedCommands(): Promise<void>;
  /** Publishes to `<prefix>.<cmd>` or `<prefix>.<cmd>.<nodeID>`. */
  publish(cmd: PacketCommand, nodeID: string | null, data: Buffer): Promise<void>;
  publishBalancedRequest(action: string, data: Buffer): Promise<void>;
  publishBalancedEvent(event: string, group: string, data: Buffer): Promise<void>;
}
