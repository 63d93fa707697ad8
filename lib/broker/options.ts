import type { DependencyContainer } from "tsyringe";
import type { Cacher, CacherSpec } from "../cachers";
import type { BulkheadOptions } from "../decorators/types";
import type { MetricsOptions } from "../metrics/metrics";
import type { MiddlewareSpec } from "../middleware/middleware";
import type { CircuitBreakerOptions, RetryPolicyOptions, TrackingOptions } from "../middleware/options";
import type { Serializer } from "../serializers/serializer";
import type { Strategy, StrategyFactory } from "../strategies/strategy";
import type { TransitOptions } from "../transit/options";
import type { ProtocolVersion } from "../transit/packets";
import type { TracingOption } from "../tracing/options";
import type { Transporter } from "../transporters/transporter";
import type { PluginClass, PluginSpec } from "../utils/plugin-registry";
import type { Validator } from "../validation/validator";
import type { LoggerOption, LogLevel } from "./logger";

export interface RegistryOptions {
  /** Strategy name (`RoundRobin`, `Random`, …) or class. */
  strategy?: string | StrategyFactory;
  strategyOptions?: Record<string, unknown>;
  /** Call a local endpoint when there is one (default true). */
  preferLocal?: boolean;
}

export interface BrokerOptions {
  /** Unique in the namespace; `<hostname>-<pid>` by default. */
  nodeID?: string;
  namespace?: string;
  logger?: LoggerOption;
  logLevel?: LogLevel;
  /**
   * Default call timeout in ms; 0 = none (Moleculer's default). Every timer
   * option here is at most 2^31 - 1 ms (a `BrokerOptionsError` above: Node
   * would fire it at once); a per-call or per-action timeout above is clamped.
   */
  requestTimeout?: number;
  /** 0 = unlimited. */
  maxCallLevel?: number;
  /**
   * A validator instance, class, registered name (`Validators.register`) or
   * `{ type, options }`; `true`/unset = `ClassValidator`; `false` turns validation off.
   */
  validator?: PluginSpec<Validator> | boolean;
  middlewares?: MiddlewareSpec[];
  /** tsyringe container the services resolve from; a child of the root container by default. */
  container?: DependencyContainer;
  registry?: RegistryOptions;
  /** Published with the node's INFO (credentials masked: URL passwords, `password`/`token`/`…key` keys). */
  metadata?: Record<string, unknown>;
  retryPolicy?: RetryPolicyOptions;
  circuitBreaker?: CircuitBreakerOptions;
  bulkhead?: BulkheadOptions;
  /** In-flight tracking for graceful stop (on by default). */
  tracking?: TrackingOptions;
  /**
   * `"nats://…"`, `"redis://…"`, `"memory"`, `{ type, options }`, a class or an
   * instance; none = a single node. Names and schemes come from `Transporters`.
   */
  transporter?: PluginSpec<Transporter>;
  /** `"JSON"` (default), `"MsgPack"` (any name in `Serializers`), a class or an instance. */
  serializer?: PluginSpec<Serializer>;
  /** Seconds between heartbeats (10). */
  heartbeatInterval?: number;
  /** Seconds without a heartbeat before a node counts as gone (30). */
  heartbeatTimeout?: number;
  transit?: TransitOptions;
  /**
   * The Moleculer protocol this node speaks: `"4"` (default, Moleculer 0.14)
   * or `"5"` (Moleculer 0.15: `headers` on calls, responses and events).
   * Packets of the other version are dropped (see `transit.disableVersionCheck`).
   */
  protocolVersion?: ProtocolVersion;
  /**
   * Let the transporter balance (NATS and Memory queue groups): calls go to
   * `REQB.<action>` and emits to `EVENTB.<group>.<event>`, even local ones.
   * Ignored with a warning on transporters without a built-in balancer.
   */
  disableBalancer?: boolean;
  /** `"Memory"`, `"MemoryLRU"`, `"redis://…"`, `{ type, options }` (plus `maxParamsLength`, `lock`), a class or a `Cacher`. */
  cacher?: CacherSpec | CacherOptions;
  /**
   * OpenTelemetry spans for actions, remote calls and events: `true`, or
   * `{ exporter: "Console" | "Event" | "OTLP" | "Zipkin" | { type, options } | [...], sampling: { rate, tracesPerSecond }, tags }`.
   */
  tracing?: TracingOption;
  /** Moleculer's metrics on prom-client: `true`, or `{ reporter: "Prometheus", prefix, defaultLabels }` (see `MetricsOptions`). */
  metrics?: boolean | MetricsOptions;
}

/** A cacher spec with the middleware's own options beside it. */
export interface CacherOptions {
  /** A name or URL from `Cachers`, or a cacher class. */
  type: string | PluginClass<Cacher>;
  options?: Record<string, unknown> & { maxParamsLength?: number; lock?: boolean | Record<string, unknown> };
}

/** Options with every default applied. */
export interface ResolvedOptions extends BrokerOptions {
  nodeID: string;
  namespace: string;
  requestTimeout: number;
  maxCallLevel: number;
  registry: Required<Pick<RegistryOptions, "preferLocal">> & RegistryOptions;
  metadata: Record<string, unknown>;
}

export type { Strategy };
