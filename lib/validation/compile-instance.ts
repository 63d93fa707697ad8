import { defaultMetadataStorage } from "class-transformer/cjs/storage";

/**
 * A generated equivalent of `plainToInstance(Dto, plain)` (default options)
 * for the common case: a DTO graph whose only class-transformer metadata is
 * `@Type(() => X)`. It follows TransformOperationExecutor step by step for
 * plain JSON-like data (plain objects, arrays, primitives) and returns `BAIL`
 * as soon as it meets anything else (Date, Map, Set, Buffer, thenables, class
 * instances, an own `constructor` key...), in which case the caller redoes the
 * whole conversion with the real `plainToInstance`.
 */

export const BAIL: unique symbol = Symbol("bail");
export type Bail = typeof BAIL;
export type InstanceFactory = (plain: object) => unknown;

type Ctor = Function;
type TypeKind =
  | { kind: "untyped" }
  | { kind: "string" | "number" | "boolean" | "date" }
  | { kind: "class"; cls: Ctor };

interface TypeMetadataLike {
  typeFunction?: (options?: unknown) => unknown;
  reflectedType?: unknown;
  options?: { discriminator?: unknown };
}

interface TransformerStorage {
  findTypeMetadata(target: Ctor, propertyName: string): TypeMetadataLike | undefined;
  _typeMetadatas: Map<unknown, Map<string, TypeMetadataLike>>;
  _transformMetadatas: Map<unknown, unknown>;
  _exposeMetadatas: Map<unknown, unknown>;
  _excludeMetadatas: Map<unknown, unknown>;
}

function readStorage(): TransformerStorage | null {
  const s = defaultMetadataStorage as Partial<TransformerStorage> | null | undefined;
  if (
    s &&
    typeof s.findTypeMetadata === "function" &&
    s._typeMetadatas instanceof Map &&
    s._transformMetadatas instanceof Map &&
    s._exposeMetadatas instanceof Map &&
    s._excludeMetadatas instanceof Map
  ) {
    return s as TransformerStorage;
  }
  return null; // internals moved: every DTO then goes through plainToInstance
}

const storage = readStorage();
const hasOwn = Object.prototype.hasOwnProperty;
const OBJECT_PROTO = Object.prototype;

/** class-transformer's `getAncestors`. */
function ancestors(target: Ctor): Ctor[] {
  const out: Ctor[] = [];
  for (
    let base: unknown = Object.getPrototypeOf(target.prototype.constructor);
    typeof (base as Ctor).prototype !== "undefined";
    base = Object.getPrototypeOf((base as Ctor).prototype.constructor)
  ) {
    out.push(base as Ctor);
  }
  return out;
}

/** The class `@Type(() => X)` names for a property, if it is a plain zero-argument type function. */
export function declaredType(target: Ctor, property: string): Ctor | undefined {
  const kind = storage ? typeKind(storage.findTypeMetadata(target, property)) : null;
  return kind && kind.kind === "class" ? kind.cls : undefined;
}

/** What the executor would do with a typed property; `null` when we do not replicate it. */
function typeKind(meta: TypeMetadataLike | undefined): TypeKind | null {
  if (!meta) return { kind: "untyped" };
  if (meta.options && meta.options.discriminator) return null;
  const reflected = meta.reflectedType;
  if (reflected === Map) return null; // Map values take the executor's isMap path
  // An array value becomes `new reflectedType()` when that has `push` or is a Set.
  if (reflected !== undefined && reflected !== Array) {
    if (typeof reflected !== "function") return null;
    const proto: unknown = reflected.prototype;
    if (reflected === Set || proto instanceof Set || (typeof proto === "object" && proto !== null && "push" in proto)) return null;
  }
  let type: unknown = reflected;
  if (meta.typeFunction) {
    // A type function that reads its options (discriminating on the data) is per-value.
    if (meta.typeFunction.length > 0) return null;
    try {
      type = meta.typeFunction();
    } catch {
      return null;
    }
  }
  if (type === undefined || type === null) return { kind: "untyped" };
  if (type === String) return { kind: "string" };
  if (type === Number) return { kind: "number" };
  if (type === Boolean) return { kind: "boolean" };
  if (type === Date) return { kind: "date" };
  if (typeof type !== "function" || type === Buffer || type === Object || type === Array || type === Set || type === Map) {
    return null;
  }
  return { kind: "class", cls: type };
}

interface ClassPlan {
  cls: Ctor;
  typed: Map<string, TypeKind>;
  create: InstanceFactory | null;
}

const plans = new WeakMap<Ctor, ClassPlan | null>();

/** Typed properties of a class, or `null` if the class needs the real plainToInstance. */
function planFor(cls: Ctor): ClassPlan | null {
  if (plans.has(cls)) return plans.get(cls) ?? null;
  let plan: ClassPlan | null = null;
  if (storage) {
    const lineage = [cls, ...ancestors(cls)];
    const s = storage;
    const plain = lineage.every(
      (c) => !s._transformMetadatas.has(c) && !s._exposeMetadatas.has(c) && !s._excludeMetadatas.has(c),
    );
    if (plain) {
      plan = { cls, typed: new Map(), create: null };
      for (const c of lineage) {
        for (const name of s._typeMetadatas.get(c)?.keys() ?? []) {
          if (plan.typed.has(name)) continue;
          const kind = typeKind(s.findTypeMetadata(cls, name));
          if (kind === null) {
            plan = null;
            break;
          }
          plan.typed.set(name, kind);
        }
        if (plan === null) break;
      }
    }
  }
  plans.set(cls, plan);
  return plan;
}

/** Every class reachable through `@Type` must be replicable, else the whole input goes to plainToInstance. */
function graphPlans(root: Ctor): ClassPlan[] | null {
  const seen = new Map<Ctor, ClassPlan>();
  const stack = [root];
  while (stack.length) {
    const cls = stack.pop() as Ctor;
    if (seen.has(cls)) continue;
    const plan = planFor(cls);
    if (plan === null) return null;
    seen.set(cls, plan);
    for (const kind of plan.typed.values()) if (kind.kind === "class") stack.push(kind.cls);
  }
  return [...seen.values()];
}

/** Untyped values: arrays and plain objects are deep-copied, as the executor does. */
function copyUntyped(value: object): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) continue; // forEach skips holes
      const item: unknown = value[i];
      if (typeof item === "object" && item !== null) {
        const copy = copyUntyped(item);
        if (copy === BAIL) return BAIL;
        out.push(copy);
      } else {
        out.push(item);
      }
    }
    return out;
  }
  const source = value as Record<string, unknown>;
  if (source.constructor !== Object || typeof source.then === "function") return BAIL;
  const out: Record<string, unknown> = {};
  for (const key in source) {
    if (!hasOwn.call(source, key) || key === "__proto__" || key === "constructor") continue;
    if (hasOwn.call(OBJECT_PROTO, key)) {
      // The executor skips keys the target's prototype defines without a setter, or as functions.
      const d = Object.getOwnPropertyDescriptor(OBJECT_PROTO, key);
      if ((d && !d.set) || out[key] instanceof Function) continue;
    }
    const item = source[key];
    if (typeof item === "object" && item !== null) {
      const copy = copyUntyped(item);
      if (copy === BAIL) return BAIL;
      out[key] = copy;
    } else {
      out[key] = item;
    }
  }
  return out;
}

function typedTransform(kind: TypeKind, resolve: (cls: Ctor) => ClassPlan): (value: unknown) => unknown {
  const transform = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (let i = 0; i < value.length; i++) {
        if (!(i in value)) continue;
        const item = transform(value[i]);
        if (item === BAIL) return BAIL;
        out.push(item);
      }
      return out;
    }
    if (value instanceof Set || value instanceof Map) return BAIL;
    switch (kind.kind) {
      case "untyped":
        return typeof value === "object" && value !== null ? copyUntyped(value) : value;
      case "string":
        return value === null || value === undefined ? value : String(value);
      case "number":
        return value === null || value === undefined ? value : Number(value);
      case "boolean":
        return value === null || value === undefined ? value : Boolean(value);
      case "date":
        if (value instanceof Date) return new Date(value.valueOf());
        return value === null || value === undefined ? value : new Date(value as string);
      case "class": {
        if (typeof value !== "object" || value === null) return value;
        const source = value as Record<string, unknown>;
        if (source.constructor !== Object || typeof source.then === "function") return BAIL;
        return (resolve(kind.cls).create as InstanceFactory)(source);
      }
    }
  };
  return transform;
}

const isIdentifierSafe = (name: string): string => JSON.stringify(name);

function generate(plan: ClassPlan, resolve: (cls: Ctor) => ClassPlan, knownKeys: Iterable<string>): InstanceFactory {
  const cls = plan.cls;
  const proto = cls.prototype as object;
  // Own prototype members without a setter are never assigned (methods, getters).
  const blocked = new Set<string>();
  for (const key of Object.getOwnPropertyNames(proto)) {
    const d = Object.getOwnPropertyDescriptor(proto, key);
    if (d && !d.set) blocked.add(key);
  }
  const fresh = Reflect.construct(cls, []) as Record<string, unknown>;
  const consts: unknown[] = [cls, hasOwn, copyUntyped, BAIL, blocked];
  const cases: string[] = [];
  const typedDecls: string[] = [];
  const keys = new Set([...knownKeys, ...plan.typed.keys()]);
  for (const key of keys) {
    const k = isIdentifierSafe(key);
    const skip = key === "__proto__" || key === "constructor" || blocked.has(key) || fresh[key] instanceof Function;
    if (skip) {
      cases.push(`case ${k}: continue;`);
      continue;
    }
    const kind = plan.typed.get(key);
    if (kind && kind.kind !== "untyped") {
      consts.push(typedTransform(kind, resolve));
      const id = `T${consts.length - 1}`;
      typedDecls.push(`${id} = K[${consts.length - 1}]`);
      cases.push(`case ${k}: { const t = ${id}(v); if (t === B) return B; o[${k}] = t; continue; }`);
    } else {
      cases.push(
        `case ${k}: if (typeof v === "object" && v !== null) { const t = U(v); if (t === B) return B; o[${k}] = t; } else o[${k}] = v; continue;`,
      );
    }
  }
  const body = `"use strict";
const C = K[0], hasOwn = K[1], U = K[2], B = K[3], BL = K[4]${typedDecls.map((d) => `, ${d}`).join("")};
return function create(p) {
  const o = new C();
  for (const k in p) {
    if (!hasOwn.call(p, k)) continue;
    const v = p[k];
    switch (k) {
      ${cases.join("\n      ")}
    }
    if (k === "__proto__" || k === "constructor" || BL.has(k) || o[k] instanceof Function) continue;
    if (typeof v === "object" && v !== null) { const t = U(v); if (t === B) return B; o[k] = t; } else o[k] = v;
  }
  return o;
};`;
  return new Function("K", body)(consts) as InstanceFactory;
}

/**
 * A fast `plainToInstance(cls, plain)` for plain-object input (the caller
 * checks `plain.constructor === Object`), returning `BAIL` when the real one
 * must be used; `null` when the DTO graph always needs the real one.
 * `knownKeys(cls)` lists the properties worth a dedicated switch case.
 */
export function instanceFactory(root: Ctor, knownKeys: (cls: Ctor) => Iterable<string>): InstanceFactory | null {
  const graph = graphPlans(root);
  if (graph === null) return null;
  const resolve = (cls: Ctor): ClassPlan => planFor(cls) as ClassPlan;
  try {
    for (const plan of graph) if (plan.create === null) plan.create = generate(plan, resolve, knownKeys(plan.cls));
  } catch {
    return null; // a constructor that needs arguments, or no `new Function`: use the real thing
  }
  return (planFor(root) as ClassPlan).create;
}
