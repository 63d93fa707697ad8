import {
  MaxCallLevelError,
  RequestSkippedError,
  ServiceNotAvailableError,
  ServiceNotFoundError,
} from "../errors";
import type { ActionEndpoint } from "../registry/endpoint";
import { MAX_TIMER_MS } from "../utils/timer-limits";
import type { Registry } from "../registry/registry";
import type { CallOptions, McallDefinition, McallInput, McallOptions } from "../context/context";
import { Context } from "../context/context";
import type { ContextBroker } from "../context/context";

function mergeMeta<T>(parent: Context, child: Context, value: T): T {
  if (child.hasMeta) Object.assign(parent.meta, child.meta);
  return value;
}

/** Hands the caller the headers its handler answered with, whichever way the call settles. */
function withResponseHeaders(result: Promise<unknown>, ctx: Context, give: (headers: Record<string, unknown>) => void): Promise<unknown> {
  return result.then(
    (value) => {
      give(ctx.responseHeaders);
      return value;
    },
    (err: unknown) => {
      give(ctx.responseHeaders);
      throw err;
    },
  );
}

const NO_OPTIONS: CallOptions = Object.freeze({}) as CallOptions;

/**
 * The transporter's balancer as the dispatcher sees it (given only with
 * `disableBalancer` on a transport that balances): every untargeted call of
 * an action goes to one stand-in endpoint, and the transport picks the node.
 */
export interface BalancedCalls {
  endpointFor(name: string, sample: ActionEndpoint): ActionEndpoint;
}

export interface CallLimits {
  /** Default timeout in ms (0 = none). */
  readonly requestTimeout: number;
  /** 0 = unlimited. */
  readonly maxCallLevel: number;
}

/**
 * The call verb: name → endpoint list → strategy → precompiled handler chain.
 * Nothing here composes or looks up hooks per call.
 */
export class CallDispatcher {
  private readonly requestTimeout: number;
  private readonly maxCallLevel: number;

  constructor(
    private readonly broker: ContextBroker,
    private readonly registry: Registry,
    /** Null unless the transporter balances. */
    private readonly balanced: BalancedCalls | null,
    limits: CallLimits,
  ) {
    this.requestTimeout = limits.requestTimeout;
    this.maxCallLevel = limits.maxCallLevel;
  }

  call(name: string, params: unknown, options: CallOptions | undefined): Promise<unknown> {
    const opts = options ?? NO_OPTIONS;
    let ctx: Context;
    try {
      ctx = this.createContext(params, opts);
    } catch (err) {
      return Promise.reject(err);
    }
    const endpoint = this.select(name, ctx, opts.nodeID);
    if (endpoint instanceof Error) {
      const answered = this.noEndpoint(endpoint, ctx);
      return opts.onResponseHeaders === undefined ? answered : withResponseHeaders(answered, ctx, opts.onResponseHeaders);
    }
    let result = this.callEndpoint(endpoint, ctx);
    // Only a caller that asked for the response headers pays for the extra step.
    if (opts.onResponseHeaders !== undefined) result = withResponseHeaders(result, ctx, opts.onResponseHeaders);
    const parent = opts.parentCtx;
    // As in Moleculer, meta a child call changed flows back into its parent.
    return parent === undefined ? result : result.then((value) => mergeMeta(parent, ctx, value));
  }

  /** Selects again for the same context, on another node than `avoidNodeID` (the one that failed) when one is available. */
  redispatch(ctx: Context, avoidNodeID?: string): Promise<unknown> {
    const name = (ctx.action as { name: string }).name;
    // A fresh id per attempt, so a late RES of an earlier attempt cannot answer this one.
    const requestID = ctx.requestID; // fixed before the id changes (a root's requestID is its first id)
    ctx.requestID = requestID;
    ctx.id = this.broker.generateUid();
    const other = avoidNodeID !== undefined && ctx.options.nodeID === undefined && this.balanced === null ? this.registry.actions.get(name)?.nextExcept(avoidNodeID, ctx) : null;
    const endpoint = other ?? this.select(name, ctx, ctx.options.nodeID);
    if (endpoint instanceof Error) return Promise.reject(endpoint);
    return this.callEndpoint(endpoint, ctx);
  }

  private select(name: string, ctx: Context, nodeID: string | undefined): ActionEndpoint | Error {
    const list = this.registry.actions.get(name);
    if (list === undefined) return new ServiceNotFoundError({ action: name, nodeID });
    if (nodeID !== undefined) {
      const endpoint = list.getByNode(nodeID);
      if (endpoint === undefined) return new ServiceNotFoundError({ action: name, nodeID });
      return endpoint.available ? endpoint : new ServiceNotAvailableError({ action: name, nodeID });
    }
    if (this.balanced !== null && list.size > 0) return this.balanced.endpointFor(name, list.endpoints[0]);
    return list.next(ctx) ?? new ServiceNotAvailableError({ action: name });
  }

  /** No endpoint to run on: the call's fallback answers if it has one. */
  private noEndpoint(err: Error, ctx: Context): Promise<unknown> {
    const fallback = ctx.options.fallbackResponse;
    if (fallback === undefined) return Promise.reject(err);
    try {
      return Promise.resolve(typeof fallback === "function" ? (fallback as (c: Context, e: Error) => unknown)(ctx, err) : fallback);
    } catch (fallbackError) {
      return Promise.reject(fallbackError);
    }
  }

  /** Runs a context on a chosen endpoint; the timeout is resolved per attempt. */
  callEndpoint(endpoint: ActionEndpoint, ctx: Context): Promise<unknown> {
    const action = endpoint.action;
    ctx.endpoint = endpoint;
    ctx.action = action;
    if (endpoint.local) ctx.service = endpoint.service;
    let timeout = ctx.options.timeout ?? action.timeout ?? this.requestTimeout;
    // A per-call or per-action timeout past what timers take means "effectively forever": clamp it.
    if (timeout > MAX_TIMER_MS) timeout = MAX_TIMER_MS;
    let deadline = 0;
    if (timeout > 0 || ctx.capDeadline > 0) {
      const now = Date.now();
      if (timeout > 0) deadline = now + timeout;
      if (ctx.capDeadline > 0 && (deadline === 0 || ctx.capDeadline < deadline)) {
        deadline = ctx.capDeadline;
        timeout = deadline - now;
        if (timeout <= 0) return Promise.reject(new RequestSkippedError({ action: action.name, nodeID: this.broker.nodeID }));
      }
    }
    ctx.timeout = timeout;
    ctx.deadline = deadline;
    return endpoint.handler(ctx);
  }

  /** A new root or child context for a call. */
  createContext(params: unknown, opts: CallOptions): Context {
    const ctx = new Context(this.broker, params, opts);
    const parent = opts.parentCtx;
    if (parent !== undefined) {
      ctx.inherit(parent, opts.meta);
      if (this.maxCallLevel > 0 && ctx.level > this.maxCallLevel) {
        throw new MaxCallLevelError({ nodeID: this.broker.nodeID, level: ctx.level });
      }
      // A child never outlives its parent's deadline.
      const cap = parent.deadline > 0 ? parent.deadline : parent.capDeadline;
      if (cap > 0) ctx.capDeadline = cap;
    } else {
      if (opts.meta !== undefined) ctx.meta = { ...opts.meta };
      if (opts.requestID !== undefined) ctx.requestID = opts.requestID;
    }
    // Per call, never inherited (as in Moleculer 0.15); copied so a handler's changes stay its own.
    if (opts.headers !== undefined) ctx.headers = Object.assign({}, opts.headers);
    if (opts.stream !== undefined) ctx.stream = opts.stream;
    return ctx;
  }

  mcall(defs: McallInput, options: McallOptions | undefined): Promise<unknown> {
    const { settled, ...common } = options ?? {};
    const run = (def: McallDefinition) =>
      this.broker.call(def.action, def.params, def.options ? Object.assign({}, common, def.options) : common);
    if (Array.isArray(defs)) {
      const calls = defs.map(run);
      return settled ? Promise.allSettled(calls) : Promise.all(calls);
    }
    const keys = Object.keys(defs);
    const calls = keys.map((key) => run(defs[key]));
    return (settled ? Promise.allSettled(calls) : Promise.all(calls)).then((results) => {
      const out: Record<string, unknown> = {};
      keys.forEach((key, i) => (out[key] = results[i]));
      return out;
    });
  }
}
