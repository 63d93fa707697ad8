import "reflect-metadata";

/*
 * The public API: what users write services, middlewares and plugins with.
 * Internal classes (Transit, MiddlewareHost, the registry's catalogs, LruMap…)
 * stay out of it, so they can change without breaking anyone.
 */

// One import for a controller: the DI decorators services and controllers use.
export { injectable, inject, singleton, container } from "tsyringe";
export type { DependencyContainer, InjectionToken } from "tsyringe";

// Services: decorators, descriptors, lifecycle.
export * from "./decorators";
export { describe, serviceFullName, defaultServiceName } from "./service";
export type {
  ServiceDescriptor,
  ActionDescriptor,
  ActionHooks,
  EventDescriptor,
  DependencyDescriptor,
  OnServiceCreated,
  OnServiceStarted,
  OnServiceStopped,
  ServiceRuntime,
} from "./service";

// The broker, its options and what a call carries.
export * from "./broker";
export * from "./context";
export * from "./errors";

// Middlewares: the hook interface, the broker they see, built-in options.
export type { Middleware, MiddlewareSpec, MiddlewareFactory, MiddlewareBroker, MiddlewareBrokerOptions } from "./middleware";
export type { RetryPolicyOptions, CircuitBreakerOptions, TrackingOptions, CacherMiddlewareOptions } from "./middleware";
export type { ActionEndpoint, EventEndpoint, ActionHandler, EventHandler, ServiceItem } from "./registry/endpoint";
export type { NodeInfo } from "./registry/node";
export type { TransitOptions, PongResult } from "./transit";
export type { OutgoingPacket, PublishFunction, ReceiveFunction, SendFunction, SendMeta } from "./transit";
export type {
  PacketBase,
  RequestPacket,
  ResponsePacket,
  EventPacket,
  InfoPacket,
  DiscoverPacket,
  HeartbeatPacket,
  PingPacket,
  PongPacket,
  DisconnectPacket,
  ServicePayload,
  ActionPayload,
  EventPayload,
} from "./transit";
export { PROTOCOL_VERSION } from "./transit";

// Plugins: one interface and one registry per family, and the built-in implementations.
export { PluginRegistry } from "./utils/plugin-registry";
export type { PluginSpec, PluginClass, PluginOptionsObject, PluginRegistration } from "./utils/plugin-registry";
export { loadDriver } from "./utils/load-driver";
export {
  Transporters,
  resolveTransporter,
  isTransporter,
  BaseTransporter,
  SubjectTransporter,
  NatsTransporter,
  RedisTransporter,
  MemoryTransporter,
  MemoryBus,
  sharedMemoryBus,
} from "./transporters";
export type {
  Transporter,
  TransporterSpec,
  TransporterHandlers,
  TransporterInit,
  PacketCommand,
  NatsTransporterOptions,
  NatsClientOptions,
  RedisTransporterOptions,
  RedisClientOptions,
  MemoryTransporterOptions,
} from "./transporters";
export { Serializers, resolveSerializer, isSerializer, JSONSerializer, MsgPackSerializer } from "./serializers";
export type { Serializer, SerializerSpec } from "./serializers";
export { Cachers, resolveCacher, isCacher, MemoryCacher, MemoryLRUCacher, RedisCacher } from "./cachers";
export type { Cacher, CacherSpec, MemoryCacherOptions, MemoryLRUCacherOptions, RedisCacherOptions, RedisCacherLockOptions } from "./cachers";
export {
  Strategies,
  isStrategy,
  RoundRobinStrategy,
  RandomStrategy,
  CpuUsageStrategy,
  LatencyStrategy,
  ShardStrategy,
} from "./strategies";
export type { Strategy, StrategySpec, StrategyServices, StrategyFactory, SelectableEndpoint, SelectionContext } from "./strategies";
export { Validators, isValidator, ClassValidator } from "./validation";
export type { Validator, CheckFunction, ClassValidatorOptions } from "./validation";
export {
  TraceExporters,
  ConsoleTraceExporter,
  EventTraceExporter,
  OtlpTraceExporter,
  ZipkinTraceExporter,
  TraceSampler,
  spanIdOf,
  traceIdOf,
  callerSpanIdOf,
  parseTraceparent,
  formatTraceparent,
  TRACEPARENT,
} from "./tracing";
export type {
  TracingOption,
  TracingOptions,
  TraceExporter,
  TraceExporterHost,
  TraceExporterSpec,
  BatchOptions,
  SamplingOptions,
  TagSpec,
  SpanView,
  Tracer,
  TracerStats,
  TraceParent,
} from "./tracing";

// The interactive REPL on a broker (`startRepl(broker)`; node:repl loads when it starts).
export { startRepl, type ReplOptions, type ReplHandle } from "./cli/repl";


// Metrics and health: Moleculer's metrics on prom-client (an optional peer, loaded when metrics are on), and their reporters.
export { MetricReporters, isMetricReporter, PrometheusReporter, ConsoleReporter, EventReporter, METRICS, promName } from "./metrics";
export type {
  MetricsOptions,
  MetricReporter,
  MetricReporterSpec,
  ReporterHost,
  PrometheusReporterOptions,
  ConsoleReporterOptions,
  EventReporterOptions,
  MetricDefinition,
  MetricSnapshot,
  MetricValueSnapshot,
  HealthReport,
  HealthCheck,
  Metrics,
  MetricsRegistry,
} from "./metrics";
export type { FaultObserver, BulkheadReport } from "./middleware/fault-observer";

// The `nucleon` runner: `export default defineConfig({ … })` in nucleon.config.ts.
export { defineConfig } from "./cli/config/define-config";
export type { NucleonConfig } from "./cli/config/define-config";
