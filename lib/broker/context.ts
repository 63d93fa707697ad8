import type { Constructor } from "../decorators/types";
import type { ActionDescriptor, EventDescriptor } from "../service/descriptor";
import type { CallOptions, EmitOptions } from "./call-options";
import type { ServiceBroker } from "./service-broker";
import { ActionArgs, ActionMethods, ActionResult, actionNameOf } from "./typed-call";

export type Meta = Record<string, unknown>;

/** What a context knows of the service it runs in. */
export interface ContextService {
  name: string;
  fullName: string;
  version?: number | string;
}

/** What a context knows of the endpoint it runs on. */
export interface ContextEndpoint {
  /** Node id of the endpoint. */
  id: string;
  local: boolean;
}

/**
 * One call or event delivery. The hot path creates one per call, so ids,
 * `meta` and `locals` are made on first use only.
 */
export class Context<P = unknown, M extends Meta = Meta> {
  readonly broker: ServiceBroker;
  /** Node that created this context. */
  nodeID: string;
  endpoint: ContextEndpoint | null = null;
  action: ActionDescriptor | null = null;
  event: EventDescriptor | null = null;
  /** The service whose handler runs this context (null for a call made from outside services). */
  service: ContextService | null = null;
  /** Emitted event name (an event handler may subscribe with a wildcard). */
  eventName: string | null = null;
  eventType: "emit" | "broadcast" | "broadcastLocal" | null = null;
  eventGroups: string[] | null = null;
  params: P;
  level = 1;
  parentID: string | null = null;
  /** Full name of the calling service, if the call came from a service's context. */
  caller: string | null = null;
  options: CallOptions;
  /** Effective timeout in ms (0 = none) and its absolute deadline, set per attempt. */
  timeout = 0;
  deadline = 0;
  /** The parent's deadline: no attempt of this call may outlive it (0 = none). */
  capDeadline = 0;
  /** True when the result came from the cacher. */
  cachedResult = false;
  /** >0 while a retry attempt runs (the retry middleware owns the loop). */
  retryAttempt = 0;
  /** Whether the request is sampled by tracing. */
  tracing: boolean | null = null;
  /** Set when the context was received from another node. */
  remote = false;

  private _id: string | undefined = undefined;
  /** A fork shares its origin's id, generated once on first read by either. */
  private _idSource: Context | null = null;
  private _requestID: string | undefined = undefined;
  private _meta: M | undefined = undefined;
  private _locals: Record<string, unknown> | undefined = undefined;

  constructor(broker: ServiceBroker, params: P, options: CallOptions) {
    this.broker = broker;
    this.nodeID = broker.nodeID;
    this.params = params;
    this.options = options;
  }

  get id(): string {
    return (this._id ??= this._idSource !== null ? this._idSource.id : this.broker.generateUid());
  }
  set id(value: string) {
    this._id = value;
  }

  /** Id of the root context of the call tree. */
  get requestID(): string {
    return (this._requestID ??= this._idSource !== null ? this._idSource.requestID : this.id);
  }
  set requestID(value: string) {
    this._requestID = value;
  }

  get meta(): M {
    return (this._meta ??= {} as M);
  }
  set meta(value: M) {
    this._meta = value;
  }

  /** Per-call scratch space for middlewares and handlers; never sent. */
  get locals(): Record<string, unknown> {
    return (this._locals ??= {});
  }

  /** Whether any meta was set (lets transit skip an empty object). */
  get hasMeta(): boolean {
    return this._meta !== undefined;
  }

  /** A copy for another handler of the same event delivery (same ids, meta, level). */
  fork(): Context<P, M> {
    const ctx = new Context<P, M>(this.broker, this.params, this.options);
    ctx.nodeID = this.nodeID;
    ctx.eventName = this.eventName;
    ctx.eventType = this.eventType;
    ctx.eventGroups = this.eventGroups;
    ctx.parentID = this.parentID;
    ctx.level = this.level;
    ctx.caller = this.caller;
    ctx.tracing = this.tracing;
    ctx.remote = this.remote;
    ctx._id = this._id;
    ctx._requestID = this._requestID;
    ctx._idSource = this._id === undefined ? this : null;
    ctx._meta = this._meta;
    return ctx;
  }

  /** Calls another action as a child of this context; typed like `broker.call` when given a service class. */
  call<S, K extends ActionMethods<S>>(service: Constructor<S>, action: K, ...args: ActionArgs<S[K]>): Promise<ActionResult<S[K]>>;
  call<R = unknown>(action: string, params?: unknown, options?: CallOptions): Promise<R>;
  call(target: string | Constructor, a?: unknown, b?: unknown, c?: unknown): Promise<unknown> {
    if (typeof target === "string") return this.broker.call(target, a, withParent(this, b as CallOptions | undefined));
    let name: string;
    try {
      name = actionNameOf(target, a as string);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.broker.call(name, b, withParent(this, c as CallOptions | undefined));
  }

  mcall<R = unknown>(defs: Parameters<ServiceBroker["mcall"]>[0], options?: CallOptions): Promise<R> {
    return this.broker.mcall(defs, withParent(this, options)) as Promise<R>;
  }

  emit(event: string, payload?: unknown, options?: EmitOptions): Promise<void> {
    return this.broker.emit(event, payload, withParent(this, options));
  }

  broadcast(event: string, payload?: unknown, options?: EmitOptions): Promise<void> {
    return this.broker.broadcast(event, payload, withParent(this, options));
  }

  /** Plain form for logs and transit. */
  toJSON(): Record<string, unknown> {
    return {
      id: this.id,
      requestID: this.requestID,
      parentID: this.parentID,
      level: this.level,
      caller: this.caller,
      nodeID: this.nodeID,
      action: this.action?.name,
      event: this.eventName,
      params: this.params,
      meta: this._meta ?? {},
    };
  }

  /** Takes the parent-derived fields (ids, level, meta, caller) from `parent`. */
  inherit(parent: Context, ownMeta: Meta | undefined): void {
    this.parentID = parent.id;
    this._requestID = parent.requestID;
    this.level = parent.level + 1;
    this.tracing = parent.tracing;
    // Moleculer copies the parent's meta, then the call's own meta over it.
    const parentMeta = parent._meta;
    // Object.assign, not spread: `{...a, ...b}` is ~40x slower on node 20's V8.
    if (parentMeta !== undefined || ownMeta !== undefined) this._meta = Object.assign({}, parentMeta, ownMeta) as M;
    if (parent.service) this.caller = parent.service.fullName;
  }
}

function withParent<T extends { parentCtx?: Context }>(ctx: Context, options: T | undefined): T {
  if (!options) return { parentCtx: ctx } as T;
  const copy = Object.assign({}, options);
  copy.parentCtx = ctx;
  return copy;
}
