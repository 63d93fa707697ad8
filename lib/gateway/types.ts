import type { FastifyReply, FastifyRequest } from "fastify";
import type { CallOptions, Context } from "../context/context";

/** The HTTP request and reply the hooks see: fastify's own. */
export type GatewayRequest = FastifyRequest;
export type GatewayReply = FastifyReply;

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/**
 * A route-level or global middleware. It may answer by itself (`reply.send`),
 * which ends the request; throwing answers with the mapped error.
 */
export type GatewayMiddleware = (req: GatewayRequest, reply: GatewayReply) => void | Promise<void>;

/** The REST shorthand's action names (`"REST /posts": "posts"` → `posts.list`, `posts.get`, …). */
export type RestActionName = "list" | "get" | "create" | "update" | "patch" | "remove";

/** An alias target: an action name, or the REST shorthand with `only`/`except`. */
export type AliasTarget = string | { action: string; only?: RestActionName[]; except?: RestActionName[] };

export interface RouteSettings {
  /** Names the route for `removeRoute`; its path when absent. */
  name?: string;
  /** Prefix of every alias of the route: `/api`. */
  path: string;
  /** `"GET /users/:id": "users.get"`, `"REST /posts": "posts"`, `"/any-method": "svc.act"`. */
  aliases?: Record<string, AliasTarget>;
  /** Aliases from the actions' `@Action({ rest })`, following services as they join and leave. */
  autoAliases?: boolean;
  /**
   * `all`: `/api/v2/math/add` also calls `v2.math.add` without an alias;
   * `restrict`: aliases only. Default: `restrict` when the route has aliases or autoAliases.
   */
  mappingPolicy?: "all" | "restrict";
  /** Action names (wildcards `*`, `**`) reachable through this route; all when absent. */
  whitelist?: string[];
  /** Action names never reachable through this route. */
  blacklist?: string[];
  /** Calls the gateway's `authenticate` hook first; what it returns becomes `ctx.meta.user`. */
  authentication?: boolean;
  /** Calls the gateway's `authorize` hook after authentication. */
  authorization?: boolean;
  /** Route-level middlewares, run in order after the global ones. */
  use?: GatewayMiddleware[];
  /** Body formats the route accepts (both by default); another content type gets 415. */
  bodyParsers?: { json?: boolean; urlencoded?: boolean };
  /** Options of every call the route makes (timeout, retries…). */
  callOptions?: Pick<CallOptions, "timeout" | "retries">;
  /**
   * Largest body in bytes for this route's aliases (overrides the gateway's
   * `bodyLimit`); also caps a `stream:` alias's raw body and, unless
   * `multipart.fileSize` says otherwise, each file of a `multipart:` alias.
   */
  bodyLimit?: number;
  /** Limits of `multipart:` aliases (busboy's): over one → 413. */
  multipart?: MultipartLimits;
}

/** Per-request limits of a `multipart:` alias. */
export interface MultipartLimits {
  /** Bytes per file (default: the route's, else the gateway's `bodyLimit`). */
  fileSize?: number;
  /** Files per request (default unlimited); with 1, the answer is the one call's result, not a list. */
  files?: number;
  /** Non-file fields per request (default unlimited). */
  fields?: number;
  /** Bytes per field value (default 1 MiB). */
  fieldSize?: number;
  /** Fields + files per request (default 1000). */
  parts?: number;
}

/** Rate limiting per client IP, by @fastify/rate-limit. */
export interface RateLimitSettings {
  /** Requests per window (default 100). */
  max?: number;
  /** Window in ms (default 60,000). */
  timeWindow?: number;
  /** A Redis URL (`redis://127.0.0.1:6379`) shares the counters across gateways; in memory otherwise. */
  redis?: string;
  /** Key prefix in Redis (default `nucleon-gw-rl:`): gateways sharing it share the quota. */
  prefix?: string;
}

export interface GatewaySettings {
  /** Default 3000; 0 picks a free port (read it back from `gateway.url`). */
  port?: number;
  /** Default 127.0.0.1 (loopback only): set `0.0.0.0` to serve other hosts. */
  host?: string;
  routes?: RouteSettings[];
  /** Global middlewares, run for every request that matched an alias. */
  use?: GatewayMiddleware[];
  /** CORS by @fastify/cors: `true` for its defaults, or its options. */
  cors?: boolean | { origin?: boolean | string | string[]; methods?: string[]; credentials?: boolean; maxAge?: number; exposedHeaders?: string[] };
  rateLimit?: RateLimitSettings | false;
  /** Largest accepted body in bytes (default 1 MiB); a larger one gets 413. */
  bodyLimit?: number;
  /** No stack traces nor internal details in error bodies (default: NODE_ENV === "production"). */
  production?: boolean;
  /** Socket timeouts in ms: a slow or idle client is disconnected. */
  timeouts?: { request?: number; headers?: number; keepAlive?: number; connection?: number };
  /** Logs one line per request through the broker's pino logger (default true). */
  logRequests?: boolean;
  /** OpenAPI document at `/openapi.json` and docs page at `/docs` (default on). */
  openapi?: false | { title?: string; version?: string; description?: string; path?: string; docsPath?: string };
  /** Weak ETag on GET answers, with 304 for a matching If-None-Match (default true). */
  etag?: boolean;
}

/** One alias as the gateway serves it. */
export interface AliasInfo {
  method: HttpMethod | "*";
  /** Full path with the route prefix: `/api/users/:id`. */
  path: string;
  action: string;
  /** Name of the route it belongs to. */
  route: string;
  /** From `@Action({ rest })` rather than the route's settings. */
  auto: boolean;
  /**
   * `"multipart:files.save"`: one call per uploaded file, `ctx.stream` = the file;
   * `"stream:files.save"`: the raw body as `ctx.stream`. A plain call when absent.
   */
  type?: "multipart" | "stream";
}

/** What `ctx.meta` may carry back to shape the HTTP answer (as in moleculer-web). */
export interface ResponseMeta {
  $statusCode?: number;
  $statusMessage?: string;
  $responseType?: string;
  $responseHeaders?: Record<string, string>;
  $location?: string;
  user?: unknown;
}

/** The hooks a gateway may implement; each is typed, and each is optional. */
export interface GatewayHooks {
  /** Returns the user (put in `ctx.meta.user`) or throws (→ 401). */
  authenticate?(ctx: Context, route: RouteSettings, req: GatewayRequest): unknown;
  /** Throws to refuse (→ 403 unless the error has its own code). */
  authorize?(ctx: Context, route: RouteSettings, req: GatewayRequest): void | Promise<void>;
  onBeforeCall?(ctx: Context, route: RouteSettings, req: GatewayRequest, alias: AliasInfo): void | Promise<void>;
  /** May replace the result. */
  onAfterCall?(ctx: Context, route: RouteSettings, req: GatewayRequest, reply: GatewayReply, data: unknown): unknown;
  /** Answers an error itself; the default mapping is used when absent. */
  onError?(req: GatewayRequest, reply: GatewayReply, err: Error): void | Promise<void>;
}
