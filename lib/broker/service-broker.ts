import { container as rootContainer, DependencyContainer } from "tsyringe";
import type { Cacher } from "../cachers";
import type { Constructor } from "../decorators/types";
import { BrokerOptionsError } from "../errors";
import type { CallOptions, EmitOptions, McallInput, McallOptions } from "../context/context";
import type { Metrics } from "../metrics/metrics";
import type { HealthReport } from "../metrics/health";
import { actionNameOf } from "../service/action-name";
import type { ActionArgs, ActionMethods, ActionResult } from "../context/context";
import { middlewareStack } from "../middleware/builtins";
import { ContextTracker } from "../middleware/context-tracker";
import type { VerbChains } from "../middleware/handler-chains";
import type { MiddlewareSpec } from "../middleware/middleware";
import type { MiddlewareBroker } from "../middleware/middleware-broker";
import { MiddlewareHost } from "../middleware/middleware-host";
import { Registry } from "../registry/registry";
import type { ServiceDescriptor } from "../service/descriptor";
import { describe } from "../service/describe";
import type { ServiceRuntime } from "../service/service-runtime";
import type { Strategy } from "../strategies";
import type { PongResult, Transit } from "../transit/transit";
import { describeValue } from "../utils/describe-value";
import { clampDelay } from "../utils/timer-limits";
import { generateUid } from "../utils/uid";
import type { Validator } from "../validation/validator";
import { CallDispatcher } from "./call-dispatcher";
import { EventBus, invalidEventName } from "./event-bus";
import { brokerHealth } from "./health";
import { createMetrics } from "./observability";
import { createLogger, Logger } from "./logger";
import { createNodeService, NodeServiceHost } from "./node-service";
import type { BrokerOptions, ResolvedOptions } from "./options";
import { createCacher, resolveValidator, strategyMaker } from "./plugins";
import { createTransit, wireTransit } from "./transit-wiring";
import { resolveOptions } from "./resolve-options";
import { ServiceManager } from "./service-manager";
import { MemoryTransporter } from "../transporters/memory";
import { createTracing, type Tracer } from "../tracing";
import { missingServicesMessage, waitFor } from "./wait-for-services";

/**
 * The broker: a thin front that delegates each verb to its module — calls
 * (`CallDispatcher`), events (`EventBus`), services (`ServiceManager`),
 * endpoints (`Registry`), hooks (`MiddlewareHost`).
 */
export class ServiceBroker implements MiddlewareBroker, NodeServiceHost {
  readonly options: ResolvedOptions;
  readonly nodeID: string;
  readonly namespace: string;
  readonly logger: Logger;
  readonly container: DependencyContainer;
  readonly registry: Registry;
  readonly middlewares: MiddlewareHost;
  readonly validator: Validator | null;
  /** In-flight handler counts; `stop()` drains them. */
  readonly tracker: ContextTracker;
  /** The cacher behind `@Cached` actions, if one is configured. */
  readonly cacher: Cacher | null;
  /** The protocol layer when a transporter is configured. */
  readonly transit: Transit | null;
  /** Metrics when the `metrics` option turns them on (prom-client loads then): `metrics.registry.registry` is the prom-client registry. */
  readonly metrics: Metrics | null;
  /** Random per broker instance (Moleculer's `instanceID`); kept across stop/start. */
  readonly instanceID = generateUid();
  /** The OpenTelemetry tracer when the `tracing` option is on (its `stats()` count exported and dropped spans). */
  readonly tracer: Tracer | null = null;

  private readonly dispatcher: CallDispatcher;
  private readonly strategies: Strategy[] = [];
  private readonly eventBus: EventBus;
  private readonly services: ServiceManager;
  private state: "created" | "starting" | "started" | "stopping" | "stopped" = "created";
  /** The stop in progress, so concurrent `stop()` calls share it. */
  private stopping_: Promise<void> | null = null;
  /** The verbs with their middleware hooks, composed before start (again after each `use()`). */
  private verbs: VerbChains;

  constructor(options: BrokerOptions = {}) {
    this.options = resolveOptions(options);
    this.nodeID = this.options.nodeID;
    this.namespace = this.options.namespace;
    this.logger = createLogger(this.options.logger, this.options.logLevel, this.nodeID);
    this.container = this.options.container ?? rootContainer.createChildContainer();
    this.container.registerInstance(ServiceBroker, this);

    const makeStrategy = strategyMaker(this, () => this.registry, this.strategies);
    makeStrategy(); // an unknown strategy fails here, not at the first registration
    this.registry = new Registry(this.nodeID, { preferLocal: this.options.registry.preferLocal, makeStrategy });
    this.middlewares = new MiddlewareHost(this);
    this.tracker = new ContextTracker(this, this.options.tracking);
    this.services = new ServiceManager({
      container: this.container,
      tracker: this.tracker,
      logger: this.logger,
      middlewares: this.middlewares,
      chains: this.middlewares.chains,
      registry: this.registry,
      waitForServices: (names, timeout) => this.waitForServices(names, timeout),
      servicesChanged: (localService) => this.servicesChanged(localService),
    });

    this.validator = resolveValidator(this.options.validator);
    const cacher = createCacher(this.options.cacher, this.options.serializer);
    this.metrics = createMetrics(this, cacher);
    this.cacher = cacher?.cacher ?? null;
    // Transit first: the call and event verbs get their remote ports from it in their constructors.
    this.transit = createTransit(this, this.options, {
      dispatcher: () => this.dispatcher,
      events: () => this.eventBus,
      chains: this.middlewares.chains,
    });
    const remote = this.transit ? wireTransit(this.transit, this.middlewares.chains) : null;
    const { requestTimeout, maxCallLevel } = this.options;
    const dispatcher = (this.dispatcher = new CallDispatcher(this, this.registry, remote?.calls ?? null, { requestTimeout, maxCallLevel }));
    this.eventBus = new EventBus(this, this.registry, this.logger, remote?.events ?? null);

    const o = this.options;
    const tracing = createTracing(o.tracing, this);
    const stack = middlewareStack(o.middlewares ?? [], {
      broker: this,
      validator: this.validator,
      cacher,
      tracker: this.tracker,
      redispatch: (ctx, avoidNodeID) => dispatcher.redispatch(ctx, avoidNodeID),
      bulkhead: o.bulkhead,
      circuitBreaker: o.circuitBreaker,
      retryPolicy: o.retryPolicy,
      observer: this.metrics?.observer,
      cacheSpans: tracing?.cacheSpans,
    });
    for (const mw of stack) this.middlewares.add(mw);
    // Tracing outside the built-ins: one span per call whatever retries, and it sees `fromCache`.
    if (tracing) {
      this.tracer = tracing.tracer;
      this.middlewares.add(tracing.middleware);
    }
    // Outside the built-ins: a request's time covers its retries, timeouts and fallback.
    if (this.metrics) this.middlewares.add(this.metrics.middleware);
    this.verbs = this.composeVerbs();
    const node = createNodeService(this);
    this.registerDescriptor(node.descriptor, node.handlers);
  }

  // ── services ──────────────────────────────────────────────────────────

  /** Creates services from decorated classes through the container. A running broker starts them at once. */
  register(...classes: Constructor[]): this {
    for (const target of classes) this.track(this.services.createFromClass(target));
    return this;
  }

  /**
   * Stops a local service (by class or full name) once its in-flight handlers
   * have finished, and forgets it: peers are told, and the name is free for
   * a new `register()`. Nothing happens for a name this node does not run.
   */
  async unregister(target: string | Constructor): Promise<void> {
    const fullName = typeof target === "string" ? target : describe(target).fullName;
    const runtime = this.services.services.find((s) => s.fullName === fullName);
    if (runtime) await this.services.remove(runtime);
  }

  /**
   * Swaps the running local service of the same full name for a new class
   * (hot reload) without a gap: new calls reach the new instance at once,
   * calls in flight finish on the old one, which then stops. Throws, keeping
   * the old one, if the new one fails to start. Without a running service of
   * that name it registers (and, on a started broker, starts) the class.
   */
  async replace(target: Constructor): Promise<void> {
    const fullName = describe(target).fullName;
    const old = this.services.services.find((s) => s.fullName === fullName);
    if (old && old.started && this.state === "started") {
      await this.services.replace(old, target);
      return;
    }
    if (old) await this.services.remove(old);
    const runtime = this.services.createFromClass(target);
    if (this.state !== "started") return;
    // A new name on a running broker: awaited, so a failed start reaches the caller (and leaves nothing behind).
    await this.services.start(runtime).catch(async (err: unknown) => {
      await this.services.remove(runtime);
      throw err;
    });
  }

  /** Registers a service from a descriptor and an object holding its handler methods. */
  registerDescriptor(descriptor: ServiceDescriptor, instance: object): ServiceRuntime {
    return this.track(this.services.createFromDescriptor(descriptor, instance));
  }

  /** The descriptor built from a decorated class. */
  describe(target: Constructor): ServiceDescriptor {
    return describe(target);
  }

  /** The running instance of a local service: typed when asked by class, `object` by full name. */
  getLocalService<S extends object>(service: Constructor<S>): S | undefined;
  getLocalService(fullName: string): object | undefined;
  getLocalService(target: string | Constructor): object | undefined {
    const fullName = typeof target === "string" ? target : describe(target).fullName;
    const instance = this.services.services.find((s) => s.fullName === fullName)?.instance;
    // By class, only an instance of that class (another class may use the same name).
    return typeof target === "string" || instance instanceof target ? instance : undefined;
  }

  get localServices(): readonly ServiceRuntime[] {
    return this.services.services;
  }

  /** Resolves when every named service (full names) is available somewhere in the cluster. */
  waitForServices(names: string | string[], timeout = 0, interval = 100): Promise<void> {
    const list = Array.isArray(names) ? names : [names];
    return waitFor(() => list.every((n) => this.registry.hasService(n)), timeout, interval, () => {
      const missing = list.filter((n) => !this.registry.hasService(n));
      return missingServicesMessage(missing, timeout, this.transit?.transporter instanceof MemoryTransporter);
    });
  }

  // ── lifecycle ─────────────────────────────────────────────────────────

  /** Liveness and readiness for orchestrators (also served by the Prometheus reporter as `/health/live`, `/health/ready`). */
  health(): HealthReport {
    const { state, registry, transit } = this;
    // The transporter's own flag: it drops while a NATS or Redis connection is re-established.
    const transporterConnected = transit ? transit.connected && transit.transporter.connected : null;
    return brokerHealth({ state, registry, localServices: this.services.services, transporterConnected });
  }

  get started(): boolean {
    return this.state === "started";
  }

  get stopping(): boolean {
    return this.state === "stopping";
  }

  async start(): Promise<void> {
    if (this.state === "started" || this.state === "starting") return;
    this.state = "starting";
    await this.services.whenCreated();
    await this.middlewares.callBrokerHook("starting");
    try {
      await this.transit?.connect();
    } catch (err) {
      await this.abortStart();
      throw err;
    }
    await this.services.startAll();
    this.state = "started";
    await this.transit?.announceReady();
    this.logger.info({ services: this.services.services.length }, "ServiceBroker started");
    await this.broadcastLocal("$broker.started");
    await this.middlewares.callBrokerHook("started");
  }

  /** The transporter never came up: release what start() may have armed, so the process can exit. */
  private async abortStart(): Promise<void> {
    for (const strategy of this.strategies) strategy.stop?.();
    await this.cacher?.close().catch((err: unknown) => this.logger.debug({ err }, "Cacher close after a failed start failed"));
    await this.metrics?.stop();
    this.state = "stopped";
  }

  /** Graceful: peers are told first, then new root calls are refused and in-flight work drains. */
  stop(): Promise<void> {
    if (this.stopping_ === null) {
      if (this.state !== "started" && this.state !== "starting") return Promise.resolve();
      this.stopping_ = this.doStop().finally(() => (this.stopping_ = null));
    }
    return this.stopping_;
  }

  private async doStop(): Promise<void> {
    // Announce the empty service list while still serving: requests peers sent
    // before they saw it are answered during transit's stopDelay.
    if (this.transit) await this.transit.announceLeaving();
    this.state = "stopping";
    await this.middlewares.callBrokerHook("stopping");
    await this.tracker.drain(this.transit ? () => this.transit!.pending.drained() : undefined);
    await this.services.stopAll();
    await this.transit?.disconnect();
    for (const strategy of this.strategies) strategy.stop?.();
    await this.cacher?.close();
    this.state = "stopped";
    await this.broadcastLocal("$broker.stopped");
    await this.middlewares.callBrokerHook("stopped");
    this.logger.info("ServiceBroker stopped");
  }

  // ── calls ─────────────────────────────────────────────────────────────

  /** Typed: `call(MathService, "add", { a, b })` infers params and result from the method. */
  call<S, K extends ActionMethods<S>>(service: Constructor<S>, action: K, ...args: ActionArgs<S[K]>): Promise<ActionResult<S[K]>>;
  call<R = unknown>(action: string, params?: unknown, options?: CallOptions): Promise<R>;
  call(target: string | Constructor, a?: unknown, b?: unknown, c?: unknown): Promise<unknown> {
    if (typeof target === "string") return this.verbs.call(target, a, b as CallOptions | undefined);
    if (typeof target !== "function") {
      const shown = describeValue(target);
      return Promise.reject(
        new BrokerOptionsError(`broker.call() needs an action name (a string) or a service class; got ${shown}.`, { action: shown }),
      );
    }
    let name: string;
    try {
      name = actionNameOf(target, a as string);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.verbs.call(name, b, c as CallOptions | undefined);
  }

  mcall<R = unknown>(defs: McallInput, options?: McallOptions): Promise<R> {
    return this.dispatcher.mcall(defs, options) as Promise<R>;
  }

  // ── events ────────────────────────────────────────────────────────────

  /** Balanced: one handler per subscribing group (optionally only `groups`). */
  emit(event: string, payload?: unknown, options?: EmitOptions): Promise<void> {
    const invalid = invalidEventName(event);
    if (invalid !== null) return Promise.reject(invalid);
    return this.verbs.emit(event, payload, options);
  }

  /** Every handler on every node. */
  broadcast(event: string, payload?: unknown, options?: EmitOptions): Promise<void> {
    const invalid = invalidEventName(event);
    if (invalid !== null) return Promise.reject(invalid);
    return this.verbs.broadcast(event, payload, options);
  }

  /** Every handler on this node only. */
  broadcastLocal(event: string, payload?: unknown, options?: EmitOptions): Promise<void> {
    const invalid = invalidEventName(event);
    if (invalid !== null) return Promise.reject(invalid);
    return this.verbs.broadcastLocal(event, payload, options);
  }

  // ── plumbing ──────────────────────────────────────────────────────────

  generateUid(): string {
    return generateUid();
  }

  /** `MathService`, `"add"` → `v2.math.add` (read once per class from its metadata). */
  actionName(service: Constructor, method: string): string {
    return actionNameOf(service, method);
  }

  /** Adds a middleware after construction; handlers composed from now on include it. */
  use(spec: MiddlewareSpec): void {
    if (this.state !== "created") throw new BrokerOptionsError("Middlewares can only be added before start().");
    this.middlewares.add(spec);
    this.verbs = this.composeVerbs();
  }

  /** The broker-level verbs (`call`, `emit`, …) with their hooks, composed once here, not per call. */
  private composeVerbs(): VerbChains {
    const { dispatcher, eventBus } = this;
    return this.middlewares.chains.verbs({
      call: (action, params, options) => dispatcher.call(action, params, options),
      emit: (e, p, o) => eventBus.emit(e, p, o),
      broadcast: (e, p, o) => eventBus.broadcast(e, p, o, false),
      broadcastLocal: (e, p, o) => eventBus.broadcast(e, p, o, true),
    });
  }

  private servicesChanged(localService: boolean): void {
    if (localService) {
      if (this.transit) this.transit.servicesChanged();
      else this.registry.localNode.seq++;
    }
    void this.broadcastLocal("$services.changed", { localService });
  }

  /** Round trip to one node, or to every known remote node (`null` for those that did not answer). */
  ping(nodeID: string, timeout?: number): Promise<PongResult | null>;
  ping(nodeID?: undefined, timeout?: number): Promise<Record<string, PongResult | null>>;
  async ping(nodeID?: string, timeout = 2000): Promise<PongResult | null | Record<string, PongResult | null>> {
    const transit = this.transit;
    if (!transit) throw new BrokerOptionsError("ping() needs a transporter.");
    timeout = clampDelay(timeout);
    if (nodeID !== undefined) return transit.ping(nodeID, timeout);
    const ids = [...this.registry.nodes.values()].filter((n) => !n.local && n.available).map((n) => n.id);
    const results = await Promise.all(ids.map((id) => transit.ping(id, timeout)));
    return Object.fromEntries(ids.map((id, i) => [id, results[i]]));
  }

  private track(runtime: ServiceRuntime): ServiceRuntime {
    if (this.state === "started") {
      this.services.start(runtime).catch((err) => this.logger.error({ err, service: runtime.fullName }, "Service start failed"));
    }
    return runtime;
  }
}
