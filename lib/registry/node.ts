/** A node of the cluster as the registry knows it (this one included). */
export class NodeInfo {
  readonly id: string;
  readonly local: boolean;
  available = true;
  /** Last reported CPU %, from heartbeats. */
  cpu: number | null = null;
  /** Version of `cpu` (TCP gossip compares it). */
  cpuSeq = 0;
  /** Average ping round trip in ms, sampled by the Latency strategy. */
  latency: number | null = null;
  /** Version of the node's service list (INFO `seq`). */
  seq = 0;
  instanceID: string | null = null;
  hostname: string | null = null;
  ipList: string[] = [];
  client: { type: string; version: string; langVersion: string } | null = null;
  metadata: Record<string, unknown> = {};
  lastHeartbeatTime = 0;
  offlineSince = 0;
  /** The last INFO payload received from the node (its services as it sent them). */
  rawInfo: Record<string, unknown> | null = null;

  constructor(id: string, local: boolean) {
    this.id = id;
    this.local = local;
  }
}
