import type { Logger } from "pino";
import { BrokerOptionsError } from "../errors";
import { describeValue } from "../utils/describe-value";
import type { EventEndpoint } from "../registry/endpoint";
import type { Registry } from "../registry/registry";
import type { EmitOptions } from "../context/context";
import { Context } from "../context/context";
import type { ContextBroker } from "../context/context";

/** How events leave this node (transit's EVENT packets); null when there is no transporter. */
export interface RemoteEvents {
  /** True when the transporter balances: `emit` publishes one EVENT per group to it (`sendBalanced`). */
  readonly balanced: boolean;
  /** One EVENT packet to one node, for the given groups (null: every group there). */
  send(nodeID: string, ctx: Context, groups: string[] | null, broadcast: boolean): Promise<void>;
  /** One EVENT packet to the transport's balancer for one group. */
  sendBalanced(ctx: Context, group: string): Promise<void>;
}

type EventKind = "emit" | "broadcast" | "broadcastLocal";

const NO_OPTIONS: EmitOptions = Object.freeze({}) as EmitOptions;

/**
 * The event verbs. `emit`: one handler per group (balanced); `broadcast`:
 * every handler on every node; `broadcastLocal`: every handler here.
 * A handler's failure is logged, never thrown at the emitter.
 */
export class EventBus {
  private readonly onHandlerError: (err: unknown) => void;
  /** `remote` when it balances: read once here, not per emit. */
  private readonly balanced: RemoteEvents | null;

  constructor(
    private readonly broker: ContextBroker,
    private readonly registry: Registry,
    logger: Logger,
    private readonly remote: RemoteEvents | null,
  ) {
    this.onHandlerError = (err) => logger.error({ err }, "Event handler failed");
    this.balanced = remote !== null && remote.balanced ? remote : null;
  }

  emit(event: string, payload: unknown, options: EmitOptions | undefined): Promise<void> {
    const opts = options ?? NO_OPTIONS;
    const lists = this.registry.events.match(event);
    if (lists.length === 0) return Promise.resolve();
    const groups = opts.groups === undefined ? null : typeof opts.groups === "string" ? [opts.groups] : opts.groups;
    const base = this.createContext(event, payload, opts, "emit", groups);
    if (this.balanced !== null) return this.emitBalanced(this.balanced, lists, base, groups);

    // Fast path: one subscribed group.
    if (lists.length === 1 && groups === null) {
      const endpoint = lists[0].next(base);
      if (endpoint === null) return Promise.resolve();
      if (endpoint.local) return this.deliver(endpoint, base);
      const pending: Promise<void>[] = [];
      this.sendRemote(new Map([[endpoint.id, [lists[0].group as string]]]), base, false, pending);
      return settle(pending);
    }

    const pending: Promise<void>[] = [];
    let remote: Map<string, string[]> | null = null;
    for (const list of lists) {
      if (groups !== null && !groups.includes(list.group as string)) continue;
      const endpoint = list.next(base);
      if (endpoint === null) continue;
      if (endpoint.local) pending.push(this.deliver(endpoint, base.fork()));
      else {
        remote ??= new Map();
        const forNode = remote.get(endpoint.id);
        if (forNode) forNode.push(list.group as string);
        else remote.set(endpoint.id, [list.group as string]);
      }
    }
    if (remote !== null) this.sendRemote(remote, base, false, pending);
    return settle(pending);
  }

  broadcast(event: string, payload: unknown, options: EmitOptions | undefined, localOnly: boolean): Promise<void> {
    const opts = options ?? NO_OPTIONS;
    const lists = this.registry.events.match(event);
    if (lists.length === 0) return Promise.resolve();
    const groups = opts.groups === undefined ? null : typeof opts.groups === "string" ? [opts.groups] : opts.groups;
    const base = this.createContext(event, payload, opts, localOnly ? "broadcastLocal" : "broadcast", groups);
    const pending: Promise<void>[] = [];
    let remote: Map<string, string[]> | null = null;
    for (const list of lists) {
      if (groups !== null && !groups.includes(list.group as string)) continue;
      for (const endpoint of list.endpoints) {
        if (opts.nodeID !== undefined && endpoint.id !== opts.nodeID) continue;
        if (endpoint.local) pending.push(this.deliver(endpoint, base.fork()));
        else if (!localOnly) {
          remote ??= new Map();
          // A broadcast goes once to each node; the receiver runs all its matching handlers.
          if (!remote.has(endpoint.id)) remote.set(endpoint.id, groups ?? []);
        }
      }
    }
    if (remote !== null) this.sendRemote(remote, base, true, pending);
    return settle(pending);
  }

  private emitBalanced(remote: RemoteEvents, lists: ReturnType<Registry["events"]["match"]>, ctx: Context, groups: string[] | null): Promise<void> {
    const seen = new Set<string>();
    const pending: Promise<void>[] = [];
    for (const list of lists) {
      const group = list.group as string;
      if (seen.has(group) || (groups !== null && !groups.includes(group))) continue;
      seen.add(group);
      pending.push(remote.sendBalanced(ctx, group).catch(this.onHandlerError));
    }
    return settle(pending);
  }

  /** Runs the local handlers an incoming EVENT packet asks for. */
  deliverIncoming(ctx: Context, groups: string[] | null, broadcast: boolean): Promise<void> {
    const lists = this.registry.events.match(ctx.eventName as string);
    const pending: Promise<void>[] = [];
    for (const list of lists) {
      if (groups !== null && groups.length > 0 && !groups.includes(list.group as string)) continue;
      const local = list.localEndpoints;
      if (local.length === 0) continue;
      if (broadcast) for (const endpoint of local) pending.push(this.deliver(endpoint, ctx.fork()));
      else {
        const endpoint = local.length === 1 ? local[0] : (list.next(ctx) ?? local[0]);
        pending.push(this.deliver(endpoint, ctx.fork()));
      }
    }
    return settle(pending);
  }

  /** Each handler gets its own fork of the delivery's context: validation may replace `params`, and `service` differs. */
  private deliver(endpoint: EventEndpoint, ctx: Context): Promise<void> {
    ctx.endpoint = endpoint;
    ctx.event = endpoint.event;
    ctx.service = endpoint.service;
    return endpoint.handler(ctx).catch(this.onHandlerError);
  }

  private sendRemote(remote: Map<string, string[]>, ctx: Context, broadcast: boolean, pending: Promise<void>[]): void {
    const sender = this.remote;
    if (sender === null) return;
    for (const [nodeID, groups] of remote) {
      pending.push(sender.send(nodeID, ctx, groups.length > 0 ? groups : null, broadcast).catch(this.onHandlerError));
    }
  }

  private createContext(event: string, payload: unknown, opts: EmitOptions, kind: EventKind, groups: string[] | null): Context {
    const ctx = new Context(this.broker, payload, NO_OPTIONS);
    ctx.eventName = event;
    ctx.eventType = kind;
    ctx.eventGroups = groups;
    if (opts.parentCtx !== undefined) ctx.inherit(opts.parentCtx, opts.meta);
    else if (opts.meta !== undefined) ctx.meta = { ...opts.meta };
    if (opts.headers !== undefined) ctx.headers = Object.assign({}, opts.headers);
    return ctx;
  }
}

/**
 * Why an emitted event name is unusable, or null. A name with an empty
 * dot-segment (`"ev..a"`, `".a"`, `"a."`) is no valid transport subject: with
 * `disableBalancer` it would be dropped silently, so every emit rejects it.
 * No regex: this runs on every emit.
 */
export function invalidEventName(event: unknown): BrokerOptionsError | null {
  if (typeof event !== "string") {
    return new BrokerOptionsError(`An event name must be a string; got ${describeValue(event)}.`, { event: describeValue(event) });
  }
  const last = event.length - 1;
  if (last >= 0 && event.charCodeAt(0) !== 46 && event.charCodeAt(last) !== 46 && !event.includes("..")) return null;
  return new BrokerOptionsError(
    `Invalid event name '${event}': it must be non-empty and have no empty dot-separated segment (no leading, trailing or double '.').`,
    { event },
  );
}

function settle(pending: Promise<void>[]): Promise<void> {
  if (pending.length === 0) return Promise.resolve();
  if (pending.length === 1) return pending[0];
  return Promise.all(pending).then(noop);
}

function noop(): void {}
