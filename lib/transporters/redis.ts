import type * as IORedis from "ioredis";
import type { Writable } from "node:stream";
import type { Redis, RedisOptions } from "ioredis";
import { BrokerOptionsError } from "../errors";
import { loadDriver } from "../utils/load-driver";
import { redactUrl } from "../utils/redact";
import { BaseTransporter, commandFromTopic, FailureLog } from "./base";
import type { PacketCommand } from "./transporter";

/**
 * The ioredis options nucleon reads; every other one (`tls`, `retryStrategy`,
 * …) passes through to the client as is. Declared here rather than imported
 * so that nucleon's typings compile without the optional `ioredis` package.
 */
export interface RedisClientOptions {
  host?: string;
  port?: number;
  path?: string;
  db?: number;
  username?: string;
  password?: string;
  [option: string]: unknown;
}

/** What the `clients` getter shows of each live connection (the ioredis package's `Redis`). */
export interface RedisClient {
  readonly status: string;
}

export interface RedisTransporterOptions extends RedisClientOptions {
  /** `redis://[:password@]host:port[/db]` or `rediss://…` (TLS). Explicit options win over it. */
  url?: string;
}

const DONE = Promise.resolve();
/** At most this many PUBLISHes per socket write. */
const BATCH_COMMANDS = 32;

/** Resolves when both clients are ready; rejects on abort, or when a client stops retrying ("end"). */
function bothReady(sub: Redis, pub: Redis, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const settle = (err?: Error) => {
      for (const client of [sub, pub]) {
        client.off("ready", check);
        client.off("end", gaveUp);
      }
      signal.removeEventListener("abort", aborted);
      if (err) reject(err);
      else resolve();
    };
    const check = () => {
      if (sub.status === "ready" && pub.status === "ready") settle();
    };
    const gaveUp = () => settle(new Error("Redis connect() failed: the client stopped retrying."));
    const aborted = () => settle(new Error("Redis connect() was cancelled by disconnect()."));
    for (const client of [sub, pub]) {
      client.on("ready", check);
      client.once("end", gaveUp);
    }
    signal.addEventListener("abort", aborted);
    check();
  });
}

function noBalancer(): Promise<void> {
  return Promise.reject(
    new BrokerOptionsError("The Redis transporter has no built-in balancer: disableBalancer is not supported with it."),
  );
}

/**
 * Redis Pub/Sub: channel = topic, plain SUBSCRIBE on a second connection (a
 * subscribed connection can't publish). The command is the channel's first
 * dot-segment after the prefix. ioredis reconnects and re-subscribes on its own.
 */
export class RedisTransporter extends BaseTransporter {
  readonly hasBuiltInBalancer = false;

  /** The `ioredis` package, loaded when the first Redis transporter is built. */
  private readonly driver: typeof IORedis;
  private readonly options: RedisOptions;
  private readonly url?: string;
  readonly address: string;
  /** Both clients' errors share one log: they fail together, and ioredis retries fast. */
  private readonly failures = new FailureLog((line) => this.logger.warn(line));
  private pub: Redis | null = null;
  private sub: Redis | null = null;
  private connecting: Promise<void> | null = null;
  private stopper: AbortController | null = null;

  constructor(options: RedisTransporterOptions = {}) {
    super();
    this.driver = loadDriver<typeof IORedis>("ioredis", "The Redis transporter");
    const { url, ...rest } = options;
    this.url = url;
    this.options = rest as RedisOptions;
    this.address = url
      ? redactUrl(url)
      : rest.path ?? `redis://${rest.host ?? "127.0.0.1"}:${rest.port ?? 6379}${rest.db ? `/${rest.db}` : ""}`;
  }

  /** The live connections (for tests and diagnostics). */
  get clients(): { pub: RedisClient | null; sub: RedisClient | null } {
    return { pub: this.pub, sub: this.sub };
  }

  connect(): Promise<void> {
    if (this.sub && !this.connecting) return DONE; // up, or ioredis is already reconnecting
    this.connecting ??= this.open().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private client(role: "publisher" | "subscriber"): Redis {
    // autoResubscribe is what keeps our channels across reconnects, so it is not optional here.
    const options: RedisOptions = role === "subscriber" ? { ...this.options, autoResubscribe: true } : this.options;
    const { Redis } = this.driver;
    const client = this.url ? new Redis(this.url, options) : new Redis(options);
    client.on("error", (err: Error) => this.failures.failed(`Redis ${role} error (${this.address})`, err));
    client.on("ready", () => this.failures.reset());
    return client;
  }

  private async open(): Promise<void> {
    const stopper = new AbortController();
    this.stopper = stopper;
    const sub = this.client("subscriber");
    const pub = this.client("publisher");
    this.sub = sub;
    this.pub = pub;
    sub.on("messageBuffer", (channel: Buffer, message: Buffer) => {
      if (this.sub !== sub) return;
      const cmd = commandFromTopic(this.prefix, channel.toString());
      if (cmd) this.deliver(cmd, message);
      else this.logger.debug({ channel: channel.toString() }, "Redis message on an unknown channel dropped.");
    });

    // ioredis retries forever by default, so the first connect simply waits for both to be ready.
    try {
      await bothReady(sub, pub, stopper.signal);
    } catch (err) {
      if (this.sub === sub) {
        this.sub = null;
        this.pub = null;
      }
      sub.disconnect();
      pub.disconnect();
      throw err;
    }
    this.stopper = null;
    this.logger.info("Redis publisher and subscriber connected.");

    for (const client of [sub, pub]) {
      client.on("close", () => {
        if (this.sub === sub) this.linkDown();
      });
      client.on("ready", () => this.resume(sub, pub));
      client.on("end", () => {
        if (this.sub === sub) this.logger.error("Redis client stopped reconnecting; the transporter is down.");
      });
    }
    await this.linkUp();
  }

  /** Both connections are back: wait until the re-SUBSCRIBEs are through, then report. */
  private resume(sub: Redis, pub: Redis): void {
    if (this.sub !== sub || sub.status !== "ready" || pub.status !== "ready") return;
    // ioredis sends the re-SUBSCRIBEs right after "ready"; a PING behind them confirms them.
    sub
      .ping()
      .then(() => {
        if (this.sub === sub && sub.status === "ready" && pub.status === "ready") this.linkUpInBackground();
      })
      .catch((err: unknown) => this.logger.debug({ err }, "Redis resubscribe check failed; waiting for the next ready."));
  }

  async disconnect(): Promise<void> {
    this.stopper?.abort();
    this.stopper = null;
    const { sub, pub } = this;
    this.sub = null;
    this.pub = null;
    this.linkClosed();
    sub?.disconnect(); // stop receiving now
    if (!pub) return;
    if (pub.status === "ready") {
      // QUIT is answered after the PUBLISHes queued before it (e.g. our DISCONNECT packet).
      await pub.quit().catch(() => pub.disconnect());
    } else {
      pub.disconnect(); // a QUIT would sit in the offline queue until the server is back
    }
  }

  async subscribe(cmd: PacketCommand, nodeID?: string): Promise<void> {
    if (!this.sub) throw this.disconnectedError();
    // SUBSCRIBE is idempotent server-side; the reply means the server has it.
    await this.sub.subscribe(this.topic(cmd, nodeID));
  }

  subscribeBalancedRequest(_action: string): Promise<void> {
    return DONE;
  }

  subscribeBalancedEvent(_event: string, _group: string): Promise<void> {
    return DONE;
  }

  unsubscribeFromBalancedCommands(): Promise<void> {
    return DONE;
  }

  publish(cmd: PacketCommand, nodeID: string | null, data: Buffer): Promise<void> {
    const pub = this.pub;
    if (!pub) return Promise.reject(this.disconnectedError());
    if (this.corked === null && pub.status === "ready") this.cork(pub);
    // Not awaiting the reply keeps one round trip off every call; failures are logged.
    pub.publish(this.topic(cmd, nodeID), data).catch(this.publishFailed);
    if (this.corked !== null && ++this.batched >= BATCH_COMMANDS) this.uncork();
    return DONE;
  }

  private corked: Writable | null = null;
  private batched = 0;
  private readonly publishFailed = (err: unknown): void => this.logger.warn({ err }, "Redis publish failed.");
  private readonly uncork = (): void => {
    const stream = this.corked;
    this.corked = null;
    this.batched = 0;
    stream?.uncork();
  };

  /**
   * Writes batched per tick: ioredis writes each command to its socket at
   * once (a syscall per PUBLISH); corked until the tick ends, the commands of
   * one tick leave in one write, or in writes of `BATCH_COMMANDS` (see the
   * TCP writer's BATCH_FRAMES: a peer then works on the first commands while
   * we go on). ioredis' own autopipelining does the same with more work per
   * command.
   */
  private cork(pub: Redis): void {
    const stream = (pub as unknown as { stream?: Writable }).stream;
    if (stream === undefined || typeof stream.cork !== "function") return;
    stream.cork();
    this.corked = stream;
    process.nextTick(this.uncork);
  }

  /** Redis answers in order: the PING's reply comes after every publish queued before it. */
  async flush(): Promise<void> {
    const pub = this.pub;
    if (!pub) throw this.disconnectedError();
    await pub.ping();
  }

  publishBalancedRequest(_action: string, _data: Buffer): Promise<void> {
    return noBalancer();
  }

  publishBalancedEvent(_event: string, _group: string, _data: Buffer): Promise<void> {
    return noBalancer();
  }
}
