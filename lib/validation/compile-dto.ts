import { validateSync } from "class-validator";
import type { ValidationArguments } from "class-validator";
import type { ValidationFieldError } from "../errors";
import { declaredType } from "./compile-instance";
import { FieldErrors, prefixErrors, toFieldErrors, UNKNOWN_VALUE, UNKNOWN_VALUE_MESSAGE } from "./field-errors";
import { ConstraintMeta, constraintsOf, Ctor, describeFailure, PropertyRules, readRules, ValidationMeta } from "./metadata";
import { Emit, probeValues, RULES, RuleScope } from "./rules";

/**
 * Compiles a DTO class's class-validator rules into one generated function
 * that reads each property once and runs direct checks, reproducing
 * `ValidationExecutor.execute` for default options (no groups, no whitelist,
 * `forbidUnknownValues` on). It returns `null` when valid, else the failures
 * with paths relative to the object. Messages are only built on failure.
 */

export type ValidateFn = (object: object) => FieldErrors;

export interface DtoValidation {
  readonly cls: Ctor;
  validate: ValidateFn;
  /** false: `validate` runs class-validator itself (some rule is not compiled). */
  compiled: boolean;
  /** Has a constraint flagged async (only class-validator's `validate()` runs those). */
  async: boolean;
  /** Classes that `@ValidateNested` + `@Type(() => X)` lead to. */
  nested: Ctor[];
  /** Properties with rules: the keys worth a fast path when building instances. */
  keys: string[];
  /** Why it was not compiled (for debugging). */
  reason?: string;
}

class CompileError extends Error {}

/** Constants shared with the generated code, as `k0`, `k1`... */
class Scope implements RuleScope {
  readonly values: unknown[] = [];
  private readonly ids = new Map<unknown, string>();

  ref(value: unknown): string {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = `k${this.values.length}`;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }

  build<T>(expression: string): T {
    const decls = this.values.map((_, i) => `k${i} = K[${i}]`).join(", ");
    const body = `"use strict";\n${decls ? `const ${decls};\n` : ""}return ${expression};`;
    return new Function("K", body)(this.values) as T;
  }
}

// ---------------------------------------------------------------------------
// Runtime helpers called from generated code.

/** Records one failing constraint; a repeated constraint type on a field keeps its slot and takes the last message, as the executor's `constraints[type] = message` does. */
function fail(
  errors: FieldErrors,
  field: string,
  object: unknown,
  value: unknown,
  meta: ValidationMeta,
  constraint: ConstraintMeta | undefined,
): ValidationFieldError[] {
  const [type, message] = describeFailure(object, value, meta, constraint);
  const out = errors ?? [];
  for (let i = out.length - 1; i >= 0 && out[i].field === field; i--) {
    if (out[i].type === type) {
      out[i].message = message;
      return out;
    }
  }
  out.push({ field, type, message, actual: value });
  return out;
}

/** `each: true` over a Set or a Map (arrays are looped inline). */
function everyIn(collection: Set<unknown> | Map<unknown, unknown>, test: (x: unknown) => unknown): boolean {
  for (const item of collection.values()) if (!test(item)) return false;
  return true;
}

function unknownValue(): FieldErrors {
  return [{ field: "", type: UNKNOWN_VALUE, message: UNKNOWN_VALUE_MESSAGE, actual: undefined }];
}

function viaClassValidator(object: object): FieldErrors {
  const errors = validateSync(object);
  return errors.length > 0 ? toFieldErrors(errors) : null;
}

/** Nested validation of an object whose class is only known at run time. */
export function validateAnyObject(object: object): FieldErrors {
  const ctor: unknown = object.constructor;
  if (typeof ctor !== "function") return viaClassValidator(object);
  return dtoValidation(ctor).validate(object);
}

function validateObject(object: object, expected: Ctor | undefined, record: DtoValidation | undefined): FieldErrors {
  return record !== undefined && object.constructor === expected ? record.validate(object) : validateAnyObject(object);
}

/** An index or Map key as class-validator names it (`index.toString()`); only built for errors. */
const keyName = (key: unknown): string => (key as { toString(): string }).toString();

/** One item of a nested array/Set/Map, validated under its index (or Map key). */
function nestedItem(
  errors: FieldErrors,
  item: unknown,
  key: unknown,
  metas: ValidationMeta[],
  expected: Ctor | undefined,
  record: DtoValidation | undefined,
): FieldErrors {
  if (item === undefined) return errors;
  for (let m = 0; m < metas.length; m++) {
    if (Array.isArray(item) || item instanceof Set || item instanceof Map) {
      const children = nestedEach(item, metas, expected, record);
      if (children !== null) errors = prefixErrors(errors, children, keyName(key));
    } else if (item instanceof Object) {
      const children = validateObject(item, expected, record);
      if (children !== null) errors = prefixErrors(errors, children, keyName(key));
    } else {
      errors = fail(errors, keyName(key), metas[m].target, item, metas[m], undefined);
    }
  }
  return errors;
}

/** `nestedValidations` for an array/Set/Map value. No allocation unless something fails. */
function nestedEach(
  collection: unknown[] | Set<unknown> | Map<unknown, unknown>,
  metas: ValidationMeta[],
  expected: Ctor | undefined,
  record: DtoValidation | undefined,
): FieldErrors {
  let errors: FieldErrors = null;
  if (Array.isArray(collection)) {
    for (let i = 0; i < collection.length; i++) {
      if (i in collection) errors = nestedItem(errors, collection[i], i, metas, expected, record); // forEach skips holes
    }
  } else if (collection instanceof Set) {
    let i = 0;
    for (const item of collection) errors = nestedItem(errors, item, i++, metas, expected, record);
  } else {
    collection.forEach((item, key) => {
      errors = nestedItem(errors, item, key, metas, expected, record);
    });
  }
  return errors;
}

// ---------------------------------------------------------------------------
// Code generation.

interface CompiledRule {
  emit: Emit;
  constraint: ConstraintMeta;
  test: (x: unknown) => unknown;
}

/** Does our rule give the real constraint's verdict on every probe value? */
function agrees(test: (x: unknown) => unknown, constraint: ConstraintMeta, meta: ValidationMeta, cls: Ctor): boolean {
  const instance = constraint.instance;
  for (const probe of probeValues(meta.constraints ?? [])) {
    const args: ValidationArguments = {
      targetName: cls.name,
      property: meta.propertyName,
      object: {},
      value: probe,
      constraints: meta.constraints,
    };
    let expected: boolean | "throws";
    let actual: boolean | "throws";
    try {
      const verdict: unknown = instance.validate(probe, args);
      if (verdict instanceof Promise) return false;
      expected = !!verdict;
    } catch {
      expected = "throws";
    }
    try {
      actual = !!test(probe);
    } catch {
      actual = "throws";
    }
    if (expected !== actual) return false;
  }
  return true;
}

function compileRule(meta: ValidationMeta, scope: Scope, cls: Ctor): CompiledRule {
  const constraints = constraintsOf(meta);
  const name = meta.name;
  if (constraints.length !== 1 || !name || constraints[0].name !== name) {
    throw new CompileError(`custom constraint on "${meta.propertyName}"`);
  }
  const constraint = constraints[0];
  if (constraint.async) throw new CompileError(`async constraint "${name}"`);
  const compiler = RULES[name];
  if (compiler === undefined) throw new CompileError(`no compiled rule for "${name}"`);
  const emit = compiler(meta.constraints ?? [], scope);
  if (emit === null) throw new CompileError(`unusual constraints for "${name}"`);
  const test = scope.build<(x: unknown) => unknown>(`function (x) { return ${emit("x")}; }`);
  if (!agrees(test, constraint, meta, cls)) throw new CompileError(`"${name}" is not the built-in rule`);
  return { emit, constraint, test };
}

function compileProperty(rules: PropertyRules, scope: Scope, cls: Ctor, nested: Ctor[]): string {
  if (rules.unsupported.length > 0) throw new CompileError(`"${rules.unsupported[0].type}" rule`);
  const key = JSON.stringify(rules.name);
  const lines: string[] = [`const v = o[${key}];`];

  // Conditional rules (IsOptional, ValidateIf): all evaluated, any falsy skips the property.
  const conditions: string[] = [];
  rules.conditional.forEach((meta, i) => {
    if (meta.name === "isOptional") {
      conditions.push("(v !== null && v !== undefined)");
      return;
    }
    const condition: unknown = meta.constraints?.[0];
    if (typeof condition !== "function") throw new CompileError("conditional rule without a condition");
    lines.push(`const q${i} = ${scope.ref(condition)}(o, v);`);
    conditions.push(`q${i}`);
  });

  const body: string[] = [];
  // IsDefined first, then the other constraints, in declaration order (the executor's order).
  for (const meta of [...rules.defined, ...rules.custom]) {
    const rule = compileRule(meta, scope, cls);
    const failure = `e = F(e, ${key}, o, v, ${scope.ref(meta)}, ${scope.ref(rule.constraint)});`;
    if (!meta.each) {
      body.push(`if (!(${rule.emit("v")})) ${failure}`);
      continue;
    }
    body.push(
      `{ let ok = true;`,
      `  if (Array.isArray(v)) { for (let i = 0; i < v.length; i++) { const x = v[i]; if (!(${rule.emit("x")}) && i in v) { ok = false; break; } } }`,
      `  else if (v instanceof Set || v instanceof Map) ok = EV(v, ${scope.ref(rule.test)});`,
      `  else ok = !!(${rule.emit("v")});`,
      `  if (!ok) ${failure} }`,
    );
  }

  if (rules.nested.length > 0) {
    const expected = declaredType(cls, rules.name);
    const record = expected ? dtoValidation(expected) : undefined;
    if (expected) nested.push(expected);
    const asObject = expected
      ? `(v.constructor === ${scope.ref(expected)} ? ${scope.ref(record)}.validate(v) : D(v))`
      : `D(v)`;
    for (const meta of rules.nested) {
      body.push(
        `if (v !== undefined) {`,
        `  if (Array.isArray(v) || v instanceof Set || v instanceof Map) { const c = NE(v, ${scope.ref(rules.nested)}, ${scope.ref(expected)}, ${scope.ref(record)}); if (c !== null) e = P(e, c, ${key}); }`,
        `  else if (v instanceof Object) { const c = ${asObject}; if (c !== null) e = P(e, c, ${key}); }`,
        `  else e = F(e, ${key}, ${scope.ref(meta)}.target, v, ${scope.ref(meta)}, undefined);`,
        `}`,
      );
    }
  }

  if (conditions.length > 0) lines.push(`if (${conditions.join(" && ")}) {`, ...body, `}`);
  else lines.push(...body);
  return `{\n${lines.join("\n")}\n}`;
}

function generate(cls: Ctor, properties: PropertyRules[], nested: Ctor[]): ValidateFn {
  const scope = new Scope();
  const blocks = properties.map((rules) => compileProperty(rules, scope, cls, nested));
  const helpers = `const F = ${scope.ref(fail)}, P = ${scope.ref(prefixErrors)}, NE = ${scope.ref(nestedEach)}, D = ${scope.ref(validateAnyObject)}, EV = ${scope.ref(everyIn)};`;
  return scope.build<ValidateFn>(`(function () { ${helpers}\nreturn function validate(o) {\nlet e = null;\n${blocks.join("\n")}\nreturn e;\n}; })()`);
}

const records = new WeakMap<Ctor, DtoValidation>();

/** The (cached) validation of one class; never throws, falls back to class-validator. */
export function dtoValidation(cls: Ctor): DtoValidation {
  const cached = records.get(cls);
  if (cached) return cached;
  const record: DtoValidation = { cls, validate: unknownValue, compiled: true, async: false, nested: [], keys: [] };
  records.set(cls, record); // before compiling: recursive DTOs refer to their own record
  const properties = readRules(cls);
  if (properties === null) return record; // no rules: the executor reports `unknownValue`
  record.keys = properties.map((p) => p.name);
  record.async = properties.some((p) => [...p.defined, ...p.custom].some((m) => constraintsOf(m).some((c) => c.async)));
  try {
    record.validate = generate(cls, properties, record.nested);
  } catch (error) {
    record.compiled = false;
    record.reason = error instanceof CompileError ? error.message : `code generation failed: ${String(error)}`;
    record.validate = viaClassValidator;
  }
  return record;
}

/** Whether a DTO and every class its nested rules statically lead to are compiled, and whether any is async. */
export function dtoGraph(root: Ctor): { compiled: boolean; async: boolean; reasons: string[] } {
  const seen = new Set<Ctor>();
  const stack = [root];
  const result = { compiled: true, async: false, reasons: [] as string[] };
  while (stack.length > 0) {
    const cls = stack.pop() as Ctor;
    if (seen.has(cls)) continue;
    seen.add(cls);
    const record = dtoValidation(cls);
    if (!record.compiled) {
      result.compiled = false;
      result.reasons.push(`${cls.name}: ${record.reason}`);
    }
    result.async ||= record.async;
    stack.push(...record.nested);
  }
  return result;
}
