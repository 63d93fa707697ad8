import type { DependencyContainer } from "tsyringe";
import type { Logger } from "pino";
import type { Constructor } from "../decorators/types";
import { ServiceSchemaError } from "../errors";
import type { ContextTracker } from "../middleware/context-tracker";
import type { HandlerChains } from "../middleware/handler-chains";
import type { MiddlewareHost } from "../middleware/middleware-host";
import { ActionEndpoint, EventEndpoint } from "../registry/endpoint";
import { registeredService, type Registry } from "../registry/registry";
import type { ServiceDescriptor } from "../service/descriptor";
import { dependencyNames, describe, readServiceOptions } from "../service/describe";
import { ServiceRuntime } from "../service/service-runtime";
import { SERVICE_DESCRIPTOR, SERVICE_LOGGER } from "./tokens";

export interface ServiceManagerHost {
  readonly container: DependencyContainer;
  readonly tracker: ContextTracker;
  readonly logger: Logger;
  /** Runs the middlewares' service lifecycle hooks. */
  readonly middlewares: MiddlewareHost;
  /** Builds each endpoint's handler chain. */
  readonly chains: HandlerChains;
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
    return this.add(this.build(target));
  }

  private build(target: Constructor): ServiceRuntime {
    const descriptor = describe(target);
    const mixins = readServiceOptions(target).mixins ?? [];
    const logger = this.host.logger.child({ svc: descriptor.fullName });
    const scope = this.host.container.createChildContainer();
    scope.registerInstance(SERVICE_LOGGER, logger);
    scope.registerInstance(SERVICE_DESCRIPTOR, descriptor);
    const instance = scope.resolve(target);
    // Controllers and other services resolving the class get this same instance.
    this.host.container.registerInstance(target, instance);
    return new ServiceRuntime(descriptor, instance, logger, mixins);
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
    const created = this.runCreated(runtime);
    created.catch(() => undefined); // awaited (and surfaced) by start()
    this.created.set(runtime, created);
    return runtime;
  }

  private async runCreated(runtime: ServiceRuntime): Promise<void> {
    await runtime.runHook("created");
    await this.host.middlewares.callServiceHook("serviceCreated", runtime);
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
    await this.prepare(runtime);
    this.registerEndpoints(runtime);
    runtime.started = true;
    await this.host.middlewares.callServiceHook("serviceStarted", runtime);
    this.host.servicesChanged(true);
  }

  /** Everything of a start up to serving: hooks and dependencies. */
  private async prepare(runtime: ServiceRuntime): Promise<void> {
    await this.host.middlewares.callServiceHook("serviceStarting", runtime);
    const deps = dependencyNames(runtime.descriptor);
    if (deps.length > 0) {
      runtime.logger.info({ dependencies: deps }, "Waiting for dependencies");
      await this.host.waitForServices(deps);
    }
    await runtime.runHook("started");
  }

  /**
   * Swaps a started service for a new class of the same full name (hot
   * reload) with no moment where neither serves: the new one starts, its
   * endpoints replace the old ones in one synchronous step, then the old one
   * drains its in-flight handlers and stops. If the new one fails to start,
   * the old one keeps serving.
   */
  async replace(old: ServiceRuntime, target: Constructor): Promise<ServiceRuntime> {
    const fresh = this.build(target);
    if (fresh.fullName !== old.fullName) {
      throw new ServiceSchemaError(`Cannot replace '${old.fullName}' with '${fresh.fullName}': the full names differ.`, { service: old.fullName });
    }
    await this.runCreated(fresh);
    await this.prepare(fresh);
    const drained = this.host.tracker.detach(old.fullName);
    this.host.registry.unregisterService(this.host.registry.localNode.id, old.fullName);
    this.registerEndpoints(fresh);
    fresh.started = true;
    this.services[this.services.indexOf(old)] = fresh;
    this.created.delete(old);
    this.created.set(fresh, Promise.resolve());
    this.host.servicesChanged(true);
    await this.host.middlewares.callServiceHook("serviceStarted", fresh);
    await this.retire(old, drained);
    return fresh;
  }

  /** Stops a service after its in-flight handlers drained, and forgets it: its name is free again. */
  async remove(runtime: ServiceRuntime): Promise<void> {
    const index = this.services.indexOf(runtime);
    if (index < 0) return;
    this.services.splice(index, 1);
    this.created.delete(runtime);
    if (!runtime.started) return;
    this.host.registry.unregisterService(this.host.registry.localNode.id, runtime.fullName);
    this.host.servicesChanged(true);
    await this.retire(runtime, this.host.tracker.detach(runtime.fullName));
  }

  /** The stop of a service that no longer has endpoints: drain, then its hooks. */
  private async retire(runtime: ServiceRuntime, drained: () => Promise<void>): Promise<void> {
    runtime.started = false;
    await this.host.middlewares.callServiceHook("serviceStopping", runtime);
    await drained();
    try {
      await runtime.runHook("stopped");
    } catch (err) {
      runtime.logger.error({ err }, "Service 'stopped' hook failed");
    }
    await this.host.middlewares.callServiceHook("serviceStopped", runtime);
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
    const { registry, chains, tracker } = this.host;
    const counter = tracker.counter(runtime.fullName);
    const node = registry.localNode;
    const { descriptor } = runtime;
    const item = registeredService(descriptor, node);
    const actions: ActionEndpoint[] = [];
    for (const action of descriptor.actions) {
      if (action.visibility === "private") continue; // reachable only through `this`
      const endpoint = new ActionEndpoint(node, item, action, unset);
      endpoint.handler = chains.localAction({ fn: runtime.actionHandler(action), instance: runtime.instance }, endpoint, counter);
      actions.push(endpoint);
    }
    const events: EventEndpoint[] = [];
    for (const event of descriptor.events) {
      const endpoint = new EventEndpoint(node, item, event, unset);
      endpoint.handler = chains.localEvent({ fn: runtime.method(event.method), instance: runtime.instance }, endpoint, counter);
      events.push(endpoint);
    }
    registry.registerService(item, actions, events);
  }
}

function unset(): Promise<never> {
  return Promise.reject(new Error("Endpoint handler not composed yet"));
}
