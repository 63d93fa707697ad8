import { readCached } from "../decorators/cached";
import { ACTIONS_METADATA, EVENTS_METADATA, SERVICE_METADATA } from "../decorators/metadata-keys";
import { readMemberMetadata } from "../decorators/member-metadata";
import type { ActionMetadata, Constructor, EventMetadata, ServiceOptions } from "../decorators/types";
import { ServiceSchemaError } from "../errors";
import type { ActionDescriptor, DependencyDescriptor, EventDescriptor, ServiceDescriptor } from "./descriptor";
import { checkConstructorMetadata } from "./constructor-metadata";
import { assignActionHooks } from "./describe-hooks";
import { defaultServiceName, serviceFullName } from "./names";

const cache = new WeakMap<Constructor, ServiceDescriptor>();

/** Options that have a descriptor field of their own; the rest is published as-is. */
const ACTION_KEYS = new Set(["name", "visibility", "timeout", "retries", "params", "bulkhead", "fallback"]);
const EVENT_KEYS = new Set(["group", "params", "bulkhead"]);

export function isServiceClass(target: unknown): target is Constructor {
  return typeof target === "function" && Reflect.hasMetadata(SERVICE_METADATA, target);
}

export function readServiceOptions(target: Constructor): ServiceOptions {
  const options = Reflect.getMetadata(SERVICE_METADATA, target) as ServiceOptions | undefined;
  if (!options) throw new ServiceSchemaError(`Class '${target.name}' is not decorated with @Service().`);
  return options;
}

/** Reads a decorated class's metadata once into a plain descriptor (memoized). */
export function describe(target: Constructor): ServiceDescriptor {
  let descriptor = cache.get(target);
  if (!descriptor) {
    descriptor = build(target);
    cache.set(target, descriptor);
  }
  return descriptor;
}

function build(target: Constructor): ServiceDescriptor {
  const options = readServiceOptions(target);
  checkConstructorMetadata(target);
  const name = options.name ?? defaultServiceName(target.name);
  if (!name) throw new ServiceSchemaError("A service needs a name.");
  const fullName = serviceFullName(name, options.version);

  // Mixins first, the service's own members last: later entries win by name.
  const sources = [...(options.mixins ?? []), target];
  const actions = new Map<string, ActionDescriptor>();
  const events = new Map<string, EventDescriptor>();
  let settings: Record<string, unknown> = {};
  let metadata: Record<string, unknown> = {};
  for (const source of sources) {
    const own = Reflect.getMetadata(SERVICE_METADATA, source) as ServiceOptions | undefined;
    settings = { ...settings, ...(own?.settings ?? {}) };
    metadata = { ...metadata, ...(own?.metadata ?? {}) };
    for (const meta of readMemberMetadata<ActionMetadata>(ACTIONS_METADATA, source)) {
      const action = describeAction(fullName, source, meta);
      actions.set(action.rawName, action);
    }
    for (const meta of readMemberMetadata<EventMetadata>(EVENTS_METADATA, source)) {
      const event = describeEvent(name, meta);
      events.set(`${event.name}\u0000${event.method}`, event);
    }
  }
  const actionList = [...actions.values()];
  assignActionHooks(fullName, sources, actionList);

  return {
    name,
    version: options.version,
    fullName,
    settings,
    metadata,
    dependencies: (options.dependencies ?? []).map(toDependency),
    actions: actionList,
    events: [...events.values()],
    strategy: options.strategy,
    strategyOptions: options.strategyOptions,
  };
}

function describeAction(fullName: string, source: Constructor, meta: ActionMetadata): ActionDescriptor {
  const { options } = meta;
  const rawName = options.name ?? meta.method;
  const cache = readCached(source.prototype as object, meta.method);
  return {
    name: `${fullName}.${rawName}`,
    rawName,
    method: meta.method,
    visibility: options.visibility ?? "published",
    params: options.params ?? (meta.paramType as ActionDescriptor["params"]),
    unvalidatedParams: options.params === undefined ? whyUnvalidated(meta) : undefined,
    timeout: options.timeout,
    retries: options.retries,
    cache,
    bulkhead: options.bulkhead,
    fallback: options.fallback,
    options: pickExtras(options, ACTION_KEYS),
  };
}

/** Why a handler's params get no schema from its signature, if they don't. */
function whyUnvalidated(meta: ActionMetadata): string | undefined {
  if (meta.paramType === Object) {
    return "their declared type is not a class (an interface, a type literal, an `import type`, any or unknown all reach the validator as Object)";
  }
  if (meta.paramTypesEmitted === false && (meta.paramCount ?? 0) > 0) {
    return "TypeScript emitted no parameter types for the handler (`emitDecoratorMetadata` is off, or an esbuild-based runner such as tsx compiled it)";
  }
  return undefined;
}

function describeEvent(serviceName: string, meta: EventMetadata): EventDescriptor {
  const { options } = meta;
  return {
    name: meta.event,
    group: options.group ?? serviceName,
    method: meta.method,
    params: options.params ?? (meta.paramType as EventDescriptor["params"]),
    bulkhead: options.bulkhead,
    options: pickExtras(options, EVENT_KEYS),
  };
}

function pickExtras(options: Record<string, unknown>, known: Set<string>): Record<string, unknown> {
  const extras: Record<string, unknown> = {};
  for (const key of Object.keys(options)) if (!known.has(key)) extras[key] = options[key];
  return extras;
}

function toDependency(dep: string | DependencyDescriptor): DependencyDescriptor {
  return typeof dep === "string" ? { name: dep } : dep;
}

/** Fully qualified names of the dependencies, as `waitForServices` takes them. */
export function dependencyNames(descriptor: ServiceDescriptor): string[] {
  return descriptor.dependencies.map((d) => serviceFullName(d.name, d.version));
}
