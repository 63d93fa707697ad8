import type { CallOptions, EmitOptions } from "../broker/call-options";
import type { ServiceBroker } from "../broker/service-broker";
import type { ActionEndpoint, ActionHandler, EventEndpoint, EventHandler } from "../registry/endpoint";
import type { ServiceRuntime } from "../service/service-runtime";
import type { PublishFunction, ReceiveFunction, SendFunction } from "../transit/transit-hooks";

export type CallFunction = (action: string, params: unknown, options: CallOptions | undefined) => Promise<unknown>;
export type EmitFunction = (event: string, payload: unknown, options: EmitOptions | undefined) => Promise<void>;

type Hook<T = void> = (arg: T) => void | Promise<void>;

/**
 * A middleware: any subset of typed hooks. Wrapping hooks run once, when an
 * endpoint is registered (or at start for `call`/`emit`), never per call.
 */
export interface Middleware {
  name?: string;
  /** Called when the broker is constructed with this middleware. */
  created?(broker: ServiceBroker): void;
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
  starting?: Hook<ServiceBroker>;
  started?: Hook<ServiceBroker>;
  stopping?: Hook<ServiceBroker>;
  stopped?: Hook<ServiceBroker>;
}

/** A middleware object, or a factory receiving the broker. */
export type MiddlewareSpec = Middleware | ((broker: ServiceBroker) => Middleware);

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
