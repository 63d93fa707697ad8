import type { Context } from "../broker/context";
import type { ServiceBroker } from "../broker/service-broker";
import { BrokerDisconnectedError, InvalidPacketDataError, QueueIsFullError } from "../errors";
import { payloadToError } from "../errors/codec";
import type { ActionEndpoint } from "../registry/endpoint";
import type { Serializer } from "../serializers/serializer";
import type { PacketCommand, Transporter } from "../transporters/transporter";
import { CpuUsage } from "./cpu-usage";
import { connectWithin } from "./connect-timeout";
import { Discovery } from "./discovery";
import { buildInfo } from "./info-codec";
import type { ResolvedTransitOptions } from "./options";
import { invalidField } from "./packet-guards";
import type { EventPacket, HeartbeatPacket, InfoPacket, PingPacket, PongPacket, RequestPacket, ResponsePacket } from "./packets";
import { PROTOCOL_VERSION } from "./packets";
import { eventContext } from "./packet-context";
import { serveRequest } from "./serve-request";
import { PendingRequests } from "./pending-requests";
import { Pinger, PongResult } from "./pinger";

const SUBSCRIPTIONS: Array<[PacketCommand, boolean]> = [
  ["EVENT", true],
  ["REQ", true],
  ["RES", true],
  ["DISCOVER", false],
  ["DISCOVER", true],
  ["INFO", false],
  ["INFO", true],
  ["HEARTBEAT", false],
  ["DISCONNECT", false],
  ["PING", false],
  ["PING", true],
  ["PONG", true],
];

export type { PongResult };

/** Packets a node also handles when it sent them itself (its own calls through the transport). */
const OWN_PACKETS_HANDLED = new Set<PacketCommand>(["REQ", "RES", "EVENT"]);

/**
 * The Moleculer v4 protocol over a transporter: discovery and heartbeats,
 * requests and responses, events, ping. Packets that fail their shape check
 * are logged and dropped; the node keeps serving.
 */
export class Transit {
  readonly pending = new PendingRequests();
  readonly discovery: Discovery;
  connected = false;
  private ready = false;
  private readonly nodeID: string;
  private readonly cpu = new CpuUsage();
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private checkTimer: NodeJS.Timeout | null = null;
  private infoTimer: NodeJS.Timeout | null = null;
  private readonly pinger: Pinger;
  /** When stopping, our services are announced as gone. */
  private leaving = false;
  /** Whether the transporter balances (`disableBalancer` on a transport that can). */
  readonly balanced: boolean;

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
    this.pinger = new Pinger((nodeID, payload) => this.publish("PING", nodeID, payload), () => broker.generateUid());
    this.discovery = new Discovery(broker, (ctx) => this.request(ctx), (nodeID) => this.nodeGone(nodeID));
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
  }

  /** Services are up: announce them and start the heartbeat. */
  async announceReady(): Promise<void> {
    this.ready = true;
    await this.sendInfo(null);
    this.startTimers();
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
    this.stopTimers();
    if (this.infoTimer) clearTimeout(this.infoTimer);
    if (this.connected) await this.publish("DISCONNECT", null, {}).catch(() => undefined);
    this.connected = false;
    this.ready = false;
    this.pending.rejectAll(() => new BrokerDisconnectedError());
    await this.transporter.disconnect();
  }

  private async onConnect(wasReconnect: boolean): Promise<void> {
    for (const [cmd, targeted] of SUBSCRIPTIONS) await this.transporter.subscribe(cmd, targeted ? this.nodeID : undefined);
    this.connected = true;
    await this.publish("DISCOVER", null, {});
    if (wasReconnect) {
      // Re-announce so the cluster heals after the outage.
      if (this.ready) await this.sendInfo(null);
      void this.broker.broadcastLocal("$transporter.connected", { wasReconnect: true });
    } else void this.broker.broadcastLocal("$transporter.connected", { wasReconnect: false });
  }

  private onDisconnect(): void {
    this.connected = false;
    this.broker.logger.warn("Transporter disconnected");
    void this.broker.broadcastLocal("$transporter.disconnected", { graceful: false });
  }

  private startTimers(): void {
    const beat = this.opts.heartbeatInterval * 1000;
    this.heartbeatTimer = setInterval(() => void this.sendHeartbeat(), beat);
    this.heartbeatTimer.unref();
    this.checkTimer = setInterval(
      () => this.discovery.checkNodes(this.opts.heartbeatTimeout * 1000, this.opts.cleanOfflineNodesTimeout * 1000),
      Math.min(beat, this.opts.heartbeatTimeout * 1000),
    );
    this.checkTimer.unref();
  }

  private stopTimers(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.checkTimer) clearInterval(this.checkTimer);
    this.heartbeatTimer = this.checkTimer = null;
  }

  // ── outgoing ──────────────────────────────────────────────────────────

  private publish(cmd: PacketCommand, target: string | null, payload: Record<string, unknown>): Promise<void> {
    payload.ver = PROTOCOL_VERSION;
    payload.sender = this.nodeID;
    return this.transporter.publish(cmd, target, this.serializer.serialize(payload));
  }

  /** Sends a REQ for `ctx` to its endpoint's node (or to `REQB.<action>` when balanced); resolves with the RES. */
  request(ctx: Context): Promise<unknown> {
    const nodeID = (ctx.endpoint as ActionEndpoint).id;
    const balanced = nodeID === BALANCED_NODE;
    if (!this.connected) return Promise.reject(new BrokerDisconnectedError());
    if (this.pending.size >= this.opts.maxQueueSize) {
      return Promise.reject(new QueueIsFullError({ action: ctx.action?.name ?? "", nodeID, size: this.pending.size, limit: this.opts.maxQueueSize }));
    }
    return new Promise((resolve, reject) => {
      this.pending.add(ctx, nodeID, resolve, reject);
      // One literal with every field: spreading into a literal is slow on node 20.
      const packet: RequestPacket = {
        ver: PROTOCOL_VERSION,
        sender: this.nodeID,
        id: ctx.id,
        action: (ctx.action as { name: string }).name,
        params: ctx.params,
        meta: ctx.hasMeta ? ctx.meta : {},
        timeout: ctx.timeout > 0 ? ctx.timeout : null,
        level: ctx.level,
        tracing: ctx.tracing,
        parentID: ctx.parentID,
        requestID: ctx.requestID,
        caller: ctx.caller,
        stream: false,
      };
      const data = this.serializer.serialize(packet);
      const sent = balanced ? this.transporter.publishBalancedRequest(packet.action, data) : this.transporter.publish("REQ", nodeID, data);
      sent.catch((err: unknown) => {
        this.pending.take(ctx.id);
        reject(err);
      });
    });
  }

  /** One EVENT packet to a node (the event bus picked it). */
  sendEvent(nodeID: string, ctx: Context, groups: string[] | null, broadcast: boolean): Promise<void> {
    return this.transporter.publish("EVENT", nodeID, this.serializer.serialize(this.eventPacket(ctx, groups, broadcast)));
  }

  private eventPacket(ctx: Context, groups: string[] | null, broadcast: boolean): EventPacket {
    const packet: EventPacket = {
      ver: PROTOCOL_VERSION,
      sender: this.nodeID,
      id: ctx.id,
      event: ctx.eventName as string,
      data: ctx.params,
      broadcast,
      meta: ctx.hasMeta ? ctx.meta : {},
      level: ctx.level,
      tracing: ctx.tracing,
      parentID: ctx.parentID,
      requestID: ctx.requestID,
      caller: ctx.caller,
      needAck: null,
    };
    if (groups) packet.groups = groups;
    return packet;
  }

  /** One EVENT per group to `EVENTB.<group>.<event>`: the transport picks the handler. */
  sendBalancedEvent(ctx: Context, group: string): Promise<void> {
    const data = this.serializer.serialize(this.eventPacket(ctx, [group], false));
    return this.transporter.publishBalancedEvent(ctx.eventName as string, group, data);
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
    const packet = buildInfo(this.broker, this.leaving);
    return this.publish("INFO", target, packet as unknown as Record<string, unknown>).catch((err: unknown) => {
      this.broker.logger.warn({ err }, "Could not send INFO");
    });
  }

  /** Local services changed: bump `seq` and announce, debounced. */
  servicesChanged(): void {
    this.broker.registry.localNode.seq++;
    if (!this.ready || this.infoTimer) return;
    this.infoTimer = setTimeout(() => {
      this.infoTimer = null;
      void this.sendInfo(null);
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
    if (this.opts.maxPacketSize > 0 && data.length > this.opts.maxPacketSize) {
      this.broker.logger.warn({ cmd, size: data.length }, "Dropped an oversized packet");
      return;
    }
    let payload: unknown;
    try {
      payload = this.serializer.deserialize(data);
    } catch (err) {
      this.broker.logger.warn({ cmd, err: (err as Error).message }, "Dropped a packet that does not deserialize");
      return;
    }
    const bad = invalidField(cmd, payload);
    if (bad !== null) {
      this.malformed(cmd, payload, bad);
      return;
    }
    const p = payload as Record<string, unknown> & { ver: string; sender: string };
    if (p.ver !== PROTOCOL_VERSION && !this.opts.disableVersionCheck) {
      this.broker.logger.warn({ cmd, sender: p.sender, ver: p.ver }, "Dropped a packet of another protocol version");
      return;
    }
    if (p.sender === this.nodeID) {
      if (cmd === "INFO" && p.instanceID !== this.broker.instanceID) {
        this.broker.logger.fatal({ nodeID: this.nodeID }, "Another node runs with this nodeID");
        return;
      }
      if (!OWN_PACKETS_HANDLED.has(cmd)) return;
    }
    try {
      this.dispatch(cmd, p);
    } catch (err) {
      this.broker.logger.warn({ cmd, err }, "Failed to handle a packet");
    }
  }

  /** A malformed RES for a pending request rejects it at once (its caller must not hang). */
  private malformed(cmd: PacketCommand, payload: unknown, field: string): void {
    this.broker.logger.warn({ cmd, field }, "Dropped a malformed packet");
    if (cmd !== "RES" || typeof payload !== "object" || payload === null) return;
    const id = (payload as { id?: unknown }).id;
    if (typeof id !== "string") return;
    const pending = this.pending.take(id);
    pending?.reject(new InvalidPacketDataError({ type: cmd, reason: `bad '${field}'` }));
  }

  private dispatch(cmd: PacketCommand, p: Record<string, unknown> & { sender: string }): void {
    switch (cmd) {
      case "REQ":
      case "REQB":
        return serveRequest(this.broker, p as unknown as RequestPacket, (target, packet) =>
          this.transporter.publish("RES", target, this.serializer.serialize(packet)),
        );
      case "RES":
        return this.onResponse(p as unknown as ResponsePacket);
      case "EVENT":
      case "EVENTB":
        return void this.onEvent(p as unknown as EventPacket);
      case "INFO":
        return this.discovery.processInfo(p as unknown as InfoPacket);
      case "DISCOVER":
        return void this.sendInfo(p.sender);
      case "HEARTBEAT":
        if (!this.discovery.processHeartbeat(p.sender, (p as unknown as HeartbeatPacket).cpu)) {
          void this.publish("DISCOVER", p.sender, {}).catch(() => undefined);
        }
        return;
      case "DISCONNECT":
        return this.discovery.disconnected(p.sender, false);
      case "PING": {
        const ping = p as unknown as PingPacket;
        void this.publish("PONG", p.sender, { time: ping.time, id: ping.id, arrived: Date.now() }).catch(() => undefined);
        return;
      }
      case "PONG":
        return this.onPong(p as unknown as PongPacket);
    }
  }

  private onResponse(p: ResponsePacket): void {
    const pending = this.pending.take(p.id);
    if (pending === undefined) {
      this.broker.logger.debug({ id: p.id, sender: p.sender }, "Orphan response dropped");
      return;
    }
    if (p.meta && typeof p.meta === "object" && hasKeys(p.meta)) Object.assign(pending.ctx.meta, p.meta);
    if (p.success) pending.resolve(p.data);
    else pending.reject(payloadToError(p.error, p.sender));
  }

  private onEvent(p: EventPacket): Promise<void> {
    const ctx = eventContext(this.broker, p);
    return this.broker.events.deliverIncoming(ctx, ctx.eventGroups, p.broadcast === true);
  }

  private onPong(p: PongPacket): void {
    void this.broker.broadcastLocal("$node.pong", this.pinger.pong(p));
  }
}

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

/** Node id of the stand-in endpoint used when the transporter balances. */
export const BALANCED_NODE = "";
