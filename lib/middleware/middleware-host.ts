import type { ServiceBroker } from "../broker/service-broker";
import type { ActionEndpoint, ActionHandler, EventEndpoint, EventHandler } from "../registry/endpoint";
import type { ServiceRuntime } from "../service/service-runtime";
import type { PublishFunction, ReceiveFunction, SendFunction, TransitHooks } from "../transit/transit-hooks";
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

  /**
   * Transit's port for the transit hooks. Each composes the middlewares
   * when transit calls it (once, at start); with none hooked it returns
   * `next` itself, and transit keeps its direct path.
   */
  transitHooks(): TransitHooks {
    return {
      publish: (next: PublishFunction) => {
        for (const mw of this.list) if (mw.transitPublish) next = mw.transitPublish(next);
        return next;
      },
      send: (next: SendFunction) => {
        for (const mw of this.list) if (mw.transporterSend) next = mw.transporterSend(next);
        return next;
      },
      receive: (next: ReceiveFunction) => {
        for (let i = this.list.length - 1; i >= 0; i--) {
          const mw = this.list[i];
          if (mw.transporterReceive) next = mw.transporterReceive(next);
        }
        return next;
      },
    };
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
