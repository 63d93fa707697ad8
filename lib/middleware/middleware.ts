import type { CallFunction, EmitFunction } from "../context/context";
import type { ActionEndpoint, ActionHandler, EventEndpoint, EventHandler } from "../registry/endpoint";
import type { ServiceRuntime } from "../service/service-runtime";
import type { PublishFunction, ReceiveFunction, SendFunction } from "../transit/transit-hooks";
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
  /** Transit hooks (Moleculer's names), composed once at start. Every packet transit publishes, before serialization. */
  transitPublish?(next: PublishFunction): PublishFunction;
  /** The serialized bytes sent on a topic: where compression and encryption change them. */
  transporterSend?(next: SendFunction): SendFunction;
  /**
   * The bytes received for a command, before deserialization. Composed in
   * reverse order (as Moleculer does), so the first middleware added is the
   * nearest the wire both ways: it sends last and receives first.
   */
  transporterReceive?(next: ReceiveFunction): ReceiveFunction;
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
