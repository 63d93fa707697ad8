export { ServiceBroker } from "./service-broker";
export { Context } from "./context";
export type { Meta, ContextService, ContextEndpoint } from "./context";
export type { CallOptions, EmitOptions, McallDefinition, McallOptions, FallbackResponse } from "./call-options";
export type { BrokerOptions, RegistryOptions } from "./options";
export type { Logger, LoggerOption, LogLevel, PrettyLoggerOptions } from "./logger";
export type { ActionArgs, ActionMethods, ActionResult } from "./typed-call";
export { SERVICE_LOGGER, SERVICE_DESCRIPTOR } from "./tokens";
