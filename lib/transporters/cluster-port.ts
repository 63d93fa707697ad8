/**
 * What a transporter that finds nodes and tracks their liveness itself (the
 * TCP transporter's gossip) needs of the cluster state transit keeps. Transit
 * passes one in `init()`; a transporter that declares `ownsDiscovery` uses it
 * and transit then sends no heartbeats and checks none. Declared here, below
 * transit, so a transporter never imports transit or the registry.
 */
export interface ClusterNode {
  readonly id: string;
  readonly local: boolean;
  readonly available: boolean;
  /** Version of the node's INFO; raised when it goes offline. */
  readonly seq: number;
  readonly cpu: number | null;
  /** Version of `cpu`. */
  readonly cpuSeq: number;
  readonly hostname: string | null;
  readonly ipList: readonly string[];
  /** The node's last INFO payload as it sent it (remote nodes). */
  readonly rawInfo: Record<string, unknown> | null;
}

export interface ClusterPort {
  /** Every known node, this one included. */
  nodes(): Iterable<ClusterNode>;
  node(nodeID: string): ClusterNode | undefined;
  /** This node's INFO payload (without `ver`/`sender`), at its current `seq`. */
  localInfo(): Record<string, unknown>;
  /** A peer holds us offline at `seq`: announce ourselves above it. */
  raiseLocalSeq(seq: number): void;
  /** Measures this node's CPU; its `cpuSeq` grows when the value changed. */
  measureLocalCpu(): void;
  /** A node's INFO learned from gossip: checked and processed like an INFO packet. */
  info(nodeID: string, info: Record<string, unknown>): void;
  /** A node known by address only (UDP, `urls`, a HELLO): recorded, offline, until its INFO arrives. */
  addOffline(nodeID: string): void;
  /** The node is gone (its socket closed, or gossip says so at `seq`). */
  offline(nodeID: string, seq?: number): void;
  /** Newer CPU figures of an online node. */
  cpu(nodeID: string, cpu: number, cpuSeq: number): void;
  /** A gossip packet's bytes: `payload` plus `ver` and `sender`, with transit's serializer. */
  encode(payload: Record<string, unknown>): Buffer;
  /** A gossip packet's payload; null (logged, rate-limited) when it does not decode to an object with a sender. */
  decode(kind: string, data: Buffer): (Record<string, unknown> & { sender: string }) | null;
}
