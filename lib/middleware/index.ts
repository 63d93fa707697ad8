export type { Middleware, MiddlewareSpec, MiddlewareFactory } from "./middleware";
export type { MiddlewareBroker, MiddlewareBrokerOptions } from "./middleware-broker";
export { MiddlewareHost } from "./middleware-host";
export { validatorMiddleware } from "./validator";
export type { RetryPolicyOptions, CircuitBreakerOptions, TrackingOptions } from "./options";
export type { CacherMiddlewareOptions } from "./cacher";
export { ContextTracker } from "./context-tracker";
