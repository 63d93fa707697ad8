import type { Logger } from "pino";
import type { Constructor } from "../decorators/types";
import { ServiceSchemaError } from "../errors";
import { withActionHooks } from "./action-hooks";
import type { ActionDescriptor, ServiceDescriptor } from "./descriptor";
import { LIFECYCLE_METHODS, LifecycleMethod } from "./lifecycle";

type Callable = (...args: unknown[]) => unknown;

/**
 * A running local service: its descriptor, the instance the container built,
 * its logger, and its lifecycle. Mixins contribute methods the class lacks,
 * and their lifecycle hooks run before the class's own.
 */
export class ServiceRuntime {
  readonly name: string;
  readonly fullName: string;
  readonly version?: number | string;
  started = false;
  /** In-flight handler count (graceful stop waits for it to reach 0). */
  inFlight = 0;

  constructor(
    readonly descriptor: ServiceDescriptor,
    readonly instance: object,
    readonly logger: Logger,
    private readonly mixins: readonly Constructor[] = [],
  ) {
    this.name = descriptor.name;
    this.fullName = descriptor.fullName;
    this.version = descriptor.version;
    this.mergeMixinMethods();
    this.checkHandlers();
  }

  get settings(): Record<string, unknown> {
    return this.descriptor.settings;
  }

  /** The instance's method, bound, for a descriptor's `method`. */
  method(name: string): Callable {
    const fn = (this.instance as Record<string, unknown>)[name];
    if (typeof fn !== "function") {
      throw new ServiceSchemaError(`Service '${this.fullName}' has no method '${name}'.`, { service: this.fullName, method: name });
    }
    return fn as Callable;
  }

  /**
   * What the chain builder calls for an action: the bare method, or, if the
   * action has `@Before`/`@After`/`@OnError` hooks, the method wrapped with
   * them (composed here once per start, never per call).
   */
  actionHandler(action: ActionDescriptor): Callable {
    const handler = this.method(action.method);
    const { hooks } = action;
    if (hooks === undefined) return handler;
    const resolve = (names: readonly string[]) => names.map((name) => this.method(name));
    return withActionHooks(handler, { before: resolve(hooks.before), after: resolve(hooks.after), error: resolve(hooks.error) }, this.instance);
  }

  async runHook(hook: LifecycleMethod): Promise<void> {
    for (const mixin of this.mixins) {
      const fn = (mixin.prototype as Record<string, unknown>)[hook];
      if (typeof fn === "function") await (fn as Callable).call(this.instance);
    }
    const own = (this.instance as Record<string, unknown>)[hook];
    const fromMixinOnly = this.mixins.some((m) => (m.prototype as Record<string, unknown>)[hook] === own);
    if (typeof own === "function" && !fromMixinOnly) await (own as Callable).call(this.instance);
  }

  private mergeMixinMethods(): void {
    const target = this.instance as Record<string, unknown>;
    for (const mixin of this.mixins) {
      for (const key of Object.getOwnPropertyNames(mixin.prototype)) {
        if (key === "constructor" || (LIFECYCLE_METHODS as readonly string[]).includes(key) || key in target) continue;
        const descriptor = Object.getOwnPropertyDescriptor(mixin.prototype, key);
        if (descriptor && typeof descriptor.value === "function") target[key] = descriptor.value;
      }
    }
  }

  private checkHandlers(): void {
    for (const action of this.descriptor.actions) this.method(action.method);
    for (const event of this.descriptor.events) this.method(event.method);
    for (const action of this.descriptor.actions) if (action.fallback) this.method(action.fallback);
    for (const { hooks } of this.descriptor.actions) if (hooks) [...hooks.before, ...hooks.after, ...hooks.error].forEach((m) => this.method(m));
  }
}
