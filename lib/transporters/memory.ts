import { SubjectTransporter, balancedEventSubject, balancedRequestTopic } from "./base";
import type { PacketCommand } from "./transporter";

export type MemoryListener = (data: Buffer) => void;

export interface MemorySubscription {
  unsubscribe(): void;
}

interface Entry {
  readonly listener: MemoryListener;
  readonly queue?: string;
  /** Split subject for wildcard entries (`*` one token, `>` the rest); undefined for exact ones. */
  readonly pattern?: readonly string[];
  active: boolean;
}

interface Delivery {
  entry: Entry;
  data: Buffer;
}

/** NATS subject matching: `*` is one token, a trailing `>` one or more tokens. */
function matches(pattern: readonly string[], tokens: readonly string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p === ">") return tokens.length > i;
    if (i >= tokens.length || (p !== "*" && p !== tokens[i])) return false;
  }
  return pattern.length === tokens.length;
}

/**
 * An in-process message bus with NATS semantics (subjects, wildcards, queue
 * groups). Delivery is asynchronous and batched per macrotask, like a network:
 * never inside publish(), in publish order, and timers and I/O still get their turn.
 * Payloads are passed by reference; they are immutable by convention.
 */
export class MemoryBus {
  private readonly exact = new Map<string, Entry[]>();
  private readonly patterns: Entry[] = [];
  /** Round-robin position per `queue subject`. */
  private readonly cursors = new Map<string, number>();
  private pending: Delivery[] = [];
  private scheduled = false;

  subscribe(subject: string, listener: MemoryListener, queue?: string): MemorySubscription {
    const wildcard = subject.split(".").some((t) => t === "*" || t === ">");
    const entry: Entry = { listener, queue, pattern: wildcard ? subject.split(".") : undefined, active: true };
    let list: Entry[];
    if (wildcard) {
      list = this.patterns;
    } else {
      list = this.exact.get(subject) ?? [];
      this.exact.set(subject, list);
    }
    list.push(entry);
    return {
      unsubscribe: () => {
        if (!entry.active) return;
        entry.active = false; // also drops deliveries already queued for it
        list.splice(list.indexOf(entry), 1);
        if (!wildcard && list.length === 0) this.exact.delete(subject);
      },
    };
  }

  publish(subject: string, data: Buffer): void {
    let groups: Map<string, Entry[]> | undefined;
    const route = (entry: Entry) => {
      if (entry.queue === undefined) {
        this.pending.push({ entry, data });
        return;
      }
      groups ??= new Map();
      const members = groups.get(entry.queue);
      if (members) members.push(entry);
      else groups.set(entry.queue, [entry]);
    };
    const exact = this.exact.get(subject);
    if (exact) for (const entry of exact) route(entry);
    if (this.patterns.length > 0) {
      const tokens = subject.split(".");
      for (const entry of this.patterns) if (matches(entry.pattern ?? [], tokens)) route(entry);
    }
    if (groups) {
      for (const [queue, members] of groups) {
        const key = `${queue} ${subject}`;
        const at = (this.cursors.get(key) ?? 0) % members.length;
        this.cursors.set(key, at + 1);
        this.pending.push({ entry: members[at], data });
      }
    }
    if (!this.scheduled && this.pending.length > 0) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  private readonly flush = (): void => {
    const batch = this.pending;
    this.pending = [];
    this.scheduled = false;
    for (const { entry, data } of batch) {
      if (!entry.active) continue;
      try {
        entry.listener(data);
      } catch {
        // A listener's failure is its own; the others still get their messages.
      }
    }
  };
}

/** The bus every MemoryTransporter uses unless given its own `bus`. */
export const sharedMemoryBus = new MemoryBus();

export interface MemoryTransporterOptions {
  /** An isolated bus (e.g. one per test); defaults to `sharedMemoryBus`. */
  bus?: MemoryBus;
  /** Largest message accepted, bytes (0 = any), to exercise size limits without a server. */
  maxPayload?: number;
}

/** Several brokers in one process talking over a `MemoryBus` (users' unit tests, ours). */
export class MemoryTransporter extends SubjectTransporter {
  readonly hasBuiltInBalancer = true;

  readonly bus: MemoryBus;
  private readonly limit: number;
  private open = false;
  private readonly subscriptions = new Map<string, MemorySubscription>();
  private readonly balanced = new Map<string, MemorySubscription>();

  constructor(options: MemoryTransporterOptions = {}) {
    super();
    this.bus = options.bus ?? sharedMemoryBus;
    this.limit = options.maxPayload ?? 0;
  }

  override get maxPayload(): number {
    return this.limit;
  }

  async connect(): Promise<void> {
    if (this.open) return;
    this.open = true;
    await this.linkUp();
  }

  async disconnect(): Promise<void> {
    this.open = false;
    for (const sub of this.subscriptions.values()) sub.unsubscribe();
    for (const sub of this.balanced.values()) sub.unsubscribe();
    this.subscriptions.clear();
    this.balanced.clear();
    this.linkClosed();
  }

  private listen(target: Map<string, MemorySubscription>, subject: string, cmd: PacketCommand, queue?: string): void {
    if (!this.open) throw this.disconnectedError();
    const key = queue === undefined ? subject : `${queue} ${subject}`;
    if (target.has(key)) return;
    target.set(
      key,
      this.bus.subscribe(subject, (data) => this.deliver(cmd, data), queue),
    );
  }

  async subscribe(cmd: PacketCommand, nodeID?: string): Promise<void> {
    this.listen(this.subscriptions, this.topic(cmd, nodeID), cmd);
  }

  async subscribeBalancedRequest(action: string): Promise<void> {
    this.listen(this.balanced, balancedRequestTopic(this.prefix, action), "REQ", action);
  }

  async subscribeBalancedEvent(event: string, group: string): Promise<void> {
    this.listen(this.balanced, balancedEventSubject(this.prefix, group, event), "EVENT", group);
  }

  async unsubscribeFromBalancedCommands(): Promise<void> {
    for (const sub of this.balanced.values()) sub.unsubscribe();
    this.balanced.clear();
  }

  /** The bus delivers on the next turn of the event loop: after it, what was published is out. */
  flush(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }

  protected send(subject: string, data: Buffer): Promise<void> {
    if (!this.open) return Promise.reject(this.disconnectedError());
    // As NATS refuses it: the message goes nowhere.
    if (this.limit > 0 && data.length > this.limit) return Promise.reject(new Error(`Message of ${data.length} bytes exceeds maxPayload ${this.limit}`));
    this.bus.publish(subject, data);
    return Promise.resolve();
  }
}
