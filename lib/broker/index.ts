export { ServiceBroker } from "./service-broker";
export type { BrokerOptions, RegistryOptions } from "./options";
export type { Logger, LoggerOption, LogLevel, PrettyLoggerOptions } from "./logger";
export { SERVICE_LOGGER, SERVICE_DESCRIPTOR } from "./tokens";
