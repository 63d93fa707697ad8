/*
 * `nucleon/gateway`: the HTTP API gateway. A subpath of its own, so
 * `import "nucleon"` never loads fastify (an optional peer dependency).
 */
export { Gateway } from "./gateway";
export { errorToHttp, type ErrorBody } from "./http-errors";
export { GatewayOptionsError, RouteNotFoundError, UnauthorizedError, ForbiddenError, UnsupportedMediaTypeError } from "./gateway-errors";
export type {
  AliasInfo,
  AliasTarget,
  GatewayHooks,
  GatewayMiddleware,
  GatewayReply,
  GatewayRequest,
  GatewaySettings,
  HttpMethod,
  RateLimitSettings,
  ResponseMeta,
  RestActionName,
  RouteSettings,
} from "./types";
