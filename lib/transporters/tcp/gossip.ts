import type { ClusterNode, ClusterPort } from "../cluster-port";
import type { AddressBook } from "./address-book";
import { FrameType, type FrameTypeId } from "./frame";

/** Sends one gossip frame; failures are the caller's to swallow. */
export type GossipSend = (nodeID: string, type: FrameTypeId, data: Buffer) => Promise<void>;

type OnlineRow = [number, number, number];
type ResponseRow = [Record<string, unknown>, number, number] | [number, number];

interface GossipTables {
  online?: Record<string, unknown>;
  offline?: Record<string, unknown>;
}

/**
 * Moleculer's gossip over the cluster state transit keeps: each round sends
 * our whole view (`{online: {id: [seq, cpuSeq, cpu]}, offline: {id: seq}}`)
 * to a random online peer, and to a random offline one with probability
 * offline/(online+1); a peer answers only with what it knows newer. A newer
 * `seq` carries the node's INFO, a newer `cpuSeq` its CPU, a newer offline
 * `seq` takes the node offline.
 */
export class Gossip {
  constructor(
    private readonly cluster: ClusterPort,
    private readonly book: AddressBook,
    private readonly send: GossipSend,
    private readonly localPort: () => number,
  ) {}

  /** One round: a GOSSIP_REQ to a random online peer, maybe one to an offline one. */
  round(): void {
    this.cluster.measureLocalCpu();
    const online: Record<string, OnlineRow> = {};
    const offline: Record<string, number> = {};
    const onlinePeers: ClusterNode[] = [];
    const offlinePeers: ClusterNode[] = [];
    for (const node of this.cluster.nodes()) {
      if (node.available) {
        online[node.id] = [node.seq, node.cpuSeq, node.cpu ?? 0];
        if (!node.local) onlinePeers.push(node);
      } else {
        if (node.seq > 0) offline[node.id] = node.seq;
        offlinePeers.push(node);
      }
    }
    if (onlinePeers.length + offlinePeers.length === 0) return;
    const payload: Record<string, unknown> = { online };
    if (hasAny(offline)) payload.offline = offline;
    const data = this.cluster.encode(payload);
    if (onlinePeers.length > 0) this.sendTo(pick(onlinePeers).id, FrameType.GOSSIP_REQ, data);
    if (offlinePeers.length > 0) {
      const ratio = offlinePeers.length / (onlinePeers.length + 1);
      if (ratio >= 1 || Math.random() < ratio) this.sendTo(pick(offlinePeers).id, FrameType.GOSSIP_REQ, data);
    }
  }

  /** This node's HELLO payload. */
  hello(host: string): Buffer {
    return this.cluster.encode({ host, port: this.localPort() });
  }

  /** A peer opened its socket to us: remember it and where it came from; returns its nodeID. */
  onHello(data: Buffer, remoteAddress: string | undefined): string | null {
    const p = this.cluster.decode("hello", data);
    if (p === null) return null;
    const port = typeof p.port === "number" ? p.port : undefined;
    if (!this.book.knows(p.sender) || port !== undefined) {
      this.book.seen(p.sender, remoteAddress ?? (typeof p.host === "string" ? p.host : ""), port);
    }
    this.cluster.addOffline(p.sender);
    return p.sender;
  }

  onRequest(data: Buffer): void {
    const p = this.cluster.decode("req", data);
    if (p === null) return;
    const { online, offline } = tables(p);
    const res: { online: Record<string, ResponseRow>; offline: Record<string, number> } = { online: {}, offline: {} };
    for (const node of [...this.cluster.nodes()]) {
      const off = offline?.[node.id];
      const on = online?.[node.id];
      const row = Array.isArray(on) ? on : null;
      const seq = typeof off === "number" ? off : typeof row?.[0] === "number" ? row[0] : 0;
      if (!(seq > 0) || seq < node.seq) {
        // We know newer, or the requester does not know the node at all.
        if (node.available) res.online[node.id] = [this.infoOf(node), node.cpuSeq, node.cpu ?? 0];
        else res.offline[node.id] = node.seq;
        continue;
      }
      if (typeof off === "number") {
        if (node.local) {
          // The requester holds us offline: answer online, above its seq.
          this.cluster.raiseLocalSeq(off);
          const local = this.cluster.node(node.id) ?? node;
          res.online[node.id] = [this.infoOf(local), local.cpuSeq, local.cpu ?? 0];
        } else this.cluster.offline(node.id, off);
      } else if (row !== null && node.available) {
        const cpuSeq = typeof row[1] === "number" ? row[1] : 0;
        const cpu = typeof row[2] === "number" ? row[2] : 0;
        if (cpuSeq > node.cpuSeq) this.cluster.cpu(node.id, cpu, cpuSeq);
        else if (cpuSeq < node.cpuSeq) res.online[node.id] = [node.cpuSeq, node.cpu ?? 0];
      }
    }
    const reply: Record<string, unknown> = {};
    if (hasAny(res.online)) reply.online = res.online;
    if (hasAny(res.offline)) reply.offline = res.offline;
    if (reply.online !== undefined || reply.offline !== undefined) this.sendTo(p.sender, FrameType.GOSSIP_RES, this.cluster.encode(reply));
  }

  onResponse(data: Buffer, localID: string): void {
    const p = this.cluster.decode("res", data);
    if (p === null) return;
    const { online, offline } = tables(p);
    for (const [nodeID, row] of Object.entries(online ?? {})) {
      if (nodeID === localID || !Array.isArray(row)) continue;
      const [info, cpuSeq, cpu] = row.length === 2 ? [undefined, row[0], row[1]] : [row[0], row[1], row[2]];
      if (isObject(info) && typeof info.seq === "number") {
        const node = this.cluster.node(nodeID);
        if (node === undefined || node.seq < info.seq) {
          if (typeof info.port === "number") this.book.port(nodeID, info.port);
          this.cluster.info(nodeID, info);
        }
      }
      if (typeof cpuSeq === "number" && typeof cpu === "number") this.cluster.cpu(nodeID, cpu, cpuSeq);
    }
    for (const [nodeID, seq] of Object.entries(offline ?? {})) {
      if (nodeID === localID || typeof seq !== "number") continue;
      const node = this.cluster.node(nodeID);
      if (node !== undefined && node.seq < seq) this.cluster.offline(nodeID, seq);
    }
  }

  /** The INFO gossip carries: ours with our TCP port, a peer's as it sent it. */
  private infoOf(node: ClusterNode): Record<string, unknown> {
    if (node.local) return { ...this.cluster.localInfo(), port: this.localPort() };
    return node.rawInfo ?? { seq: node.seq };
  }

  /** Failures are not logged here: an unreachable peer is logged by the writer, once per ten attempts. */
  private sendTo(nodeID: string, type: FrameTypeId, data: Buffer): void {
    this.send(nodeID, type, data).catch(() => undefined);
  }
}

function tables(p: Record<string, unknown>): { online?: Record<string, unknown>; offline?: Record<string, unknown> } {
  const t: GossipTables = {};
  if (isObject(p.online)) t.online = p.online;
  if (isObject(p.offline)) t.offline = p.offline;
  return t;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function hasAny(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

function pick<T>(list: T[]): T {
  return list[Math.floor(Math.random() * list.length)];
}
