import { BrokerDisconnectedError, QueueIsFullError } from "../errors";
import { payloadToError } from "../errors/codec";
import type { ActionEndpoint } from "../registry/endpoint";
import type { Serializer } from "../serializers/serializer";
import type { PacketCommand, Transporter } from "../transporters/transporter";
import { RateLimitedLog } from "../utils/rate-limited-log";
import { generateUid } from "../utils/uid";
import { hasKeys } from "../utils/has-keys";
import { clusterPort } from "./cluster-port";
import { CpuUsage } from "./cpu-usage";
import { connectWithin } from "./connect-timeout";
import { Discovery } from "./discovery";
import { LivenessTimers } from "./liveness-timers";
import { type EmitLocal, localEmitter } from "./local-events";
import { buildInfo } from "./info-codec";
import type { ResolvedTransitOptions } from "./options";
import { NodeIdConflict } from "./node-id-conflict";
import { type OutgoingPackets, outgoingPackets } from "./outgoing-packets";
import { Outbox } from "./outbox";
import { PacketEncoder } from "./packet-encoder";
import { type IncomingPacket, PacketIntake } from "./packet-intake";
import type { DisconnectPacket, EventPacket, PongPacket, ResponsePacket } from "./packets";
import { eventContext } from "./packet-context";
import { answerRefused } from "./refused-packet";
import { Responder } from "./responder";
import { TransitStreams, peerWindow } from "./streams";
import { OWN_PACKETS_HANDLED, SUBSCRIPTIONS, subscribeBalanced } from "./subscriptions";
import { serveRequest } from "./serve-request";
import { probeNodesOnTimeout } from "./suspect-nodes";
import { BALANCED_NODE, PendingRequests } from "./pending-requests";
import { Pinger, PongResult } from "./pinger";
import type { ControlCommand, ReceiveFunction, TransitHooks } from "./transit-hooks";
import type { Context, TransitHost } from "./transit-host";

export type { PongResult };

/**
 * The Moleculer protocol (v4, or v5 with `protocolVersion: "5"`) over a transporter: discovery and heartbeats,
 * requests and responses, events, ping. Packets that fail their checks
 * (`PacketIntake`) are logged and dropped; the node keeps serving. No path
 * here leaves a promise rejection unhandled: one would end the process.
 * What it needs of the node it runs in comes through its `TransitHost`.
 */
export class Transit {
  readonly pending = new PendingRequests();
  readonly discovery: Discovery;
  connected = false;
  private ready = false;
  private readonly nodeID: string;
  private readonly cpu = new CpuUsage();
  private readonly timers = new LivenessTimers();
  private infoTimer: NodeJS.Timeout | null = null;
  private readonly pinger: Pinger;
  private readonly conflict: NodeIdConflict;
  /** When stopping, our services are announced as gone. */
  private leaving = false;
  /** Whether the transporter balances (`disableBalancer` on a transport that can). */
  readonly balanced: boolean;
  /** Malformed or hostile input: one log line per kind per 10 s. */
  private readonly log: RateLimitedLog;
  private readonly outbox: Outbox;
  private readonly intake: PacketIntake;
  private readonly responder: Responder;
  private orphans = 0;
  /** Request and response streams, both directions. */
  readonly streams: TransitStreams;
  /** The composed `transporterReceive` chain; null without one: bytes go straight to `onMessage`. */
  private receive: ReceiveFunction | null = null;
  /** Local `$`-events, their failures logged. */
  private readonly emitLocal: EmitLocal;
  /** REQ and EVENT builders of the configured protocol version. */
  private readonly packets: OutgoingPackets;

  constructor(
    private readonly host: TransitHost,
    readonly transporter: Transporter,
    readonly serializer: Serializer,
    private readonly opts: ResolvedTransitOptions,
    private readonly hooks: TransitHooks = {},
  ) {
    this.nodeID = host.nodeID;
    this.balanced = host.disableBalancer && transporter.hasBuiltInBalancer;
    if (host.disableBalancer && !transporter.hasBuiltInBalancer) {
      host.logger.warn("This transporter has no built-in balancer: disableBalancer is ignored.");
    }
    this.log = new RateLimitedLog(host.logger);
    this.emitLocal = localEmitter(host);
    const prefix = host.namespace ? `MOL-${host.namespace}` : "MOL";
    const encoder = new PacketEncoder(serializer, transporter);
    this.outbox = new Outbox(encoder, transporter, prefix);
    this.intake = new PacketIntake(serializer, opts, this.log, (cmd, payload, reason) => answerRefused(cmd, payload, reason, this.responder, this.pending));
    this.packets = outgoingPackets(opts.protocolVersion);
    this.responder = new Responder(this.nodeID, opts.protocolVersion, encoder, (target, data) => transporter.publish("RES", target, data), this.log, this.outbox);
    this.streams = new TransitStreams({
      ...{ nodeID: this.nodeID, ver: opts.protocolVersion, logger: host.logger, log: this.log, pending: this.pending, respond: this.responder },
      ...{ maxChunkSize: opts.maxChunkSize, window: opts.streamWindow },
      send: (packet) => this.outbox.stream(packet),
      flush: () => (transporter.flush ? transporter.flush() : new Promise((r) => setImmediate(r))),
      alive: (nodeID) => void this.discovery.processHeartbeat(nodeID, null),
      peerWindow: (nodeID) => peerWindow(host.nodes.get(nodeID)),
      serve: (p, stream, respond) => serveRequest(host, p, respond, stream),
    });
    this.responder.streams = this.streams;
    this.pinger = new Pinger((nodeID, payload) => this.publish("PING", nodeID, payload), generateUid);
    this.conflict = new NodeIdConflict(this.nodeID, host.instanceID, host.logger, () => void this.sendInfo(this.nodeID));
    this.discovery = new Discovery(host, this.emitLocal, (nodeID) => this.nodeGone(nodeID), opts);
    probeNodesOnTimeout(this.pending, this.discovery, host, opts.suspectPingTimeout, (nodeID, ms) =>
      nodeID !== BALANCED_NODE && this.connected ? this.pinger.ping(nodeID, ms) : Promise.resolve(undefined),
    );
    transporter.init({
      prefix,
      nodeID: this.nodeID,
      logger: host.logger.child({ mod: "transporter" }),
      handlers: {
        onMessage: (cmd, data) => (this.receive === null ? this.onMessage(cmd, data) : this.received(this.receive, cmd, data)),
        onConnect: (wasReconnect) => this.onConnect(wasReconnect),
        onDisconnect: () => this.onDisconnect(),
      },
      cluster: clusterPort({ host, discovery: this.discovery, serializer, opts, cpu: this.cpu, log: this.log, leaving: () => this.leaving }),
    });
  }

  /** Responses that matched no pending request (late after a timeout, or not ours): Moleculer's orphan-response metric. */
  get orphanResponses(): number {
    return this.orphans;
  }

  // ── lifecycle ─────────────────────────────────────────────────────────

  /** Connects (within `connectTimeout`), subscribes, discovers the cluster and waits briefly for INFO replies. */
  async connect(): Promise<void> {
    this.leaving = false;
    // Composed at start, when every middleware is in (use() is refused after it).
    this.outbox.compose(this.hooks);
    const inner: ReceiveFunction = (cmd, data) => this.onMessage(cmd, data);
    const receive = this.hooks.receive?.(inner);
    this.receive = receive === undefined || receive === inner ? null : receive;
    await connectWithin(this.transporter, this.opts.connectTimeout);
    await new Promise((r) => setTimeout(r, this.opts.discoverWait));
    // A running twin answered our DISCOVER: leave quietly (a DISCONNECT would read as the twin leaving).
    if (this.conflict.error !== null) {
      this.connected = false;
      await this.transporter.disconnect().finally(() => Promise.reject(this.conflict.error));
    }
  }

  /** Services are up: announce them and start the heartbeat. */
  async announceReady(): Promise<void> {
    this.ready = true;
    await this.sendInfo(null);
    const timeoutMs = this.opts.heartbeatTimeout * 1000;
    // A transporter that owns discovery (TCP gossip) tracks liveness itself.
    if (!this.transporter.ownsDiscovery) this.timers.start(
      this.opts.heartbeatInterval * 1000,
      timeoutMs,
      () => this.background(this.sendHeartbeat()),
      () => this.discovery.checkNodes(timeoutMs, this.opts.cleanOfflineNodesTimeout * 1000),
    );
  }

  /** Announces that our services are gone and lets peers stop routing to us. */
  async announceLeaving(): Promise<void> {
    this.leaving = true;
    if (!this.connected) return;
    // A new seq, or peers would ignore the shorter list.
    this.host.localNode.seq++;
    await this.sendInfo(null);
    await new Promise((r) => setTimeout(r, this.opts.stopDelay));
  }

  async disconnect(): Promise<void> {
    this.timers.stop();
    if (this.infoTimer) clearTimeout(this.infoTimer);
    // Our instanceID lets peers refuse a DISCONNECT forged or replayed for another instance of this node.
    if (this.connected) await this.publish("DISCONNECT", null, { instanceID: this.host.instanceID }).catch(() => undefined);
    this.connected = false;
    this.ready = false;
    this.pending.rejectAll(() => new BrokerDisconnectedError());
    this.streams.closeAll();
    await this.transporter.disconnect();
  }

  private async onConnect(wasReconnect: boolean): Promise<void> {
    for (const [cmd, targeted] of SUBSCRIPTIONS) await this.transporter.subscribe(cmd, targeted ? this.nodeID : undefined);
    this.connected = true;
    // instanceID (ignored by Moleculer) lets a running node with our nodeID tell us apart from our own echo.
    await this.publish("DISCOVER", null, { instanceID: this.host.instanceID });
    // Re-announce so the cluster heals after the outage.
    if (wasReconnect && this.ready) await this.sendInfo(null);
    this.emitLocal("$transporter.connected", { wasReconnect });
  }

  private onDisconnect(): void {
    this.connected = false;
    this.host.logger.warn("Transporter disconnected");
    this.emitLocal("$transporter.disconnected", { graceful: false });
  }

  /** A promise nobody awaits: its failure is logged, never left unhandled. */
  private background(p: Promise<unknown>): void {
    p.catch((err: unknown) => this.host.logger.warn({ err }, "Background task failed"));
  }

  // ── outgoing ──────────────────────────────────────────────────────────

  /** Rejects (never throws) when the packet cannot be encoded, is too large or the send fails. */
  private publish(cmd: ControlCommand, target: string | null, payload: Record<string, unknown>): Promise<void> {
    return this.outbox.control(cmd, target, Object.assign(payload, { ver: this.opts.protocolVersion, sender: this.nodeID }));
  }

  /** Sends a REQ for `ctx` to its endpoint's node (or to `REQB.<action>` when balanced); resolves with the RES. */
  request(ctx: Context): Promise<unknown> {
    const nodeID = (ctx.endpoint as ActionEndpoint).id;
    const balanced = nodeID === BALANCED_NODE;
    if (!this.connected) return Promise.reject(new BrokerDisconnectedError());
    if (this.pending.size >= this.opts.maxQueueSize) {
      return Promise.reject(new QueueIsFullError({ action: ctx.action?.name ?? "", nodeID, size: this.pending.size, limit: this.opts.maxQueueSize }));
    }
    const packet = this.packets.request(this.nodeID, ctx);
    if (ctx.stream !== null) return this.streams.request(ctx, ctx.stream, nodeID, balanced ? null : nodeID, packet);
    // Encoded before the request is registered: params that cannot be sent
    // (BigInt, circular, over the transport's size) leave no pending entry behind.
    const data = this.outbox.encodeRequest(packet);
    if (data instanceof Error) return Promise.reject(data);
    return new Promise((resolve, reject) => {
      this.pending.add(ctx, nodeID, resolve, reject);
      this.outbox.request(packet, balanced ? null : nodeID, data).catch((err: unknown) => {
        if (this.pending.take(ctx.id) !== undefined) reject(err);
      });
    });
  }

  /** One EVENT packet to a node (the event bus picked it). */
  sendEvent(nodeID: string, ctx: Context, groups: string[] | null, broadcast: boolean): Promise<void> {
    return this.outbox.event(nodeID, this.packets.event(this.nodeID, ctx, groups, broadcast));
  }

  /** One EVENT per group to `EVENTB.<group>.<event>`: the transport picks the handler. */
  sendBalancedEvent(ctx: Context, group: string): Promise<void> {
    return this.outbox.balancedEvent(group, this.packets.event(this.nodeID, ctx, [group], false));
  }

  /** INFO to one node, or a broadcast; while leaving, an empty service list. */
  async sendInfo(target: string | null): Promise<void> {
    if (!this.connected) return;
    // The REQB/EVENTB queues follow the services every INFO announces.
    if (target === null && this.balanced) {
      await subscribeBalanced(this.transporter, this.leaving ? [] : this.host.localServices()).catch((err: unknown) =>
        this.host.logger.warn({ err }, "Balanced subscriptions failed"),
      );
    }
    try {
      await this.publish("INFO", target, buildInfo(this.host, this.leaving, this.opts.streamWindow));
    } catch (err) {
      this.host.logger.warn({ err }, "Could not send INFO");
    }
  }

  /** Local services changed: bump `seq` and announce, debounced. */
  servicesChanged(): void {
    this.host.localNode.seq++;
    if (!this.ready || this.infoTimer) return;
    this.infoTimer = setTimeout(() => {
      this.infoTimer = null;
      this.background(this.sendInfo(null));
    }, 50);
  }

  private async sendHeartbeat(): Promise<void> {
    const cpu = this.cpu.measure();
    this.host.localNode.cpu = cpu;
    if (!this.connected) return;
    await this.publish("HEARTBEAT", null, { cpu }).catch((err: unknown) => this.host.logger.warn({ err }, "Heartbeat failed"));
  }

  /** Round trip to one node, `null` on timeout. */
  ping(nodeID: string, timeout: number): Promise<PongResult | null> {
    return this.pinger.ping(nodeID, timeout);
  }

  private nodeGone(nodeID: string): void {
    this.streams.nodeGone(nodeID);
    const rejected = this.pending.rejectNode(nodeID);
    if (rejected > 0) this.host.logger.warn({ nodeID, rejected }, "Rejected requests pending on a node that left");
  }

  // ── incoming ──────────────────────────────────────────────────────────

  /** Bytes through the `transporterReceive` chain: its failure (bytes that do not decrypt…) drops them, logged rate-limited. */
  private received(receive: ReceiveFunction, cmd: PacketCommand, data: Buffer): void {
    const failed = (err: unknown) => this.log.warn(`receive-${cmd}`, { cmd, err }, "Dropped bytes a transporterReceive middleware refused");
    try {
      receive(cmd, data, undefined)?.catch(failed);
    } catch (err) {
      failed(err);
    }
  }

  private onMessage(cmd: PacketCommand, data: Buffer): void {
    const packet = this.intake.read(cmd, data);
    if (packet === null) return;
    if (packet.payload.sender === this.nodeID) {
      if (packet.cmd === "INFO" || packet.cmd === "DISCOVER") this.conflict.check(packet.cmd, packet.payload.instanceID, this.ready);
      if (!OWN_PACKETS_HANDLED.has(cmd)) return;
    }
    try {
      this.dispatch(packet);
    } catch (err) {
      this.log.warn(`failed-${cmd}`, { cmd, err }, "Failed to handle a packet");
    }
  }

  private dispatch(packet: IncomingPacket): void {
    switch (packet.cmd) {
      case "REQ":
      case "REQB":
        if (this.streams.onRequest(packet.payload)) return;
        return serveRequest(this.host, packet.payload, this.responder);
      case "RES":
        return this.onResponse(packet.payload);
      case "EVENT":
      case "EVENTB":
        return this.background(this.onEvent(packet.payload));
      case "INFO":
        return this.discovery.processInfo(packet.payload);
      case "DISCOVER":
        return this.background(this.sendInfo(packet.payload.sender));
      case "HEARTBEAT": {
        const { sender, cpu } = packet.payload;
        if (!this.discovery.processHeartbeat(sender, cpu)) this.publish("DISCOVER", sender, {}).catch(() => undefined);
        return;
      }
      case "DISCONNECT":
        return this.onDisconnectPacket(packet.payload);
      case "PING": {
        const { sender, time, id } = packet.payload;
        this.publish("PONG", sender, { time, id, arrived: Date.now() }).catch(() => undefined);
        return;
      }
      case "PONG":
        return this.onPong(packet.payload);
    }
  }

  /**
   * A RES resolves its request only when it comes from the node the request
   * went to (any node for a balanced one): otherwise any peer could answer
   * for another. Without signed packets the `sender` field can be forged
   * too; this check stops a peer answering by accident or naively.
   */
  private onResponse(p: ResponsePacket): void {
    if (this.streams.onResponse(p)) return;
    const pending = this.pending.takeAnswer(p.id, p.sender);
    if (pending === undefined) {
      this.orphans++;
      this.host.logger.debug({ id: p.id, sender: p.sender }, "Orphan response dropped");
      return;
    }
    if (pending === null) {
      this.log.warn("forged-res", { id: p.id, sender: p.sender }, "Dropped a RES from a node the request did not go to");
      return;
    }
    if (p.meta && typeof p.meta === "object" && hasKeys(p.meta)) Object.assign(pending.ctx.meta, p.meta);
    if (p.headers) pending.ctx.responseHeaders = p.headers;
    if (p.success) pending.resolve(p.data);
    else pending.reject(payloadToError(p.error, p.sender));
  }

  /**
   * DISCONNECT is honoured only from the instance we know of that node: one
   * carrying another `instanceID` is stale (an earlier run of a restarted
   * node) or forged. A Moleculer node sends no instanceID and cannot be
   * checked; nor, without authentication, can a forger who read the node's
   * INFO (it is broadcast): this only raises the bar.
   */
  private onDisconnectPacket(p: DisconnectPacket): void {
    const known = this.host.nodes.get(p.sender)?.instanceID;
    if (typeof p.instanceID === "string" && typeof known === "string" && p.instanceID !== known) {
      this.log.warn("foreign-disconnect", { sender: p.sender }, "Dropped a DISCONNECT from another instance of the node");
      return;
    }
    this.discovery.disconnected(p.sender, false);
  }

  private onEvent(p: EventPacket): Promise<void> {
    const ctx = eventContext(this.host, p);
    return this.host.deliverEvent(ctx, ctx.eventGroups, p.broadcast === true);
  }

  private onPong(p: PongPacket): void {
    // A node taken offline answers again: ask for its INFO to bring it back.
    if (this.host.nodes.get(p.sender)?.available === false) this.background(this.publish("DISCOVER", p.sender, {}));
    this.emitLocal("$node.pong", this.pinger.pong(p));
  }
}

/** Node id of the stand-in endpoint used when the transporter balances. */
export { BALANCED_NODE };
