export type { Middleware, MiddlewareSpec, CallFunction, EmitFunction } from "./middleware";
export { MiddlewareHost } from "./middleware-host";
export { validatorMiddleware } from "./validator";
