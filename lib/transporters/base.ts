import { setTimeout as delay } from "node:timers/promises";
import type { Logger } from "pino";
import { BrokerDisconnectedError } from "../errors";
import { isPacketCommand } from "./packet-command";
import type { PacketCommand, Transporter, TransporterHandlers, TransporterInit } from "./transporter";

/** `<prefix>.<CMD>` or `<prefix>.<CMD>.<nodeID>`. */
export function topicName(prefix: string, cmd: PacketCommand, nodeID?: string | null): string {
  return nodeID ? `${prefix}.${cmd}.${nodeID}` : `${prefix}.${cmd}`;
}

/** `<prefix>.REQB.<action>`. */
export function balancedRequestTopic(prefix: string, action: string): string {
  return `${prefix}.REQB.${action}`;
}

/** `<prefix>.EVENTB.<group>.<event>` as published (the event name verbatim). */
export function balancedEventTopic(prefix: string, group: string, event: string): string {
  return `${prefix}.EVENTB.${group}.${event}`;
}

/**
 * The subscription subject for balanced events on NATS-like transports: everything
 * from the first `**` on becomes `>` (`a.**.b` → `a.>`), as Moleculer does.
 */
export function balancedEventSubject(prefix: string, group: string, event: string): string {
  return balancedEventTopic(prefix, group, event).replace(/\*\*.*$/, ">");
}

/**
 * The command of a topic: its first dot-segment after `<prefix>.`. For transports
 * whose messages only carry the channel name (Redis). Undefined if not ours.
 */
export function commandFromTopic(prefix: string, topic: string): PacketCommand | undefined {
  const start = prefix.length + 1;
  if (topic.length <= start || topic.charCodeAt(prefix.length) !== 46 /* . */ || !topic.startsWith(prefix)) {
    return undefined;
  }
  const end = topic.indexOf(".", start);
  const cmd = end < 0 ? topic.slice(start) : topic.slice(start, end);
  return isPacketCommand(cmd) ? cmd : undefined;
}

/** Waits `ms`; resolves false instead when `signal` aborts first. */
export async function waitUnlessAborted(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await delay(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/**
 * Logs a connection that keeps failing without flooding the log: the first
 * failure (and any new error message) as one readable line, then one summary
 * line every `every` further attempts. `reset()` once connected.
 */
export class FailureLog {
  private attempts = 0;
  private lastMessage = "";

  constructor(
    private readonly write: (line: string) => void,
    private readonly every = 10,
  ) {}

  failed(what: string, err: unknown): void {
    this.attempts++;
    const message = errorMessage(err);
    if (this.attempts === 1 || message !== this.lastMessage) this.write(`${what}: ${message}`);
    else if (this.attempts % this.every === 0) this.write(`${what}: ${message} (${this.attempts} attempts so far)`);
    this.lastMessage = message;
  }

  reset(): void {
    this.attempts = 0;
    this.lastMessage = "";
  }
}

/** One line for an error: its message, else its code or name (a refused dual-stack connect has no message). */
function errorMessage(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  return err.message || (typeof code === "string" ? code : "") || err.name;
}

/**
 * What every transport shares: the `init()` data, the connected flag, and
 * turning raw link up/down transitions into exactly one `onDisconnect()` /
 * `onConnect(wasReconnect)` call each (clients often report a drop twice).
 */
export abstract class BaseTransporter implements Transporter {
  abstract readonly hasBuiltInBalancer: boolean;

  private initData?: TransporterInit;
  private isConnected = false;
  private everConnected = false;

  get connected(): boolean {
    return this.isConnected;
  }

  /** No known limit unless the transport says otherwise. */
  get maxPayload(): number {
    return 0;
  }

  init(init: TransporterInit): void {
    this.initData = init;
  }

  protected get prefix(): string {
    return this.setup.prefix;
  }

  protected get nodeID(): string {
    return this.setup.nodeID;
  }

  protected get logger(): Logger {
    return this.setup.logger;
  }

  protected get handlers(): TransporterHandlers {
    return this.setup.handlers;
  }

  private get setup(): TransporterInit {
    if (!this.initData) throw new Error(`${this.constructor.name}: init() must be called before connect().`);
    return this.initData;
  }

  protected topic(cmd: PacketCommand, nodeID?: string | null): string {
    return topicName(this.setup.prefix, cmd, nodeID);
  }

  /** Hands a message to transit; a throwing handler must not break the client's read loop. */
  protected deliver(cmd: PacketCommand, data: Buffer): void {
    try {
      this.setup.handlers.onMessage(cmd, data);
    } catch (err) {
      this.setup.logger.error({ err, cmd }, "Transporter message handler failed.");
    }
  }

  /** The link is up. Calls `onConnect` once per up-transition; the first one is not a reconnect. */
  protected async linkUp(): Promise<void> {
    if (this.isConnected) return;
    this.isConnected = true;
    const wasReconnect = this.everConnected;
    this.everConnected = true;
    if (wasReconnect) this.logger.info(`${this.constructor.name} reconnected.`);
    await this.setup.handlers.onConnect(wasReconnect);
  }

  /** Like `linkUp` but for client callbacks: a failing `onConnect` is logged, not left unhandled. */
  protected linkUpInBackground(): void {
    this.linkUp().catch((err: unknown) => this.logger.error({ err }, "onConnect after a reconnect failed."));
  }

  /** The link dropped (the client keeps reconnecting): `onDisconnect` once per down-transition. */
  protected linkDown(): void {
    if (!this.isConnected) return;
    this.isConnected = false;
    this.logger.warn(`${this.constructor.name} disconnected; reconnecting.`);
    this.setup.handlers.onDisconnect();
  }

  /** After our own `disconnect()`: no handler call, and the next connect() is a fresh start. */
  protected linkClosed(): void {
    this.isConnected = false;
    this.everConnected = false;
  }

  protected disconnectedError(): BrokerDisconnectedError {
    return new BrokerDisconnectedError();
  }

  abstract connect(): Promise<void>;
  abstract disconnect(): Promise<void>;
  abstract subscribe(cmd: PacketCommand, nodeID?: string): Promise<void>;
  abstract subscribeBalancedRequest(action: string): Promise<void>;
  abstract subscribeBalancedEvent(event: string, group: string): Promise<void>;
  abstract unsubscribeFromBalancedCommands(): Promise<void>;
  abstract publish(cmd: PacketCommand, nodeID: string | null, data: Buffer): Promise<void>;
  abstract publishBalancedRequest(action: string, data: Buffer): Promise<void>;
  abstract publishBalancedEvent(event: string, group: string, data: Buffer): Promise<void>;
}

/**
 * A transport whose subjects are the topics themselves (NATS, the memory bus):
 * every publish is one `send(subject, data)`.
 */
export abstract class SubjectTransporter extends BaseTransporter {
  protected abstract send(subject: string, data: Buffer): Promise<void>;

  publish(cmd: PacketCommand, nodeID: string | null, data: Buffer): Promise<void> {
    return this.send(this.topic(cmd, nodeID), data);
  }

  publishBalancedRequest(action: string, data: Buffer): Promise<void> {
    return this.send(balancedRequestTopic(this.prefix, action), data);
  }

  publishBalancedEvent(event: string, group: string, data: Buffer): Promise<void> {
    return this.send(balancedEventTopic(this.prefix, group, event), data);
  }
}
