import type { ActionEndpoint, ActionHandler } from "../registry/endpoint";
import type { ServiceRuntime } from "../service/service-runtime";
import type { PublishFunction, ReceiveFunction, SendFunction, TransitHooks } from "../transit/transit-hooks";
import { HandlerChains } from "./handler-chains";
import type { Middleware, MiddlewareSpec } from "./middleware";
import type { MiddlewareBroker } from "./middleware-broker";

/**
 * Holds the middlewares in order and runs their lifecycle hooks. The first
 * one added is innermost (closest to the handler), as in Moleculer; chains
 * are built from this list by `HandlerChains`.
 */
export class MiddlewareHost {
  private readonly middlewares: Middleware[] = [];
  /** The one builder of handler chains, reading this host's list. */
  readonly chains: HandlerChains = new HandlerChains(this);

  constructor(private readonly broker: MiddlewareBroker) {}

  add(spec: MiddlewareSpec): Middleware {
    const mw = typeof spec === "function" ? spec(this.broker) : spec;
    this.middlewares.push(mw);
    mw.created?.(this.broker);
    return mw;
  }

  /** The middlewares, innermost first. */
  get list(): readonly Middleware[] {
    return this.middlewares;
  }

  get count(): number {
    return this.middlewares.length;
  }

  names(): string[] {
    return this.middlewares.map((m) => m.name ?? "anonymous");
  }

  /** A remote action's chain: `chains.remoteAction` (transit's discovery calls it by this name). */
  wrapRemoteAction(handler: ActionHandler, endpoint: ActionEndpoint): ActionHandler {
    return this.chains.remoteAction(handler, endpoint);
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
    for (const mw of this.middlewares) await mw[hook]?.(service);
  }

  /** Runs a broker lifecycle hook; stopping hooks run in reverse order. */
  async callBrokerHook(hook: "starting" | "started" | "stopping" | "stopped"): Promise<void> {
    const list = hook === "stopping" || hook === "stopped" ? [...this.middlewares].reverse() : this.middlewares;
    for (const mw of list) await mw[hook]?.(this.broker);
  }
}
