import type { ServiceBroker } from "../broker/service-broker";
import type { ActionEndpoint, ActionHandler, EventEndpoint, EventHandler } from "../registry/endpoint";
import type { ServiceRuntime } from "../service/service-runtime";
import type { CallFunction, EmitFunction, Middleware, MiddlewareSpec } from "./middleware";

/**
 * Holds the middlewares in order and composes their hooks. The first one
 * added is innermost (closest to the handler), as in Moleculer.
 */
export class MiddlewareHost {
  private readonly list: Middleware[] = [];

  constructor(private readonly broker: ServiceBroker) {}

  add(spec: MiddlewareSpec): Middleware {
    const mw = typeof spec === "function" ? spec(this.broker) : spec;
    this.list.push(mw);
    mw.created?.(this.broker);
    return mw;
  }

  get count(): number {
    return this.list.length;
  }

  names(): string[] {
    return this.list.map((m) => m.name ?? "anonymous");
  }

  wrapLocalAction(handler: ActionHandler, endpoint: ActionEndpoint): ActionHandler {
    for (const mw of this.list) if (mw.localAction) handler = mw.localAction(handler, endpoint);
    return handler;
  }

  wrapRemoteAction(handler: ActionHandler, endpoint: ActionEndpoint): ActionHandler {
    for (const mw of this.list) if (mw.remoteAction) handler = mw.remoteAction(handler, endpoint);
    return handler;
  }

  wrapLocalEvent(handler: EventHandler, endpoint: EventEndpoint): EventHandler {
    for (const mw of this.list) if (mw.localEvent) handler = mw.localEvent(handler, endpoint);
    return handler;
  }

  wrapCall(fn: CallFunction): CallFunction {
    for (const mw of this.list) if (mw.call) fn = mw.call(fn);
    return fn;
  }

  wrapEmit(kind: "emit" | "broadcast" | "broadcastLocal", fn: EmitFunction): EmitFunction {
    for (const mw of this.list) {
      const hook = mw[kind];
      if (hook) fn = hook.call(mw, fn);
    }
    return fn;
  }

  /** Runs a service lifecycle hook of every middleware, in order, awaiting each. */
  async callServiceHook(
    hook: "serviceCreated" | "serviceStarting" | "serviceStarted" | "serviceStopping" | "serviceStopped",
    service: ServiceRuntime,
  ): Promise<void> {
    for (const mw of this.list) await mw[hook]?.(service);
  }

  /** Runs a broker lifecycle hook; stopping hooks run in reverse order. */
  async callBrokerHook(hook: "starting" | "started" | "stopping" | "stopped"): Promise<void> {
    const list = hook === "stopping" || hook === "stopped" ? [...this.list].reverse() : this.list;
    for (const mw of list) await mw[hook]?.(this.broker);
  }
}
