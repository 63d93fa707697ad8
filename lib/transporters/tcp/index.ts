import type { Socket } from "node:net";
import { hostname } from "node:os";
import { BrokerOptionsError, PayloadTooLargeError } from "../../errors";
import { RateLimitedLog } from "../../utils/rate-limited-log";
import { BaseTransporter } from "../base";
import type { ClusterPort } from "../cluster-port";
import type { PacketCommand } from "../transporter";
import { AddressBook } from "./address-book";
import { commandOfFrame, FrameType, type FrameTypeId, frameTypeOf } from "./frame";
import { Gossip } from "./gossip";
import { resolveTcpOptions, type ResolvedTcpOptions, type TcpTransporterOptions } from "./options";
import { TcpServer } from "./server";
import { UdpDiscovery } from "./udp-discovery";
import { parseUrls } from "./urls";
import { QUEUED, TcpWriter } from "./writer";

export type { TcpTransporterOptions };
export { PeerUnreachableError } from "./writer";

const DONE = Promise.resolve();

/**
 * Brokerless transport, wire-compatible with Moleculer's TCP transporter:
 * every node listens on a TCP port and writes to each peer on its own
 * outgoing socket (6-byte framed packets). Nodes are found through UDP
 * datagrams and/or static `urls`, and their services and liveness travel in
 * gossip, not in INFO/HEARTBEAT packets: it `ownsDiscovery`. Only targeted
 * EVENT, REQ, RES, PING and PONG cross the wire; other packets are dropped,
 * as Moleculer does.
 */
export class TcpTransporter extends BaseTransporter {
  readonly hasBuiltInBalancer = false;
  readonly ownsDiscovery = true;
  private readonly opts: ResolvedTcpOptions;
  private server: TcpServer | null = null;
  private writer: TcpWriter | null = null;
  private udp: UdpDiscovery | null = null;
  private gossip: Gossip | null = null;
  private gossipTimer: NodeJS.Timeout | null = null;
  private book: AddressBook;
  private log: RateLimitedLog | null = null;
  private cluster: ClusterPort | undefined;
  /** The port listened on, once connected. */
  port = 0;

  constructor(options: TcpTransporterOptions | string = {}) {
    super();
    this.opts = resolveTcpOptions(options);
    this.book = new AddressBook(this.opts.useHostname);
    // Checked now, so a bad `urls` fails at broker creation.
    parseUrls(this.opts.urls);
  }

  get address(): string {
    return `tcp://${this.opts.host ?? "0.0.0.0"}:${this.port || this.opts.port}`;
  }

  override get maxPayload(): number {
    return this.opts.maxPacketSize - 6;
  }

  /** Open outgoing and incoming sockets (for the fault specs and diagnostics). */
  get sockets(): { outgoing: number; incoming: number } {
    return { outgoing: this.writer?.size ?? 0, incoming: this.server?.connections ?? 0 };
  }

  override init(init: Parameters<BaseTransporter["init"]>[0]): void {
    super.init(init);
    this.cluster = init.cluster;
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    const log = new RateLimitedLog(this.logger);
    this.log = log;
    this.book = new AddressBook(this.opts.useHostname);
    let port = this.opts.port;
    for (const peer of parseUrls(this.opts.urls)) {
      if (peer.nodeID === this.nodeID) {
        if (port === 0) port = peer.port;
        continue;
      }
      this.book.configured(peer.nodeID, peer.host, peer.port);
      this.cluster?.addOffline(peer.nodeID);
    }
    const server = new TcpServer({ ...this.opts, port }, log, (type, payload, socket) => this.onFrame(type, payload, socket));
    try {
      this.port = await server.listen();
    } catch (err) {
      throw new BrokerOptionsError(`TCP transporter cannot listen on ${this.opts.host ?? "*"}:${port}: ${(err as Error).message}`, { port });
    }
    this.server = server;
    const cluster = this.cluster;
    const gossip = cluster ? new Gossip(cluster, this.book, (id, type, data) => this.writer?.send(id, type, data) ?? DONE, () => this.port) : null;
    this.gossip = gossip;
    this.writer = new TcpWriter(
      { maxConnections: this.opts.maxConnections },
      {
        locate: (nodeID) => this.book.locate(nodeID, cluster?.node(nodeID)),
        hello: () => gossip?.hello(this.opts.host ?? hostname()) ?? Buffer.from(JSON.stringify({ sender: this.nodeID, port: this.port })),
        lost: (nodeID) => cluster?.offline(nodeID),
        // Info, not warn: a peer from urls that is not up yet, or has left, is routine here.
        log: (line) => this.logger.info(line),
      },
    );
    if (this.opts.udpDiscovery) {
      const namespace = this.prefix === "MOL" ? "" : this.prefix.replace(/^MOL-/, "");
      this.udp = new UdpDiscovery(this.opts, namespace, this.nodeID, log, (nodeID, address, tcpPort) => this.discovered(nodeID, address, tcpPort));
      await this.udp.start(this.port);
    }
    if (gossip) {
      this.gossipTimer = setInterval(() => gossip.round(), Math.max(this.opts.gossipPeriod, 0.1) * 1000);
      this.gossipTimer.unref();
    }
    this.logger.info(`TCP transporter listening on ${this.address}`);
    await this.linkUp();
  }

  async disconnect(): Promise<void> {
    if (this.gossipTimer) clearInterval(this.gossipTimer);
    this.gossipTimer = null;
    this.udp?.close();
    this.udp = null;
    this.writer?.close();
    this.writer = null;
    const server = this.server;
    this.server = null;
    this.gossip = null;
    this.linkClosed();
    await server?.close();
  }

  /** Nothing to subscribe: every frame reaching our port is for us. */
  subscribe(): Promise<void> {
    return DONE;
  }

  subscribeBalancedRequest(): Promise<void> {
    return DONE;
  }

  subscribeBalancedEvent(): Promise<void> {
    return DONE;
  }

  unsubscribeFromBalancedCommands(): Promise<void> {
    return DONE;
  }

  publish(cmd: PacketCommand, nodeID: string | null, data: Buffer): Promise<void> {
    const writer = this.writer;
    if (writer === null) return Promise.reject(this.disconnectedError());
    const type = frameTypeOf(cmd);
    // Broadcasts, and the discovery packets gossip replaces, never cross TCP.
    if (type === undefined || nodeID === null) return DONE;
    // A frame over the peer's limit would only get our socket closed.
    if (data.length > this.maxPayload) {
      return Promise.reject(new PayloadTooLargeError({ what: "packet", size: data.length, limit: this.maxPayload }));
    }
    if (nodeID === this.nodeID) {
      process.nextTick(() => this.deliver(cmd, data));
      return DONE;
    }
    const sent = writer.send(nodeID, type, data);
    // Queued on an open socket (the usual case): no `.catch` promise and microtask per packet.
    if (sent === QUEUED) return QUEUED;
    return sent.catch((err: unknown) => {
      this.cluster?.offline(nodeID);
      throw err;
    });
  }

  /** What was published has left our sockets (stream senders pace by it towards Moleculer peers). */
  flush(): Promise<void> {
    const writer = this.writer;
    if (writer === null) return Promise.reject(this.disconnectedError());
    return writer.drained();
  }

  publishBalancedRequest(): Promise<void> {
    return Promise.reject(new Error("The TCP transporter has no built-in balancer: balanced requests cannot be published."));
  }

  publishBalancedEvent(): Promise<void> {
    return Promise.reject(new Error("The TCP transporter has no built-in balancer: balanced events cannot be published."));
  }

  private onFrame(type: FrameTypeId, payload: Buffer, socket: Socket): void {
    const cmd = commandOfFrame(type);
    if (cmd !== undefined) return this.deliver(cmd, payload);
    const gossip = this.gossip;
    if (gossip === null) return;
    try {
      if (type === FrameType.GOSSIP_HELLO) {
        const sender = gossip.onHello(payload, socket.remoteAddress);
        if (sender !== null) this.writer?.retryNow(sender);
      }
      else if (type === FrameType.GOSSIP_REQ) gossip.onRequest(payload);
      else gossip.onResponse(payload, this.nodeID);
    } catch (err) {
      this.log?.warn("gossip", { err }, "Failed to handle a gossip packet");
    }
  }

  /** A UDP datagram of our namespace: an unknown node is recorded, offline, until gossip brings its INFO. */
  private discovered(nodeID: string, address: string, port: number): void {
    const node = this.cluster?.node(nodeID);
    if (node?.available === true && this.book.knows(nodeID)) return;
    this.book.seen(nodeID, address, port);
    this.cluster?.addOffline(nodeID);
    this.writer?.retryNow(nodeID);
  }
}
