import type { ServiceRuntime } from "../service/service-runtime";
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
