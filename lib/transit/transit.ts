import type { Context } from "../context/context";
import type { ServiceBroker } from "../broker/service-broker";
import { BrokerDisconnectedError, InvalidPacketDataError, QueueIsFullError } from "../errors";
import { payloadToError } from "../errors/codec";
import type { ActionEndpoint } from "../registry/endpoint";
import type { Serializer } from "../serializers/serializer";
import type { PacketCommand, Transporter } from "../transporters/transporter";
import { RateLimitedLog } from "../utils/rate-limited-log";
import { CpuUsage } from "./cpu-usage";
import { connectWithin } from "./connect-timeout";
import { Discovery } from "./discovery";
import { LivenessTimers } from "./liveness-timers";
import { buildInfo } from "./info-codec";
import type { ResolvedTransitOptions } from "./options";
import { NodeIdConflict } from "./node-id-conflict";
import { eventPacket, requestPacket } from "./outgoing-packets";
import { PacketEncoder } from "./packet-encoder";
import { type IncomingPacket, PacketIntake } from "./packet-intake";
import type { DisconnectPacket, EventPacket, HeartbeatPacket, InfoPacket, PingPacket, PongPacket, RequestPacket, ResponsePacket } from "./packets";
import { PROTOCOL_VERSION } from "./packets";
import { eventContext } from "./packet-context";
import { Responder } from "./responder";
import { OWN_PACKETS_HANDLED, SUBSCRIPTIONS } from "./subscriptions";
import { serveRequest } from "./serve-request";
import { probeNodesOnTimeout } from "./suspect-nodes";
import { BALANCED_NODE, PendingRequests } from "./pending-requests";
import { Pinger, PongResult } from "./pinger";

export type { PongResult };

/**
 * The Moleculer v4 protocol over a transporter: discovery and heartbeats,
 * requests and responses, events, ping. Packets that fail their checks
 * (`PacketIntake`) are logged and dropped; the node keeps serving. No path
 * here leaves a promise rejection unhandled: one would end the process.
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
  private readonly encoder: PacketEncoder;
  private readonly intake: PacketIntake;
  private readonly responder: Responder;

  constructor(
    private readonly broker: ServiceBroker,
    readonly transporter: Transporter,
    readonly serializer: Serializer,
    private readonly opts: ResolvedTransitOptions,
  ) {
    this.nodeID = broker.nodeID;
    this.balanced = broker.options.disableBalancer === true && transporter.hasBuiltInBalancer;
    if (broker.options.disableBalancer === true && !transporter.hasBuiltInBalancer) {
      broker.logger.warn("This transporter has no built-in balancer: disableBalancer is ignored.");
    }
    this.log = new RateLimitedLog(broker.logger);
    this.encoder = new PacketEncoder(serializer, transporter);
    this.intake = new PacketIntake(serializer, opts, this.log, (cmd, payload, reason) => this.refused(cmd, payload, reason));
    this.responder = new Responder(this.nodeID, this.encoder, (target, data) => transporter.publish("RES", target, data), this.log);
    this.pinger = new Pinger((nodeID, payload) => this.publish("PING", nodeID, payload), () => broker.generateUid());
    this.conflict = new NodeIdConflict(this.nodeID, broker.instanceID, broker.logger, () => void this.sendInfo(this.nodeID));
    this.discovery = new Discovery(broker, (ctx) => this.request(ctx), (nodeID) => this.nodeGone(nodeID), opts);
    probeNodesOnTimeout(this.pending, this.discovery, broker, opts.suspectPingTimeout, (nodeID, ms) =>
      nodeID !== BALANCED_NODE && this.connected ? this.pinger.ping(nodeID, ms) : Promise.resolve(undefined),
    );
    const prefix = broker.namespace ? `MOL-${broker.namespace}` : "MOL";
    transporter.init({
      prefix,
      nodeID: this.nodeID,
      logger: broker.logger.child({ mod: "transporter" }),
      handlers: {
        onMessage: (cmd, data) => this.onMessage(cmd, data),
        onConnect: (wasReconnect) => this.onConnect(wasReconnect),
        onDisconnect: () => this.onDisconnect(),
      },
    });
  }

  // ── lifecycle ─────────────────────────────────────────────────────────

  /** Connects (within `connectTimeout`), subscribes, discovers the cluster and waits briefly for INFO replies. */
  async connect(): Promise<void> {
    this.leaving = false;
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
    this.timers.start(
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
    this.broker.registry.localNode.seq++;
    await this.sendInfo(null);
    await new Promise((r) => setTimeout(r, this.opts.stopDelay));
  }

  async disconnect(): Promise<void> {
    this.timers.stop();
    if (this.infoTimer) clearTimeout(this.infoTimer);
    // Our instanceID lets peers refuse a DISCONNECT forged or replayed for another instance of this node.
    if (this.connected) await this.publish("DISCONNECT", null, { instanceID: this.broker.instanceID }).catch(() => undefined);
    this.connected = false;
    this.ready = false;
    this.pending.rejectAll(() => new BrokerDisconnectedError());
    await this.transporter.disconnect();
  }

  private async onConnect(wasReconnect: boolean): Promise<void> {
    for (const [cmd, targeted] of SUBSCRIPTIONS) await this.transporter.subscribe(cmd, targeted ? this.nodeID : undefined);
    this.connected = true;
    // instanceID (ignored by Moleculer) lets a running node with our nodeID tell us apart from our own echo.
    await this.publish("DISCOVER", null, { instanceID: this.broker.instanceID });
    // Re-announce so the cluster heals after the outage.
    if (wasReconnect && this.ready) await this.sendInfo(null);
    this.background(this.broker.broadcastLocal("$transporter.connected", { wasReconnect }));
  }

  private onDisconnect(): void {
    this.connected = false;
    this.broker.logger.warn("Transporter disconnected");
    this.background(this.broker.broadcastLocal("$transporter.disconnected", { graceful: false }));
  }

  /** A promise nobody awaits: its failure is logged, never left unhandled. */
  private background(p: Promise<unknown>): void {
    p.catch((err: unknown) => this.broker.logger.warn({ err }, "Background task failed"));
  }

  // ── outgoing ──────────────────────────────────────────────────────────

  /** Rejects (never throws) when the packet cannot be encoded, is too large or the send fails. */
  private publish(cmd: PacketCommand, target: string | null, payload: Record<string, unknown>): Promise<void> {
    payload.ver = PROTOCOL_VERSION;
    payload.sender = this.nodeID;
    const data = this.encoder.encode(payload, "packet");
    if (data instanceof Error) return Promise.reject(data);
    return this.send(cmd, target, data);
  }

  // The sends below turn a transporter's synchronous throw into a rejection
  // with an inline try (a closure per packet would cost on the hot path).

  private send(cmd: PacketCommand, target: string | null, data: Buffer): Promise<void> {
    try {
      return this.transporter.publish(cmd, target, data);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Sends a REQ for `ctx` to its endpoint's node (or to `REQB.<action>` when balanced); resolves with the RES. */
  request(ctx: Context): Promise<unknown> {
    const nodeID = (ctx.endpoint as ActionEndpoint).id;
    const balanced = nodeID === BALANCED_NODE;
    if (!this.connected) return Promise.reject(new BrokerDisconnectedError());
    if (this.pending.size >= this.opts.maxQueueSize) {
      return Promise.reject(new QueueIsFullError({ action: ctx.action?.name ?? "", nodeID, size: this.pending.size, limit: this.opts.maxQueueSize }));
    }
    const packet = requestPacket(this.nodeID, ctx);
    // Encoded before the request is registered: params that cannot be sent
    // (BigInt, circular, over the transport's size) leave no pending entry behind.
    const data = this.encoder.encode(packet, "request", packet.action);
    if (data instanceof Error) return Promise.reject(data);
    return new Promise((resolve, reject) => {
      this.pending.add(ctx, nodeID, resolve, reject);
      let sent: Promise<void>;
      try {
        sent = balanced ? this.transporter.publishBalancedRequest(packet.action, data) : this.transporter.publish("REQ", nodeID, data);
      } catch (err) {
        sent = Promise.reject(err);
      }
      sent.catch((err: unknown) => {
        if (this.pending.take(ctx.id) !== undefined) reject(err);
      });
    });
  }

  /** One EVENT packet to a node (the event bus picked it). */
  sendEvent(nodeID: string, ctx: Context, groups: string[] | null, broadcast: boolean): Promise<void> {
    const data = this.encoder.encode(eventPacket(this.nodeID, ctx, groups, broadcast), "event", ctx.eventName ?? undefined);
    if (data instanceof Error) return Promise.reject(data);
    return this.send("EVENT", nodeID, data);
  }

  /** One EVENT per group to `EVENTB.<group>.<event>`: the transport picks the handler. */
  sendBalancedEvent(ctx: Context, group: string): Promise<void> {
    const data = this.encoder.encode(eventPacket(this.nodeID, ctx, [group], false), "event", ctx.eventName ?? undefined);
    if (data instanceof Error) return Promise.reject(data);
    try {
      return this.transporter.publishBalancedEvent(ctx.eventName as string, group, data);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Re-makes the REQB/EVENTB queue subscriptions for the local services (before every INFO). */
  private async balancedSubscriptions(): Promise<void> {
    if (!this.balanced) return;
    const t = this.transporter;
    await t.unsubscribeFromBalancedCommands();
    if (this.leaving) return;
    for (const s of this.broker.registry.getServices({ onlyLocal: true })) {
      for (const a of s.descriptor.actions) if (a.visibility !== "private" && a.visibility !== "protected") await t.subscribeBalancedRequest(a.name);
      for (const e of s.descriptor.events) await t.subscribeBalancedEvent(e.name, e.group);
    }
  }

  /** INFO to one node, or a broadcast; while leaving, an empty service list. */
  async sendInfo(target: string | null): Promise<void> {
    if (!this.connected) return;
    if (target === null) await this.balancedSubscriptions().catch((err: unknown) => this.broker.logger.warn({ err }, "Balanced subscriptions failed"));
    try {
      await this.publish("INFO", target, buildInfo(this.broker, this.leaving) as unknown as Record<string, unknown>);
    } catch (err) {
      this.broker.logger.warn({ err }, "Could not send INFO");
    }
  }

  /** Local services changed: bump `seq` and announce, debounced. */
  servicesChanged(): void {
    this.broker.registry.localNode.seq++;
    if (!this.ready || this.infoTimer) return;
    this.infoTimer = setTimeout(() => {
      this.infoTimer = null;
      this.background(this.sendInfo(null));
    }, 50);
  }

  private async sendHeartbeat(): Promise<void> {
    const cpu = this.cpu.measure();
    this.broker.registry.localNode.cpu = cpu;
    if (!this.connected) return;
    await this.publish("HEARTBEAT", null, { cpu }).catch((err: unknown) => this.broker.logger.warn({ err }, "Heartbeat failed"));
  }

  /** Round trip to one node, `null` on timeout. */
  ping(nodeID: string, timeout: number): Promise<PongResult | null> {
    return this.pinger.ping(nodeID, timeout);
  }

  private nodeGone(nodeID: string): void {
    const rejected = this.pending.rejectNode(nodeID);
    if (rejected > 0) this.broker.logger.warn({ nodeID, rejected }, "Rejected requests pending on a node that left");
  }

  // ── incoming ──────────────────────────────────────────────────────────

  private onMessage(cmd: PacketCommand, data: Buffer): void {
    const p = this.intake.read(cmd, data);
    if (p === null) return;
    if (p.sender === this.nodeID) {
      if (cmd === "INFO" || cmd === "DISCOVER") this.conflict.check(cmd, p.instanceID, this.ready);
      if (!OWN_PACKETS_HANDLED.has(cmd)) return;
    }
    try {
      this.dispatch(cmd, p);
    } catch (err) {
      this.log.warn(`failed-${cmd}`, { cmd, err }, "Failed to handle a packet");
    }
  }

  /**
   * A packet the intake refused still gets what its sender needs so no call
   * hangs: a REQ an error RES, a RES from the node it was for the rejection
   * of its pending request.
   */
  private refused(cmd: PacketCommand, payload: unknown, reason: string): void {
    if (typeof payload !== "object" || payload === null) return;
    const { id, sender, action } = payload as { id?: unknown; sender?: unknown; action?: unknown };
    if (typeof id !== "string" || typeof sender !== "string" || sender === "") return;
    const error = new InvalidPacketDataError({ type: cmd, reason });
    if (cmd === "REQ" || cmd === "REQB") {
      this.responder.fail({ id, sender, action: typeof action === "string" ? action : "" }, {}, error);
    } else if (cmd === "RES") {
      const pending = this.pending.takeAnswer(id, sender);
      pending?.reject(error);
    }
  }

  private dispatch(cmd: PacketCommand, p: IncomingPacket): void {
    switch (cmd) {
      case "REQ":
      case "REQB":
        return serveRequest(this.broker, p as unknown as RequestPacket, this.responder);
      case "RES":
        return this.onResponse(p as unknown as ResponsePacket);
      case "EVENT":
      case "EVENTB":
        return this.background(this.onEvent(p as unknown as EventPacket));
      case "INFO":
        return this.discovery.processInfo(p as unknown as InfoPacket);
      case "DISCOVER":
        return this.background(this.sendInfo(p.sender));
      case "HEARTBEAT":
        if (!this.discovery.processHeartbeat(p.sender, (p as unknown as HeartbeatPacket).cpu)) {
          this.publish("DISCOVER", p.sender, {}).catch(() => undefined);
        }
        return;
      case "DISCONNECT":
        return this.onDisconnectPacket(p as unknown as DisconnectPacket);
      case "PING": {
        const ping = p as unknown as PingPacket;
        this.publish("PONG", p.sender, { time: ping.time, id: ping.id, arrived: Date.now() }).catch(() => undefined);
        return;
      }
      case "PONG":
        return this.onPong(p as unknown as PongPacket);
    }
  }

  /**
   * A RES resolves its request only when it comes from the node the request
   * went to (any node for a balanced one): otherwise any peer could answer
   * for another. Without signed packets the `sender` field can be forged
   * too; this check stops a peer answering by accident or naively.
   */
  private onResponse(p: ResponsePacket): void {
    const pending = this.pending.takeAnswer(p.id, p.sender);
    if (pending === undefined) {
      this.broker.logger.debug({ id: p.id, sender: p.sender }, "Orphan response dropped");
      return;
    }
    if (pending === null) {
      this.log.warn("forged-res", { id: p.id, sender: p.sender }, "Dropped a RES from a node the request did not go to");
      return;
    }
    if (p.meta && typeof p.meta === "object" && hasKeys(p.meta)) Object.assign(pending.ctx.meta, p.meta);
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
    const known = this.broker.registry.nodes.get(p.sender)?.instanceID;
    if (typeof p.instanceID === "string" && typeof known === "string" && p.instanceID !== known) {
      this.log.warn("foreign-disconnect", { sender: p.sender }, "Dropped a DISCONNECT from another instance of the node");
      return;
    }
    this.discovery.disconnected(p.sender, false);
  }

  private onEvent(p: EventPacket): Promise<void> {
    const ctx = eventContext(this.broker, p);
    return this.broker.events.deliverIncoming(ctx, ctx.eventGroups, p.broadcast === true);
  }

  private onPong(p: PongPacket): void {
    // A node taken offline answers again: ask for its INFO to bring it back.
    if (this.broker.registry.nodes.get(p.sender)?.available === false) this.background(this.publish("DISCOVER", p.sender, {}));
    this.background(this.broker.broadcastLocal("$node.pong", this.pinger.pong(p)));
  }
}

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

/** Node id of the stand-in endpoint used when the transporter balances. */
export { BALANCED_NODE };
