import type { BulkheadOptions, CacheOptions, ParamsSchema, Visibility } from "../decorators/types";

/**
 * Plain descriptors: everything after `broker.register` (registry entries,
 * validation, INFO packets, subscriptions) is derived from these, never from
 * the class again.
 */
export interface ActionDescriptor {
  /** Full name: `v2.math.add`. */
  name: string;
  /** Name within the service: `add`. */
  rawName: string;
  /** Method of the service instance that handles it. */
  method: string;
  visibility: Visibility;
  params?: ParamsSchema;
  /**
   * Set when the handler takes params that no schema covers, saying why (an
   * interface type, no decorator metadata): the validator warns about it.
   */
  unvalidatedParams?: string;
  timeout?: number;
  retries?: number;
  cache?: CacheOptions;
  bulkhead?: BulkheadOptions;
  fallback?: string;
  /** `@Before`/`@After`/`@OnError` methods, in run order; absent when the action has none. */
  hooks?: ActionHooks;
  /** Remaining user options, published as they are. */
  options: Record<string, unknown>;
}

/** Method names of the service instance, each list in the order it runs (see `@Before`). */
export interface ActionHooks {
  before: string[];
  after: string[];
  error: string[];
}

export interface EventDescriptor {
  /** Event name, wildcards allowed. */
  name: string;
  group: string;
  method: string;
  params?: ParamsSchema;
  bulkhead?: BulkheadOptions;
  options: Record<string, unknown>;
}

export interface DependencyDescriptor {
  name: string;
  version?: number | string;
}

export interface ServiceDescriptor {
  name: string;
  version?: number | string;
  /** `v2.math`, `staging.math` or `math`. */
  fullName: string;
  settings: Record<string, unknown>;
  metadata: Record<string, unknown>;
  dependencies: DependencyDescriptor[];
  actions: ActionDescriptor[];
  events: EventDescriptor[];
  strategy?: string;
  strategyOptions?: Record<string, unknown>;
}
