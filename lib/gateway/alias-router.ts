import type FindMyWay from "find-my-way";
import { loadDriver } from "../utils/load-driver";
import { HTTP_METHODS, type AliasInfo, type HttpMethod } from "./types";

/** What a matched path leads to: an alias, or (mappingPolicy `all`) an action named by the path. */
export interface RouteTarget<R> {
  alias: AliasInfo;
  route: R;
  /** `all` mapping: the action comes from the path's rest (`/api/v2/math/add` → `v2.math.add`). */
  mapped: boolean;
}

export interface RouteMatch<R> {
  target: RouteTarget<R>;
  params: Record<string, string | undefined>;
}

const METHODS = HTTP_METHODS.filter((m) => m !== "HEAD" && m !== "OPTIONS");

/**
 * The gateway's own routing table on find-my-way (fastify's router), so
 * aliases can be added and removed while the server runs: fastify's routes
 * are fixed once it listens. Rebuilt whole on each change (changes are rare;
 * lookups are the hot path).
 */
export class AliasRouter<R> {
  private router: FindMyWay.Instance<FindMyWay.HTTPVersion.V1>;
  private readonly make: typeof FindMyWay;

  constructor() {
    this.make = loadDriver<typeof FindMyWay>("find-my-way", "The API gateway");
    this.router = this.fresh();
  }

  private fresh(): FindMyWay.Instance<FindMyWay.HTTPVersion.V1> {
    return this.make({ ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, caseSensitive: true });
  }

  /**
   * Replaces the whole table. Aliases first, in order (a duplicate method +
   * path keeps the first); mapped prefixes last, so an alias always wins.
   */
  rebuild(aliases: ReadonlyArray<{ alias: AliasInfo; route: R }>, mappedPrefixes: ReadonlyArray<{ prefix: string; alias: AliasInfo; route: R }>): void {
    const router = this.fresh();
    const noop = (): void => undefined;
    for (const { alias, route } of aliases) {
      const methods: HttpMethod[] = alias.method === "*" ? METHODS : [alias.method];
      for (const method of methods) {
        if (router.hasRoute(method, alias.path)) continue;
        router.on(method, alias.path, noop, { alias, route, mapped: false } satisfies RouteTarget<R>);
      }
    }
    for (const { prefix, alias, route } of mappedPrefixes) {
      const path = `${prefix === "/" ? "" : prefix}/*`;
      for (const method of METHODS) if (!router.hasRoute(method, path)) router.on(method, path, noop, { alias, route, mapped: true } satisfies RouteTarget<R>);
    }
    this.router = router;
  }

  match(method: string, url: string): RouteMatch<R> | null {
    const found = this.router.find((method === "HEAD" ? "GET" : method) as HttpMethod, url);
    if (found === null) return null;
    return { target: found.store as RouteTarget<R>, params: found.params };
  }
}
