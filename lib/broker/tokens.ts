/** Injection tokens the broker provides to services and controllers. */

/** The service's own child logger (pino), bound per service: `@inject(SERVICE_LOGGER) logger: Logger`. */
export const SERVICE_LOGGER = Symbol.for("nucleon:service-logger");
/** The service's descriptor: `@inject(SERVICE_DESCRIPTOR)`. */
export const SERVICE_DESCRIPTOR = Symbol.for("nucleon:service-descriptor");
