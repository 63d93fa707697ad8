import type { AddressInfo } from "node:net";
import { injectable } from "tsyringe";
import type { Logger } from "../broker/logger";
import { ServiceBroker } from "../broker/service-broker";
import type { Context } from "../context/context";
import { Action } from "../decorators/action";
import { Event } from "../decorators/event";
import { matchGlob } from "../utils/wildcard";
import { AliasRouter } from "./alias-router";
import { autoAliases, declaredAliases, joinPath, routeName } from "./aliases";
import { GatewayOptionsError, RouteNotFoundError } from "./gateway-errors";
import { errorToHttp } from "./http-errors";
import { handleRequest, type RequestHost, type RouteRuntime } from "./request-handler";
import { enforceBodyLimits } from "./body-limit";
import { createHttpServer, DEFAULT_BODY_LIMIT, type HttpServer } from "./server";
import { mountDocs } from "./docs-routes";
import { buildOpenApi, type ActionDoc, type OpenApiDocument } from "./openapi";
import { restServices } from "./service-catalog";
import { stringCoercion } from "./coerce";
import type { AliasInfo, GatewayHooks, GatewayReply, GatewayRequest, GatewaySettings, RouteSettings } from "./types";

/**
 * The HTTP API gateway, as a base class of a nucleon service:
 *
 * ```ts
 * @Service({ name: "api" })
 * class ApiGateway extends Gateway {
 *   settings = { port: 3000, routes: [{ path: "/api", autoAliases: true }] };
 *   authenticate(ctx, route, req) { … }
 * }
 * ```
 *
 * A base class rather than a decorator: the hooks are typed methods the
 * subclass overrides, and `listAliases`/`addRoute`/`removeRoute`/`url` are
 * plain methods on the instance. It starts listening when the service
 * starts and closes (in-flight requests finish first) when it stops.
 */
@injectable()
export class Gateway implements GatewayHooks {
  settings: GatewaySettings = {};
  protected readonly logger: Logger;
  private server: HttpServer | null = null;
  private routes: RouteRuntime[] = [];
  private aliases: AliasInfo[] = [];
  private readonly coercions = new Map<string, ((params: Record<string, unknown>) => void) | null>();
  private router: AliasRouter<RouteRuntime> | null = null;
  /** Built on first request after a change of aliases or services. */
  private document: OpenApiDocument | null = null;

  constructor(protected readonly broker: ServiceBroker) {
    this.logger = broker.logger.child({ gateway: true });
  }

  /** `http://127.0.0.1:3000` once listening. */
  get url(): string {
    const address = this.server?.app.server.address() as AddressInfo | null | undefined;
    if (!address) throw new GatewayOptionsError("The gateway is not listening.");
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }

  /** The aliases served now, declared and automatic, in match order. */
  @Action({ visibility: "public", name: "listAliases" })
  listAliases(): AliasInfo[] {
    return this.aliases.map((a) => ({ ...a }));
  }

  /** Adds (or replaces, by name) a route while running. */
  addRoute(route: RouteSettings, toBottom = true): void {
    const runtime = this.routeRuntime(route);
    const others = this.routes.filter((r) => r.name !== runtime.name);
    this.routes = toBottom ? [...others, runtime] : [runtime, ...others];
    this.rebuild();
  }

  /** Removes a route by its name (or path); true when there was one. */
  removeRoute(name: string): boolean {
    const before = this.routes.length;
    this.routes = this.routes.filter((r) => r.name !== name);
    if (this.routes.length === before) return false;
    this.rebuild();
    return true;
  }

  async started(): Promise<void> {
    const settings = this.settings;
    this.router = new AliasRouter<RouteRuntime>();
    this.routes = (settings.routes ?? []).map((r) => this.routeRuntime(r));
    this.rebuild();
    const server = await createHttpServer(settings, this.logger);
    this.server = server;
    const production = settings.production ?? process.env.NODE_ENV === "production";
    const host = this.requestHost();
    server.app.setErrorHandler(async (err: Error, req: GatewayRequest, reply: GatewayReply) => {
      if (this.onError) {
        await this.onError(req, reply, err);
        if (reply.sent) return reply;
      }
      const { status, body } = errorToHttp(err, production);
      if (status >= 500) this.logger.warn({ err, url: req.url }, "Request failed");
      return reply.code(status).type("application/json; charset=utf-8").send(body);
    });
    server.app.setNotFoundHandler((req, reply) => {
      const { status, body } = errorToHttp(new RouteNotFoundError(req.method, req.url.split("?", 1)[0]), production);
      return reply.code(status).send(body);
    });
    enforceBodyLimits(server.app, (req) => {
      const match = this.router?.match(req.method, req.url);
      if (match && !match.target.mapped && match.target.alias.type !== undefined) return null;
      return match?.target.route.settings.bodyLimit ?? host.bodyLimit;
    });
    const openapi = settings.openapi;
    if (openapi !== false) {
      await mountDocs(server.app, () => this.openApiDocument(), {
        specPath: openapi?.path ?? "/openapi.json",
        docsPath: openapi?.docsPath ?? "/docs",
        title: openapi?.title ?? "API",
      });
    }
    server.app.route({ method: ["GET", "POST", "PUT", "PATCH", "DELETE"], url: "/*", handler: (req, reply) => handleRequest(host, req, reply) });
    await server.app.listen({ port: settings.port ?? 3000, host: settings.host ?? "127.0.0.1" });
    this.logger.info({ url: this.url, aliases: this.aliases.length }, "API gateway listening");
  }

  /** The OpenAPI 3.1 document of the aliases served now (also at `/openapi.json`). */
  openApiDocument(): OpenApiDocument {
    if (this.document === null) {
      const registry = this.broker.registry;
      const actionDoc = (name: string): ActionDoc | undefined => {
        const endpoints = registry.actions.get(name)?.endpoints;
        const action = (endpoints?.find((e) => e.local) ?? endpoints?.[0])?.action;
        return action ? { params: action.params, options: action.options } : undefined;
      };
      this.document = buildOpenApi(this.aliases, actionDoc, this.settings);
    }
    return this.document;
  }

  /** Stops accepting connections (new requests get 503), lets in-flight ones finish, then closes. */
  async stopped(): Promise<void> {
    const server = this.server;
    this.server = null;
    await server?.close();
  }

  /** Auto-aliases follow services joining and leaving the cluster. */
  @Event("$services.changed")
  servicesChanged(): void {
    this.coercions.clear();
    this.document = null;
    if (this.router !== null && this.routes.some((r) => r.settings.autoAliases)) this.rebuild();
  }

  // Hooks: implemented by the subclass when needed (typed by GatewayHooks).
  authenticate?(ctx: Context, route: RouteSettings, req: GatewayRequest): unknown;
  authorize?(ctx: Context, route: RouteSettings, req: GatewayRequest): void | Promise<void>;
  onBeforeCall?(ctx: Context, route: RouteSettings, req: GatewayRequest, alias: AliasInfo): void | Promise<void>;
  onAfterCall?(ctx: Context, route: RouteSettings, req: GatewayRequest, reply: GatewayReply, data: unknown): unknown;
  /** Answers an error itself (`reply.send`); when it does not, the default mapping answers. */
  onError?(req: GatewayRequest, reply: GatewayReply, err: Error): void | Promise<void>;

  private requestHost(): RequestHost {
    const registry = this.broker.registry;
    const bind = <K extends keyof GatewayHooks>(name: K): GatewayHooks[K] => {
      const fn = this[name] as ((...args: never[]) => unknown) | undefined;
      return (typeof fn === "function" ? fn.bind(this) : undefined) as GatewayHooks[K];
    };
    return {
      broker: this.broker,
      router: this.router!,
      hooks: { authenticate: bind("authenticate"), authorize: bind("authorize"), onBeforeCall: bind("onBeforeCall"), onAfterCall: bind("onAfterCall") },
      etag: this.settings.etag !== false,
      bodyLimit: this.settings.bodyLimit ?? DEFAULT_BODY_LIMIT,
      stopping: () => this.broker.stopping || this.server === null,
      exposed(action) {
        if (action.startsWith("$")) return false;
        const list = registry.actions.get(action);
        const visibility = list?.endpoints[0]?.action.visibility;
        return visibility === undefined || visibility === "published";
      },
      coercion: (action) => {
        let c = this.coercions.get(action);
        if (c === undefined) {
          const local = registry.actions.get(action)?.endpoints.find((e) => e.local);
          c = stringCoercion(local?.action.params);
          this.coercions.set(action, c);
        }
        return c;
      },
    };
  }

  private routeRuntime(route: RouteSettings): RouteRuntime {
    if (typeof route.path !== "string") throw new GatewayOptionsError("A gateway route needs a `path`.");
    const { whitelist, blacklist } = route;
    const listed = (patterns: string[] | undefined, action: string): boolean => patterns?.some((p) => matchGlob(action, p)) ?? false;
    return {
      settings: route,
      name: routeName(route),
      middlewares: [...(this.settings.use ?? []), ...(route.use ?? [])],
      allowed: (action) => (whitelist === undefined || listed(whitelist, action)) && !listed(blacklist, action),
      json: route.bodyParsers?.json !== false,
      urlencoded: route.bodyParsers?.urlencoded !== false,
      callOptions: route.callOptions,
    };
  }

  /** Recomputes every route's aliases and swaps the routing table in one step. */
  private rebuild(): void {
    if (this.router === null) return;
    const services = this.routes.some((r) => r.settings.autoAliases) ? restServices(this.broker) : [];
    const entries: Array<{ alias: AliasInfo; route: RouteRuntime }> = [];
    const mapped: Array<{ prefix: string; alias: AliasInfo; route: RouteRuntime }> = [];
    for (const route of this.routes) {
      const s = route.settings;
      const list = declaredAliases(s, "");
      if (s.autoAliases) list.push(...autoAliases(s, "", services, route.allowed));
      for (const alias of list) entries.push({ alias, route });
      const hasAliases = Object.keys(s.aliases ?? {}).length > 0 || s.autoAliases === true;
      const policy = s.mappingPolicy ?? (hasAliases ? "restrict" : "all");
      if (policy === "all") {
        const prefix = joinPath(s.path);
        mapped.push({ prefix, alias: { method: "*", path: joinPath(prefix, "*"), action: "", route: route.name, auto: false }, route });
      }
    }
    this.router.rebuild(entries, mapped);
    this.aliases = entries.map((e) => e.alias);
    this.document = null;
  }
}
