/** Option types recorded by the decorators. Plain data: nothing here runs. */

import type { Constructor } from "../utils/constructor";

export type { Constructor };

/**
 * Who may call an action:
 * - `published` (default): anyone, and the API gateway may expose it;
 * - `public`: any node, by name, but not exposed by a gateway;
 * - `protected`: callers on the same node only;
 * - `private`: only the service itself (a plain `this.method()` call); not registered.
 */
export type Visibility = "published" | "public" | "protected" | "private";

/**
 * A params schema: a DTO class (checked by the validator) or any object the
 * configured validator understands. `false` turns validation off.
 */
export type ParamsSchema = Constructor | Record<string, unknown> | false;

export interface BulkheadOptions {
  enabled?: boolean;
  concurrency?: number;
  maxQueueSize?: number;
}

export interface CacheOptions {
  /** Params keys (or `#meta` keys) that make the cache key; all params when absent. */
  keys?: string[];
  /** Seconds; the cacher's default when absent. */
  ttl?: number;
  enabled?: boolean;
}

export interface ActionOptions {
  /** Action name within the service; the method name by default. */
  name?: string;
  visibility?: Visibility;
  /** ms; 0 = none. Wins over the broker's `requestTimeout`. */
  timeout?: number;
  /** Retries for this action; wins over the broker's retry policy count. */
  retries?: number;
  params?: ParamsSchema;
  bulkhead?: BulkheadOptions;
  /** Name of a method of the same service called with (params, ctx, error) on failure. */
  fallback?: string;
  /**
   * HTTP route(s) an API gateway with `autoAliases` maps to this action,
   * relative to the service's base path (`settings.rest`, or its full name
   * with dots as slashes): `"POST /"`, `"GET /:id"`, `"/import"` (any method).
   */
  rest?: RestRoute | RestRoute[];
  /** Response schemas by HTTP status for the gateway's OpenAPI document: a DTO class or a JSON schema. */
  responses?: Record<number, ResponseSpec>;
  /** A one-line summary for the gateway's OpenAPI document. */
  summary?: string;
  /** Free-form extras, published with the action. */
  [extra: string]: unknown;
}

/** `"GET /:id"`, `"/path"`, or `{ method, path, basePath }` as moleculer-web reads it. */
export type RestRoute = string | { method?: string; path?: string; basePath?: string };

/** A response: its DTO class, or a description with a DTO class (`isArray` for a list of them) or a JSON schema. */
export type ResponseSpec = Constructor | { description?: string; type?: Constructor; isArray?: boolean; schema?: Record<string, unknown> };

export interface EventOptions {
  /** Balancing group; the service name by default. */
  group?: string;
  params?: ParamsSchema;
  bulkhead?: BulkheadOptions;
  [extra: string]: unknown;
}

export interface ServiceOptions {
  /** Service name; from the class name by default (`MathService` → `math`). */
  name?: string;
  version?: number | string;
  settings?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  /** Services (full names) that must be available before this one starts. */
  dependencies?: Array<string | { name: string; version?: number | string }>;
  /** Decorated classes whose actions, events and methods are merged in; the service's own win. */
  mixins?: Constructor[];
  /** Endpoint selection strategy for this service's actions (a strategy name). */
  strategy?: string;
  strategyOptions?: Record<string, unknown>;
}

/** What `@Action` records for one method. */
export interface ActionMetadata {
  method: string;
  options: ActionOptions;
  /** Declared type of the first parameter (`design:paramtypes[0]`). */
  paramType?: unknown;
  /** How many parameters the handler declares (tells "no params" from "no metadata"). */
  paramCount?: number;
  /** Whether TypeScript emitted `design:paramtypes` for the method at all. */
  paramTypesEmitted?: boolean;
}

export interface EventMetadata {
  method: string;
  event: string;
  options: EventOptions;
  paramType?: unknown;
}

export type HookKind = "before" | "after" | "error";

/** What `@Before`/`@After`/`@OnError` record for one method. */
export interface ActionHookMetadata {
  kind: HookKind;
  /** Action names within the service, `"*"`, wildcards or `"a|b"` patterns. */
  actions: readonly string[];
  method: string;
}
