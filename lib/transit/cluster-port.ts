import { NodeInfo } from "../registry/node";
import type { Serializer } from "../serializers/serializer";
import type { ClusterPort } from "../transporters/cluster-port";
import type { RateLimitedLog } from "../utils/rate-limited-log";
import type { CpuUsage } from "./cpu-usage";
import type { Discovery } from "./discovery";
import { buildInfo } from "./info-codec";
import type { ResolvedTransitOptions } from "./options";
import { checkPacket } from "./packet-guards";
import type { TransitHost } from "./transit-host";

export interface ClusterPortDeps {
  host: TransitHost;
  discovery: Discovery;
  serializer: Serializer;
  opts: Pick<ResolvedTransitOptions, "protocolVersion" | "streamWindow">;
  cpu: CpuUsage;
  log: RateLimitedLog;
  /** While stopping, INFO announces no services. */
  leaving: () => boolean;
}

/**
 * Transit's side of the `ClusterPort`: what a transporter that discovers
 * nodes itself (TCP gossip) reads and reports goes to the same node records
 * and the same `Discovery` as INFO/DISCONNECT packets would.
 */
export function clusterPort({ host, discovery, serializer, opts, cpu, log, leaving }: ClusterPortDeps): ClusterPort {
  const { nodes, localNode } = host;
  return {
    nodes: () => nodes.values(),
    node: (nodeID) => nodes.get(nodeID),
    // The same INFO as transit publishes: with our stream window, so nucleon peers pace by credit.
    localInfo: () => buildInfo(host, leaving(), opts.streamWindow),
    raiseLocalSeq(seq) {
      if (seq >= localNode.seq) localNode.seq = seq + 1;
    },
    measureLocalCpu() {
      const value = cpu.measure();
      if (value !== localNode.cpu) {
        localNode.cpu = value;
        localNode.cpuSeq++;
      }
    },
    info(nodeID, info) {
      const packet = checkPacket("INFO", { ...info, ver: opts.protocolVersion, sender: nodeID });
      if (typeof packet === "string" || packet.cmd !== "INFO") {
        log.warn("gossip-info", { nodeID, field: packet }, "Dropped a malformed node info from gossip");
        return;
      }
      discovery.processInfo(packet.payload);
    },
    addOffline(nodeID) {
      if (nodes.has(nodeID)) return;
      const node = new NodeInfo(nodeID, false);
      node.available = false;
      nodes.set(nodeID, node);
    },
    offline(nodeID, seq) {
      discovery.disconnected(nodeID, seq === undefined);
      const node = nodes.get(nodeID);
      if (node !== undefined && seq !== undefined && seq > node.seq) node.seq = seq;
    },
    cpu(nodeID, value, cpuSeq) {
      const node = nodes.get(nodeID);
      if (node === undefined || !node.available || cpuSeq <= node.cpuSeq) return;
      node.cpu = value;
      node.cpuSeq = cpuSeq;
      node.lastHeartbeatTime = Date.now();
    },
    encode: (payload) => serializer.serialize({ ver: opts.protocolVersion, sender: host.nodeID, ...payload }),
    decode(kind, data) {
      let payload: unknown;
      try {
        payload = serializer.deserialize(data);
      } catch (err) {
        log.warn(`gossip-${kind}`, { kind, err: (err as Error).message }, "Dropped a gossip packet that does not deserialize");
        return null;
      }
      if (typeof payload !== "object" || payload === null || typeof (payload as { sender?: unknown }).sender !== "string") {
        log.warn(`gossip-${kind}`, { kind }, "Dropped a gossip packet without a sender");
        return null;
      }
      return payload as Record<string, unknown> & { sender: string };
    },
  };
}
