import { Context, type ContextBroker } from "../context/context";
import { ServiceNotFoundError } from "../errors";
import type { AliasRouter } from "./alias-router";
import { ForbiddenError, GatewayOptionsError, GatewayStoppingError, RouteNotFoundError, UnauthorizedError, UnsupportedMediaTypeError } from "./gateway-errors";
import { sendResult } from "./respond";
import { callPerFile, callWithRawBody, type UploadCall } from "./uploads";
import type { AliasInfo, GatewayHooks, GatewayMiddleware, GatewayReply, GatewayRequest, RouteSettings } from "./types";

/** A route as the request path uses it, built once per route. */
export interface RouteRuntime {
  settings: RouteSettings;
  name: string;
  /** Global then route-level middlewares. */
  middlewares: GatewayMiddleware[];
  /** Whitelist and blacklist, compiled. */
  allowed(action: string): boolean;
  json: boolean;
  urlencoded: boolean;
  callOptions: RouteSettings["callOptions"];
}

/** What the request path needs from the gateway. */
export interface RequestHost {
  readonly broker: ContextBroker;
  readonly router: AliasRouter<RouteRuntime>;
  readonly hooks: GatewayHooks;
  readonly etag: boolean;
  /** The gateway's body limit, for routes without their own. */
  readonly bodyLimit: number;
  /** True once the broker is stopping: new requests get 503 while in-flight ones finish. */
  stopping(): boolean;
  /** Whether an action may be called through a gateway (published, not `$`-internal). */
  exposed(action: string): boolean;
  /** Query/path string → DTO scalar types, per action (null: nothing to convert). */
  coercion(action: string): ((params: Record<string, unknown>) => void) | null;
}

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** Copies own enumerable keys, never a prototype-changing one. */
function safeAssign(target: Record<string, unknown>, source: unknown): void {
  if (typeof source !== "object" || source === null || Array.isArray(source)) return;
  for (const key of Object.keys(source)) {
    if (!FORBIDDEN_KEYS.has(key)) target[key] = (source as Record<string, unknown>)[key];
  }
}

function requestIdOf(req: GatewayRequest): string | undefined {
  const h = req.headers["x-request-id"] ?? req.headers["x-correlation-id"];
  const id = Array.isArray(h) ? h[0] : h;
  // Bounded: it is logged and travels in every packet of the call.
  return typeof id === "string" && id.length > 0 && id.length <= 128 ? id : undefined;
}

function hasBody(req: GatewayRequest): boolean {
  const length = req.headers["content-length"];
  return (length !== undefined && length !== "0") || req.headers["transfer-encoding"] !== undefined;
}

function checkBodyFormat(req: GatewayRequest, route: RouteRuntime): void {
  const type = req.headers["content-type"] ?? "";
  // Left unread by the catch-all parser (it is there for `stream:` aliases): no other alias takes it.
  if (req.body === undefined && hasBody(req) && type !== "" && !type.includes("json") && !type.includes("x-www-form-urlencoded")) throw new UnsupportedMediaTypeError(type);
  if (req.body === undefined || req.body === null) return;
  if ((!route.json && type.includes("json")) || (!route.urlencoded && type.includes("x-www-form-urlencoded"))) throw new UnsupportedMediaTypeError(type);
}

/**
 * One HTTP request: match → middlewares → params → authenticate → authorize
 * → onBeforeCall → call → onAfterCall → answer. Nothing is called for a path
 * no alias (nor mapped prefix) matches.
 */
export async function handleRequest(host: RequestHost, req: GatewayRequest, reply: GatewayReply): Promise<unknown> {
  if (host.stopping()) {
    void reply.header("connection", "close");
    throw new GatewayStoppingError();
  }
  const match = host.router.match(req.method, req.url);
  if (match === null) throw new RouteNotFoundError(req.method, req.url.split("?", 1)[0]);
  const { target, params: pathParams } = match;
  const route = target.route;
  const action = target.mapped ? (pathParams["*"] ?? "").split("/").filter(Boolean).join(".") : target.alias.action;
  if (action === "" || !route.allowed(action) || !host.exposed(action)) throw new ServiceNotFoundError({ action: action || "(none)" });

  for (const mw of route.middlewares) {
    await mw(req, reply);
    if (reply.sent) return reply;
  }
  const upload = target.mapped ? undefined : target.alias.type;
  if (upload === undefined) checkBodyFormat(req, route);

  const params: Record<string, unknown> = {};
  safeAssign(params, req.query);
  const coerce = host.coercion(action);
  if (!target.mapped) safeAssign(params, pathParams);
  coerce?.(params);
  safeAssign(params, req.body);
  if (!target.mapped && Object.keys(pathParams).length > 0) {
    const path: Record<string, unknown> = {};
    safeAssign(path, pathParams);
    coerce?.(path);
    Object.assign(params, path);
  }

  const ctx = new Context(host.broker, params, {});
  const requestID = requestIdOf(req);
  if (requestID !== undefined) ctx.requestID = requestID;
  void reply.header("x-request-id", ctx.requestID);
  const settings = route.settings;
  const hooks = host.hooks;
  if (settings.authentication) {
    if (!hooks.authenticate) throw new UnauthorizedError("The route needs authentication but the gateway has no authenticate()");
    const user = await callHook(() => hooks.authenticate!(ctx, settings, req), UnauthorizedError);
    if (user !== undefined && user !== null) ctx.meta.user = user;
  }
  if (settings.authorization) {
    if (!hooks.authorize) throw new ForbiddenError("The route needs authorization but the gateway has no authorize()");
    await callHook(() => hooks.authorize!(ctx, settings, req), ForbiddenError);
  }
  const alias: AliasInfo = target.mapped ? { ...target.alias, action } : target.alias;
  if (hooks.onBeforeCall) await hooks.onBeforeCall(ctx, settings, req, alias);
  let data: unknown;
  if (upload === undefined) data = await ctx.call(action, params, settings.callOptions);
  else {
    try {
      data = await callUpload(host, route, upload, req, (stream, meta) => ctx.call(action, params, { ...settings.callOptions, stream, meta }), params);
    } catch (err) {
      // The body may be partly unread: read the rest away and do not reuse the connection.
      req.raw.resume();
      void reply.header("connection", "close");
      throw err;
    }
  }
  if (hooks.onAfterCall) data = await hooks.onAfterCall(ctx, settings, req, reply, data);
  if (reply.sent) return reply;
  return sendResult(req, reply, data, ctx.meta, host.etag);
}

/** `multipart:` and `stream:` aliases: the body goes to the action as `ctx.stream`, never buffered. */
function callUpload(host: RequestHost, route: RouteRuntime, type: "multipart" | "stream", req: GatewayRequest, call: UploadCall, params: Record<string, unknown>): Promise<unknown> {
  const limit = route.settings.bodyLimit ?? host.bodyLimit;
  const meta = { $params: params };
  if (type === "stream") return callWithRawBody(req, limit, call, meta);
  if (typeof (req as { isMultipart?: unknown }).isMultipart !== "function") throw new GatewayOptionsError("A `multipart:` alias added while running needs one in the gateway's settings at start (it loads @fastify/multipart).");
  const limits = route.settings.multipart;
  return callPerFile(req, { ...limits, fileSize: limits?.fileSize ?? limit }, call, meta);
}

/** A hook's plain Error becomes 401/403; a typed error (with an HTTP code) keeps its own. */
async function callHook<T>(run: () => T | Promise<T>, As: new (message?: string) => Error): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === "number" && code >= 400 && code < 600) throw err;
    throw new As(err instanceof Error ? err.message : undefined);
  }
}
