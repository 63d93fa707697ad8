import type { Context } from "../context/context";
import type { CallFunction, EmitFunction } from "../context/context";
import { toError } from "../errors";
import { isReadable, settled } from "../utils/readable";
import type { ActionEndpoint, ActionHandler, EventEndpoint, EventHandler } from "../registry/endpoint";
import type { PublishFunction, ReceiveFunction, SendFunction, TransitHooks } from "../transit/transit-hooks";
import type { InFlightCounter } from "./context-tracker";
import { fulfilled, isPlainValue, markFulfilled } from "./fulfilled";
import type { Middleware } from "./middleware";

type Callable = (...args: unknown[]) => unknown;

/** Where the hooks come from (the `MiddlewareHost`), read each time a chain is built. */
export interface HookSource {
  readonly list: readonly Middleware[];
}

/** A local handler: a service method and the instance it runs on. */
export interface LocalMethod {
  readonly fn: Callable;
  readonly instance: object;
}

/** The innermost functions of the broker-level verbs. */
export interface VerbTargets {
  readonly call: CallFunction;
  readonly emit: EmitFunction;
  readonly broadcast: EmitFunction;
  readonly broadcastLocal: EmitFunction;
}

/** The same verbs with every middleware's `call`/`emit`/`broadcast`/`broadcastLocal` hook around them. */
export type VerbChains = VerbTargets;

/**
 * The one place handler chains are built: local actions and events (service
 * method → hooks), remote actions (transit's request → hooks), the
 * broker's verbs and transit's byte hooks. Each chain is composed once, when its endpoint is
 * registered (or when the broker composes its verbs), never per call. The
 * first middleware in the list is innermost (closest to the handler), as in
 * Moleculer; `builtins.ts` holds the built-in order.
 */
export class HandlerChains {
  constructor(private readonly hooks: HookSource) {}

  /** A local action: the service method (counted in flight for graceful stop), then every `localAction` hook. */
  localAction(method: LocalMethod, endpoint: ActionEndpoint, counter: InFlightCounter | null): ActionHandler {
    let handler = innermostLink(method, counter, false);
    for (const mw of this.hooks.list) if (mw.localAction) handler = mw.localAction(handler, endpoint);
    return handler;
  }

  /** A remote action: `send` (transit's request) wrapped in every `remoteAction` hook. */
  remoteAction(send: ActionHandler, endpoint: ActionEndpoint): ActionHandler {
    let handler = send;
    for (const mw of this.hooks.list) if (mw.remoteAction) handler = mw.remoteAction(handler, endpoint);
    return handler;
  }

  /** A local event handler: the service method (its result dropped), then every `localEvent` hook. */
  localEvent(method: LocalMethod, endpoint: EventEndpoint, counter: InFlightCounter | null): EventHandler {
    let handler = innermostLink(method, counter, true) as EventHandler;
    for (const mw of this.hooks.list) if (mw.localEvent) handler = mw.localEvent(handler, endpoint);
    return handler;
  }

  /** The broker-level verbs, each wrapped in its hooks. */
  verbs(targets: VerbTargets): VerbChains {
    let call = targets.call;
    for (const mw of this.hooks.list) if (mw.call) call = mw.call(call);
    return {
      call,
      emit: this.emitChain("emit", targets.emit),
      broadcast: this.emitChain("broadcast", targets.broadcast),
      broadcastLocal: this.emitChain("broadcastLocal", targets.broadcastLocal),
    };
  }

  /**
   * Transit's hooks (`transitPublish`, `transporterSend`, `transporterReceive`),
   * composed when transit calls them (once, at start); with none hooked each
   * returns `next` itself, and transit keeps its direct path. The first
   * middleware is nearest the wire both ways: receive composes in reverse.
   */
  transit(): TransitHooks {
    return {
      publish: (next: PublishFunction) => {
        for (const mw of this.hooks.list) if (mw.transitPublish) next = mw.transitPublish(next);
        return next;
      },
      send: (next: SendFunction) => {
        for (const mw of this.hooks.list) if (mw.transporterSend) next = mw.transporterSend(next);
        return next;
      },
      receive: (next: ReceiveFunction) => {
        for (let i = this.hooks.list.length - 1; i >= 0; i--) {
          const mw = this.hooks.list[i];
          if (mw.transporterReceive) next = mw.transporterReceive(next);
        }
        return next;
      },
    };
  }

  private emitChain(kind: "emit" | "broadcast" | "broadcastLocal", fn: EmitFunction): EmitFunction {
    for (const mw of this.hooks.list) {
      const hook = mw[kind];
      if (hook) fn = hook.call(mw, fn);
    }
    return fn;
  }
}

/**
 * The innermost link: calls the method with (params, ctx) and always yields
 * a promise. It counts the call as in flight (for graceful stop) only while
 * a returned promise is pending, and while a returned Readable (a response
 * stream) has not ended: a synchronous handler is never in flight.
 * Whatever the method throws or rejects with that is not an Error (`null`,
 * `undefined`, a string, a plain object) becomes one here (`toError`), so
 * every layer above, local caller or remote, sees an error.
 */
function innermostLink({ fn, instance }: LocalMethod, counter: InFlightCounter | null, dropResult: boolean): ActionHandler {
  const onOk = (value: unknown) => {
    // A response stream is in flight until it ends: graceful stop waits for it too.
    if (counter !== null && isReadable(value)) void settled(value).then(() => counter.done());
    else counter?.done();
    return dropResult ? undefined : value;
  };
  const onErr = (err: unknown) => {
    counter?.done();
    throw toError(err);
  };
  return (ctx: Context) => {
    let result: unknown;
    try {
      result = fn.call(instance, ctx.params, ctx);
    } catch (err) {
      return Promise.reject(toError(err));
    }
    if (!(result instanceof Promise)) {
      if (counter !== null && isReadable(result)) {
        counter.inFlight++;
        return Promise.resolve(onOk(result));
      }
      // A plain value: the promise is marked fulfilled, so metrics and tracing can skip their `.then`.
      if (dropResult) return markFulfilled(RESOLVED);
      return isPlainValue(result) ? fulfilled(result) : Promise.resolve(result);
    }
    // Without tracking this `.then` is the only per-call cost of wrapping non-Errors (tracking pays it anyway).
    if (counter === null) return result.then(undefined, onErr);
    counter.inFlight++;
    return result.then(onOk, onErr);
  };
}

/** Shared: a settled promise can be handed to any number of callers. */
const RESOLVED: Promise<void> = Promise.resolve();
