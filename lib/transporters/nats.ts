import type * as Nats from "nats";
import type { ConnectionOptions, Msg, NatsConnection, NatsError, Subscription } from "nats";
import { loadDriver } from "../utils/load-driver";
import { redactUrl } from "../utils/redact";
import {
  FailureLog,
  SubjectTransporter,
  balancedEventSubject,
  balancedRequestTopic,
  waitUnlessAborted,
} from "./base";
import type { PacketCommand } from "./transporter";

/**
 * The nats client's connect() options that nucleon reads or sets; every other
 * one (`tls`, `name`, `reconnectTimeWait`, …) passes through to the client as
 * is. Declared here rather than imported so that nucleon's typings compile
 * without the optional `nats` package.
 */
export interface NatsClientOptions {
  servers?: string | string[];
  user?: string;
  pass?: string;
  token?: string;
  /** -1 (forever) unless set. */
  maxReconnectAttempts?: number;
  [option: string]: unknown;
}

/** What the `client` getter shows of the live connection (the nats package's `NatsConnection`). */
export interface NatsClient {
  getServer(): string;
  isClosed(): boolean;
}

export interface NatsTransporterOptions extends NatsClientOptions {
  /** `nats://[user:pass@|token@]host:port`, several separated by commas. Added to `servers`. */
  url?: string;
  /** Pause between attempts of the first connect() while the server is down (Moleculer: 5 s). */
  connectRetryDelay?: number;
}

const DONE = Promise.resolve();
/** How long disconnect() lets a drain run before it just closes. */
const DRAIN_TIMEOUT_MS = 5000;

/** `url` (Moleculer style, comma-separated) → the nats client's `servers`/`user`/`pass`/`token`. */
export function natsConnectionOptions(options: NatsTransporterOptions): NatsClientOptions {
  const { url, connectRetryDelay: _delay, ...rest } = options;
  const out: NatsClientOptions = { ...rest, maxReconnectAttempts: rest.maxReconnectAttempts ?? -1 };
  if (url) {
    const servers = rest.servers === undefined ? [] : ([] as string[]).concat(rest.servers);
    for (const part of url.split(",")) {
      const parsed = new URL(part.trim());
      servers.push(parsed.host);
      const user = decodeURIComponent(parsed.username);
      const pass = decodeURIComponent(parsed.password);
      if (user && pass) {
        out.user ??= user;
        out.pass ??= pass;
      } else if (user) {
        out.token ??= user;
      }
    }
    out.servers = servers;
  }
  return out;
}

/** A zero-copy Buffer view: the nats parser hands each message its own bytes, never reused. */
function asBuffer(data: Uint8Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * NATS core pub/sub: subject = topic, no inboxes, no headers. Balanced REQB/EVENTB
 * subscriptions use NATS queue groups. The client reconnects forever by default
 * and re-sends its subscriptions; we only report the transitions.
 */
export class NatsTransporter extends SubjectTransporter {
  readonly hasBuiltInBalancer = true;

  /** The `nats` package, loaded when the first NATS transporter is built. */
  private readonly driver: typeof Nats;
  private readonly connectionOptions: NatsClientOptions;
  private readonly connectRetryDelay: number;
  readonly address: string;
  private nc: NatsConnection | null = null;
  private connecting: Promise<void> | null = null;
  private stopper: AbortController | null = null;
  /** topic → subscription; a repeated subscribe (e.g. after a reconnect) is a no-op. */
  private readonly subscriptions = new Map<string, Subscription>();
  /** `queue subject` → subscription, dropped together by unsubscribeFromBalancedCommands(). */
  private readonly balanced = new Map<string, Subscription>();

  constructor(options: NatsTransporterOptions = {}) {
    super();
    this.driver = loadDriver<typeof Nats>("nats", "The NATS transporter");
    this.connectionOptions = natsConnectionOptions(options);
    this.connectRetryDelay = options.connectRetryDelay ?? 5000;
    const servers = this.connectionOptions.servers;
    this.address = options.url
      ? redactUrl(options.url)
      : servers === undefined
        ? "nats://127.0.0.1:4222"
        : ([] as string[]).concat(servers).map((s) => (s.includes("://") ? redactUrl(s) : `nats://${s}`)).join(",");
  }

  /** The live client (for tests and diagnostics). */
  get client(): NatsClient | null {
    return this.nc;
  }

  /** The server's `max_payload` (1 MB by default), told in its INFO on connect. */
  override get maxPayload(): number {
    return this.nc?.info?.max_payload ?? 0;
  }

  connect(): Promise<void> {
    if (this.nc) return DONE;
    this.connecting ??= this.connectWithRetry().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async connectWithRetry(): Promise<void> {
    const stopper = new AbortController();
    this.stopper = stopper;
    let nc: NatsConnection | undefined;
    // One readable line per failure streak, not the client's whole error object every attempt.
    const failures = new FailureLog((line) => this.logger.warn(line));
    while (!nc) {
      try {
        nc = await this.driver.connect(this.connectionOptions as ConnectionOptions);
      } catch (err) {
        if (stopper.signal.aborted) break;
        failures.failed(`NATS connect to ${this.address} failed; retrying every ${this.connectRetryDelay} ms`, err);
        if (!(await waitUnlessAborted(this.connectRetryDelay, stopper.signal))) break;
      }
    }
    if (!nc || stopper.signal.aborted) {
      await nc?.close();
      throw new Error("NATS connect() was cancelled by disconnect().");
    }
    this.stopper = null;
    this.nc = nc;
    this.logger.info(`NATS connected to ${nc.getServer()}.`);
    this.watch(nc);
    await this.linkUp();
  }

  /** Follows the client's status stream: disconnect → onDisconnect, reconnect → onConnect(true). */
  private watch(nc: NatsConnection): void {
    const { Events } = this.driver;
    let drops = 0; // a reconnect counts only if no new drop happened meanwhile
    void (async () => {
      for await (const status of nc.status()) {
        if (this.nc !== nc) break;
        if (status.type === Events.Disconnect) {
          drops++;
          this.linkDown();
        } else if (status.type === Events.Reconnect) {
          // The client re-sent our SUBs; a PING round trip makes sure the server has them.
          const seen = drops;
          void nc
            .flush()
            .catch(() => undefined)
            .then(() => {
              if (this.nc === nc && seen === drops) this.linkUpInBackground();
            });
        } else if (status.type === Events.Error) {
          this.logger.error({ data: status.data }, "NATS async error.");
        }
      }
    })().catch((err: unknown) => this.logger.error({ err }, "NATS status watcher failed."));

    void nc.closed().then((err) => {
      if (this.nc !== nc) return; // our own disconnect()
      // The client gave up (a finite maxReconnectAttempts, or a fatal error).
      this.logger.error({ err }, "NATS connection closed; no more reconnects.");
      this.nc = null;
      this.subscriptions.clear();
      this.balanced.clear();
      this.linkDown();
    });
  }

  async disconnect(): Promise<void> {
    this.stopper?.abort();
    this.stopper = null;
    const nc = this.nc;
    const wasUp = this.connected;
    this.nc = null; // from here on callbacks drop what still arrives
    this.subscriptions.clear();
    this.balanced.clear();
    this.linkClosed();
    if (!nc || nc.isClosed()) return;
    if (!wasUp) {
      await nc.close(); // a drain would wait for the server forever
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, DRAIN_TIMEOUT_MS)));
    try {
      // drain = unsubscribe, flush what we published (e.g. DISCONNECT), close.
      await Promise.race([nc.drain(), timeout]);
    } catch (err) {
      this.logger.debug({ err }, "NATS drain failed; closing.");
    } finally {
      clearTimeout(timer);
      if (!nc.isClosed()) await nc.close();
    }
  }

  private live(): NatsConnection {
    if (!this.nc) throw this.disconnectedError();
    return this.nc;
  }

  private listen(nc: NatsConnection, subject: string, cmd: PacketCommand, queue?: string): Subscription {
    // A callback, not an async iterator: ~20 % more messages/s on this hot path.
    return nc.subscribe(subject, {
      queue,
      callback: (err: NatsError | null, msg: Msg) => {
        if (err) {
          this.logger.error({ err, subject }, "NATS subscription error.");
          return;
        }
        if (this.nc === nc) this.deliver(cmd, asBuffer(msg.data));
      },
    });
  }

  async subscribe(cmd: PacketCommand, nodeID?: string): Promise<void> {
    const nc = this.live();
    const topic = this.topic(cmd, nodeID);
    if (this.subscriptions.has(topic)) return;
    this.subscriptions.set(topic, this.listen(nc, topic, cmd));
    await nc.flush(); // the server has the SUB before anyone is told we are here
  }

  async subscribeBalancedRequest(action: string): Promise<void> {
    // Balanced packets are ordinary REQ/EVENT packets; transit gets them as such.
    await this.subscribeBalanced(balancedRequestTopic(this.prefix, action), action, "REQ");
  }

  async subscribeBalancedEvent(event: string, group: string): Promise<void> {
    await this.subscribeBalanced(balancedEventSubject(this.prefix, group, event), group, "EVENT");
  }

  private async subscribeBalanced(subject: string, queue: string, cmd: PacketCommand): Promise<void> {
    const nc = this.live();
    const key = `${queue} ${subject}`;
    if (this.balanced.has(key)) return;
    this.balanced.set(key, this.listen(nc, subject, cmd, queue));
    await nc.flush();
  }

  async unsubscribeFromBalancedCommands(): Promise<void> {
    for (const sub of this.balanced.values()) sub.unsubscribe();
    this.balanced.clear();
    if (this.nc && this.connected) await this.nc.flush();
  }

  /** The server has everything published before (one PING round trip). */
  flush(): Promise<void> {
    const nc = this.nc;
    if (!nc) return Promise.reject(this.disconnectedError());
    return nc.flush();
  }

  /** Queued in the client's outbound buffer (also while reconnecting); no flush per message. */
  protected send(subject: string, data: Buffer): Promise<void> {
    const nc = this.nc;
    if (!nc) return Promise.reject(this.disconnectedError());
    try {
      nc.publish(subject, data);
    } catch (err) {
      return Promise.reject(err);
    }
    return DONE;
  }
}
