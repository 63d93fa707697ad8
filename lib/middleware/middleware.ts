import type { CallFunction, EmitFunction } from "../context/context";
import type { ActionEndpoint, ActionHandler, EventEndpoint, EventHandler } from "../registry/endpoint";
import type { ServiceRuntime } from "../service/service-runtime";
import type { MiddlewareBroker } from "./middleware-broker";

type Hook<T = void> = (arg: T) => void | Promise<void>;

/**
 * A middleware: any subset of typed hooks. Wrapping hooks run once, when an
 * endpoint is registered (or at start for `call`/`emit`), never per call.
 */
export interface Middleware {
  name?: string;
  /** Called when the broker is constructed with this middleware. */
  created?(broker: MiddlewareBroker): void;
  localAction?(next: ActionHandler, endpoint: ActionEndpoint): ActionHandler;
  remoteAction?(next: ActionHandler, endpoint: ActionEndpoint): ActionHandler;
  localEvent?(next: EventHandler, endpoint: EventEndpoint): EventHandler;
  call?(next: CallFunction): CallFunction;
  emit?(next: EmitFunction): EmitFunction;
  broadcast?(next: EmitFunction): EmitFunction;
  broadcastLocal?(next: EmitFunction): EmitFunction;
  serviceCreated?: Hook<ServiceRuntime>;
  serviceStarting?: Hook<ServiceRuntime>;
  serviceStarted?: Hook<ServiceRuntime>;
  serviceStopping?: Hook<ServiceRuntime>;
  serviceStopped?: Hook<ServiceRuntime>;
  // Broker hooks are methods (bivariant parameters), so a middleware typed
  // against `ServiceBroker` — what a real broker passes — still type-checks.
  starting?(broker: MiddlewareBroker): void | Promise<void>;
  started?(broker: MiddlewareBroker): void | Promise<void>;
  stopping?(broker: MiddlewareBroker): void | Promise<void>;
  stopped?(broker: MiddlewareBroker): void | Promise<void>;
}

/**
 * A factory receiving the broker as its `MiddlewareBroker` port. Declared
 * through a method type for the same reason as the broker hooks: a factory
 * typed `(broker: ServiceBroker) => Middleware` is accepted too.
 */
export type MiddlewareFactory = { factory(broker: MiddlewareBroker): Middleware }["factory"];

/** A middleware object, or a factory receiving the broker. */
export type MiddlewareSpec = Middleware | MiddlewareFactory;

export type WrapHook = "localAction" | "remoteAction" | "localEvent";
export type LifecycleHook =
  | "serviceCreated"
  | "serviceStarting"
  | "serviceStarted"
  | "serviceStopping"
  | "serviceStopped"
  | "starting"
  | "started"
  | "stopping"
  | "stopped";
