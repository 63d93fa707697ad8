export type { Middleware, MiddlewareSpec, CallFunction, EmitFunction } from "./middleware";
export { MiddlewareHost } from "./middleware-host";
export { validatorMiddleware } from "./validator";
export type { RetryPolicyOptions, CircuitBreakerOptions, TrackingOptions } from "./options";
export type { CacherMiddlewareOptions } from "./cacher";
export { ContextTracker } from "./context-tracker";
