import type { Logger } from "pino";
// Transit's one import from the broker's folder: Context moves below transit (to lib/context) in this issue.
import type { Context } from "../context/context";
import type { NodeInfo } from "../registry/node";
import type { ServiceDescriptor } from "../service/descriptor";

export type { Context };

/**
 * What transit needs from the node it runs in, and nothing more: transit sits
 * below the broker, so it gets this port in its constructor instead of the
 * broker itself. The broker's `createTransitHost` builds it for a
 * ServiceBroker; a plain object will do (see spec/transit/transit-host.spec.ts).
 *
 * Who keeps what of the cluster's state: node records (`NodeInfo`, a
 * registry type, below transit) are shared, and transit keeps their
 * protocol state — seq, instanceID, heartbeats, availability — because that
 * is the protocol's logic (and the Redis/etcd discoverers to come will keep
 * the same records). Endpoints are the host's: a remote action endpoint
 * carries the remote middleware chain, which lives above transit, so transit
 * only tells the host which services a node declared (`nodeServicesChanged`)
 * and when it left (`nodeLeft`).
 */
export interface TransitHost {
  readonly nodeID: string;
  /** Random per process run: tells a restarted node, or a twin with our nodeID, apart. */
  readonly instanceID: string;
  /** Topic prefix `MOL-<namespace>`; empty for none. */
  readonly namespace: string;
  readonly logger: Logger;
  /** Asked for `disableBalancer`: let a transporter that can balance do it. */
  readonly disableBalancer: boolean;
  /** Published in INFO (transit masks credentials in it). */
  readonly metadata: Record<string, unknown>;
  /** While true, incoming requests are refused with `ServiceNotAvailableError`. */
  readonly stopping: boolean;

  /** Every node record, this node's included; transit adds, updates and forgets remote ones. */
  readonly nodes: Map<string, NodeInfo>;
  /** This node's record: transit bumps its `seq` and sets its `cpu`. */
  readonly localNode: NodeInfo;
  /** This node's services, as INFO announces them. */
  localServices(): ServiceDescriptor[];

  /** A fresh context for a REQ or EVENT that came in; transit fills in what crossed the wire. */
  createContext(params: unknown, options: { timeout?: number }): Context;
  /**
   * Runs `action` on a local endpoint callable from another node, through
   * its local chain: resolves with the result, rejects (or throws) with the
   * error, `ServiceNotFoundError` when there is no such endpoint.
   */
  serve(action: string, ctx: Context): Promise<unknown>;
  /** Runs the local event handlers an EVENT packet asks for. */
  deliverEvent(ctx: Context, groups: string[] | null, broadcast: boolean): Promise<void>;
  /** Emits a local `$`-event (`$node.connected`, `$transporter.connected`, …); transit logs a failure. */
  emitLocal(event: string, payload: unknown): Promise<void>;

  /** A remote node declared its services (joined, came back or changed its list): they replace its endpoints. */
  nodeServicesChanged(node: NodeInfo, services: ServiceDescriptor[]): void;
  /** A remote node left or went silent: its endpoints go (its record stays, offline). */
  nodeLeft(node: NodeInfo): void;
}
