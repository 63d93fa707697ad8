import { GatewayOptionsError } from "./gateway-errors";
import { HTTP_METHODS, type AliasInfo, type AliasTarget, type HttpMethod, type RestActionName, type RouteSettings } from "./types";

/** The REST shorthand, as moleculer-web expands it. */
const REST_ACTIONS: ReadonlyArray<{ name: RestActionName; method: HttpMethod; suffix: string }> = [
  { name: "list", method: "GET", suffix: "" },
  { name: "get", method: "GET", suffix: "/:id" },
  { name: "create", method: "POST", suffix: "" },
  { name: "update", method: "PUT", suffix: "/:id" },
  { name: "patch", method: "PATCH", suffix: "/:id" },
  { name: "remove", method: "DELETE", suffix: "/:id" },
];

/** `/api/` + `/users/` → `/api/users`: one slash between parts, none at the end (but `/`). */
export function joinPath(...parts: string[]): string {
  const joined = parts
    .join("/")
    .replace(/\/{2,}/g, "/")
    .replace(/\/$/, "");
  const withSlash = joined.startsWith("/") ? joined : `/${joined}`;
  return withSlash === "" ? "/" : withSlash;
}

export function routeName(route: RouteSettings): string {
  return route.name ?? route.path;
}

function parseMethod(word: string, where: string): HttpMethod | "*" {
  const upper = word.toUpperCase();
  if (upper === "*" || upper === "ALL") return "*";
  if ((HTTP_METHODS as readonly string[]).includes(upper)) return upper as HttpMethod;
  throw new GatewayOptionsError(`Unknown HTTP method '${word}' in alias '${where}'.`);
}

/** `"GET /users/:id"` → GET; `"/users"` → any method. */
export function parseRouteKey(key: string): { method: HttpMethod | "*" | "REST"; path: string } {
  const parts = key.trim().split(/\s+/);
  if (parts.length === 1) return { method: "*", path: parts[0] };
  if (parts.length !== 2) throw new GatewayOptionsError(`Alias '${key}' is not "METHOD /path" nor "/path".`);
  if (parts[0].toUpperCase() === "REST") return { method: "REST", path: parts[1] };
  return { method: parseMethod(parts[0], key), path: parts[1] };
}

/** The aliases a route's settings declare (not the auto ones). */
export function declaredAliases(route: RouteSettings, prefix: string): AliasInfo[] {
  const out: AliasInfo[] = [];
  const name = routeName(route);
  for (const [key, target] of Object.entries(route.aliases ?? {})) {
    const { method, path } = parseRouteKey(key);
    const full = joinPath(prefix, route.path, path);
    if (method === "REST") {
      out.push(...restAliases(full, target, name));
      continue;
    }
    const action = typeof target === "string" ? target : target.action;
    const typed = /^(multipart|stream):(.+)$/.exec(action);
    if (typed) out.push({ method, path: full, action: typed[2], route: name, auto: false, type: typed[1] as "multipart" | "stream" });
    else out.push({ method, path: full, action, route: name, auto: false });
  }
  return out;
}

function restAliases(path: string, target: AliasTarget, route: string): AliasInfo[] {
  const { action, only, except } = typeof target === "string" ? { action: target, only: undefined, except: undefined } : target;
  return REST_ACTIONS.filter((r) => (!only || only.includes(r.name)) && !except?.includes(r.name)).map((r) => ({
    method: r.method,
    path: joinPath(path + r.suffix),
    action: `${action}.${r.name}`,
    route,
    auto: false,
  }));
}

/** An action as auto-aliasing sees it: its names, visibility and `rest` option. */
export interface RestAction {
  name: string;
  rawName: string;
  visibility?: string;
  rest?: unknown;
}

/** A service as auto-aliasing sees it. */
export interface RestService {
  fullName: string;
  /** `settings.rest`: the base path(s) of its actions; the full name with dots as slashes by default. */
  rest?: unknown;
  actions: RestAction[];
}

/** Aliases from `@Action({ rest })`, as moleculer-web's autoAliases builds them. */
export function autoAliases(route: RouteSettings, prefix: string, services: readonly RestService[], allowed: (action: string) => boolean): AliasInfo[] {
  const out: AliasInfo[] = [];
  const seen = new Set<string>();
  const name = routeName(route);
  for (const service of services) {
    if (seen.has(service.fullName) || service.fullName.startsWith("$")) continue;
    seen.add(service.fullName);
    const bases = basePaths(service);
    for (const action of service.actions) {
      if (action.rest === undefined || action.rest === null || action.rest === false) continue;
      if (action.visibility !== undefined && action.visibility !== "published") continue;
      if (!allowed(action.name)) continue;
      const specs = Array.isArray(action.rest) ? (action.rest as unknown[]) : [action.rest];
      for (const base of bases) {
        for (const spec of specs) {
          const alias = restSpecAlias(spec, base, action.rawName);
          if (alias) out.push({ method: alias.method, path: joinPath(prefix, route.path, alias.path), action: action.name, route: name, auto: true });
        }
      }
    }
  }
  return out;
}

function basePaths(service: RestService): string[] {
  const fallback = `/${service.fullName.replace(/\./g, "/")}`;
  if (typeof service.rest === "string") return [service.rest];
  if (Array.isArray(service.rest)) return service.rest.map((b) => (typeof b === "string" ? b : fallback));
  return [fallback];
}

function restSpecAlias(spec: unknown, base: string, rawName: string): { method: HttpMethod | "*"; path: string } | null {
  if (spec === true) return { method: "*", path: joinPath(base, rawName) };
  if (typeof spec === "string") {
    const { method, path } = parseRouteKey(spec);
    if (method === "REST") return null;
    return { method, path: joinPath(base, path) };
  }
  if (typeof spec === "object" && spec !== null) {
    const o = spec as { method?: unknown; path?: unknown; basePath?: unknown };
    const method = typeof o.method === "string" ? parseMethod(o.method, rawName) : "*";
    const b = typeof o.basePath === "string" ? o.basePath : base;
    return { method, path: joinPath(b, typeof o.path === "string" ? o.path : rawName) };
  }
  return null;
}
