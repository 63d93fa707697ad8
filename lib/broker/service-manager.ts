import type { DependencyContainer } from "tsyringe";
import type { Logger } from "pino";
import type { Constructor } from "../decorators/types";
import { ServiceSchemaError, toError } from "../errors";
import type { ContextTracker, InFlightCounter } from "../middleware/context-tracker";
import type { MiddlewareHost } from "../middleware/middleware-host";
import { ActionEndpoint, ActionHandler, EventEndpoint, EventHandler } from "../registry/endpoint";
import { registeredService, type Registry } from "../registry/registry";
import type { ServiceDescriptor } from "../service/descriptor";
import { dependencyNames, describe, readServiceOptions } from "../service/describe";
import { ServiceRuntime } from "../service/service-runtime";
import type { Context } from "./context";
import { SERVICE_DESCRIPTOR, SERVICE_LOGGER } from "./tokens";

type Callable = (...args: unknown[]) => unknown;

export interface ServiceManagerHost {
  readonly container: DependencyContainer;
  readonly tracker: ContextTracker;
  readonly logger: Logger;
  readonly middlewares: MiddlewareHost;
  readonly registry: Registry;
  waitForServices(names: string[], timeout?: number): Promise<void>;
  servicesChanged(localService: boolean): void;
}

/**
 * Creates services from classes (through the container), starts and stops
 * them, and turns each started service into registry endpoints with their
 * handler chains composed once.
 */
export class ServiceManager {
  readonly services: ServiceRuntime[] = [];
  private readonly created = new Map<ServiceRuntime, Promise<void>>();

  constructor(private readonly host: ServiceManagerHost) {}

  /** Resolves a decorated class through a per-service child container. */
  createFromClass(target: Constructor): ServiceRuntime {
    const descriptor = describe(target);
    const mixins = readServiceOptions(target).mixins ?? [];
    const logger = this.host.logger.child({ svc: descriptor.fullName });
    const scope = this.host.container.createChildContainer();
    scope.registerInstance(SERVICE_LOGGER, logger);
    scope.registerInstance(SERVICE_DESCRIPTOR, descriptor);
    const instance = scope.resolve(target);
    // Controllers and other services resolving the class get this same instance.
    this.host.container.registerInstance(target, instance);
    return this.add(new ServiceRuntime(descriptor, instance, logger, mixins));
  }

  /** Adds a service built from a descriptor and a handler object (test stubs, internal services). */
  createFromDescriptor(descriptor: ServiceDescriptor, instance: object): ServiceRuntime {
    const logger = this.host.logger.child({ svc: descriptor.fullName });
    return this.add(new ServiceRuntime(descriptor, instance, logger));
  }

  private add(runtime: ServiceRuntime): ServiceRuntime {
    if (this.services.some((s) => s.fullName === runtime.fullName)) {
      throw new ServiceSchemaError(`Service '${runtime.fullName}' is already registered on this node.`, {
        service: runtime.fullName,
      });
    }
    this.services.push(runtime);
    const created = (async () => {
      await runtime.runHook("created");
      await this.host.middlewares.callServiceHook("serviceCreated", runtime);
    })();
    created.catch(() => undefined); // awaited (and surfaced) by start()
    this.created.set(runtime, created);
    return runtime;
  }

  /** Resolves when every registered service's `created` hooks have run. */
  async whenCreated(): Promise<void> {
    await Promise.all(this.created.values());
  }

  async startAll(): Promise<void> {
    await Promise.all(this.services.map((s) => this.start(s)));
  }

  async start(runtime: ServiceRuntime): Promise<void> {
    if (runtime.started) return;
    await this.created.get(runtime);
    await this.host.middlewares.callServiceHook("serviceStarting", runtime);
    const deps = dependencyNames(runtime.descriptor);
    if (deps.length > 0) {
      runtime.logger.info({ dependencies: deps }, "Waiting for dependencies");
      await this.host.waitForServices(deps);
    }
    await runtime.runHook("started");
    this.registerEndpoints(runtime);
    runtime.started = true;
    await this.host.middlewares.callServiceHook("serviceStarted", runtime);
    this.host.servicesChanged(true);
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.services.map((s) => this.stop(s)));
  }

  async stop(runtime: ServiceRuntime): Promise<void> {
    if (!runtime.started) return;
    runtime.started = false;
    await this.host.middlewares.callServiceHook("serviceStopping", runtime);
    this.host.registry.unregisterService(this.host.registry.localNode.id, runtime.fullName);
    this.host.servicesChanged(true);
    try {
      await runtime.runHook("stopped");
    } catch (err) {
      runtime.logger.error({ err }, "Service 'stopped' hook failed");
    }
    await this.host.middlewares.callServiceHook("serviceStopped", runtime);
  }

  private registerEndpoints(runtime: ServiceRuntime): void {
    const { registry, middlewares, tracker } = this.host;
    const counter = tracker.counter(runtime.fullName);
    const node = registry.localNode;
    const { descriptor } = runtime;
    const item = registeredService(descriptor, node);
    const actions: ActionEndpoint[] = [];
    for (const action of descriptor.actions) {
      if (action.visibility === "private") continue; // reachable only through `this`
      const endpoint = new ActionEndpoint(node, item, action, unset);
      endpoint.handler = middlewares.wrapLocalAction(innermostLink(runtime.actionHandler(action), runtime.instance, counter, false), endpoint);
      actions.push(endpoint);
    }
    const events: EventEndpoint[] = [];
    for (const event of descriptor.events) {
      const endpoint = new EventEndpoint(node, item, event, unset);
      endpoint.handler = middlewares.wrapLocalEvent(innermostLink(runtime.method(event.method), runtime.instance, counter, true) as EventHandler, endpoint);
      events.push(endpoint);
    }
    registry.registerService(item, actions, events);
  }
}

function unset(): Promise<never> {
  return Promise.reject(new Error("Endpoint handler not composed yet"));
}

/**
 * The innermost link: calls the method with (params, ctx) and always yields
 * a promise. It counts the call as in flight (for graceful stop) only while
 * a returned promise is pending: a synchronous handler is never in flight.
 * Whatever the method throws or rejects with that is not an Error (`null`,
 * `undefined`, a string, a plain object) becomes one here (`toError`), so
 * every layer above, local caller or remote, sees an error.
 */
function innermostLink(fn: Callable, instance: object, counter: InFlightCounter | null, dropResult: boolean): ActionHandler {
  const onOk = (value: unknown) => {
    counter?.done();
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
    if (!(result instanceof Promise)) return dropResult ? RESOLVED : Promise.resolve(result);
    // Without tracking this `.then` is the only per-call cost of wrapping non-Errors (tracking pays it anyway).
    if (counter === null) return result.then(undefined, onErr);
    counter.inFlight++;
    return result.then(onOk, onErr);
  };
}

/** Shared: a settled promise can be handed to any number of callers. */
const RESOLVED: Promise<void> = Promise.resolve();
