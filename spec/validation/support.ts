import { plainToInstance } from "class-transformer";
import { validate, validateSync } from "class-validator";
import type { Constructor } from "../../lib/decorators/types";
import { ValidationError, ValidationFieldError } from "../../lib/errors";
import { ClassValidator, CheckFunction, toFieldErrors } from "../../lib/validation";
import { dtoGraph } from "../../lib/validation/compile-dto";

/** What a check did with one input: accepted it, rejected it, or crashed. */
export type Outcome = { ok: true; value: unknown } | { ok: false; fields: ValidationFieldError[] } | { crash: string };

export function compileCheck(dto: Constructor): CheckFunction {
  const check = new ClassValidator().compile(dto);
  if (check === null) throw new Error(`${dto.name} did not compile to a check`);
  return check;
}

export function run(check: CheckFunction, input: unknown): Outcome {
  try {
    return { ok: true, value: check(input) };
  } catch (error) {
    if (error instanceof ValidationError) return { ok: false, fields: error.data };
    return { crash: error instanceof Error ? error.constructor.name : String(error) };
  }
}

export async function runAsync(check: CheckFunction, input: unknown): Promise<Outcome> {
  try {
    return { ok: true, value: await check(input) };
  } catch (error) {
    if (error instanceof ValidationError) return { ok: false, fields: error.data };
    return { crash: error instanceof Error ? error.constructor.name : String(error) };
  }
}

/**
 * Our contract for params that are not an object. class-validator has none:
 * it throws a TypeError for null/undefined/primitives and reports
 * `unknownValue` for an array, so we report `unknownValue` for those, and
 * "params are required" when there are no params at all.
 */
const NOT_AN_OBJECT = (input: unknown, dto: Constructor): Outcome => ({
  ok: false,
  fields:
    input === undefined || input === null
      ? [{ field: "", type: "required", message: `params are required (an object of type ${dto.name})`, actual: input }]
      : [{ field: "", type: "unknownValue", message: "an unknown value was passed to the validate function", actual: input }],
});

/** The reference: class-transformer + class-validator, as a user would call them. */
export function reference(dto: Constructor, input: unknown): Outcome {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return NOT_AN_OBJECT(input, dto);
  try {
    const instance = plainToInstance(dto, input) as object;
    const fields = toFieldErrors(validateSync(instance));
    return fields.length === 0 ? { ok: true, value: instance } : { ok: false, fields };
  } catch (error) {
    return { crash: error instanceof Error ? error.constructor.name : String(error) };
  }
}

export async function referenceAsync(dto: Constructor, input: unknown): Promise<Outcome> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return NOT_AN_OBJECT(input, dto);
  try {
    const instance = plainToInstance(dto, input) as object;
    const fields = toFieldErrors(await validate(instance));
    return fields.length === 0 ? { ok: true, value: instance } : { ok: false, fields };
  } catch (error) {
    return { crash: error instanceof Error ? error.constructor.name : String(error) };
  }
}

/** A value's structure including each object's class and key order, for exact comparisons. */
export function shape(value: unknown): unknown {
  if (value instanceof Date) return { "@date": value.getTime() };
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    const out: Record<string, unknown> = { "@class": value.constructor?.name, "@keys": Object.keys(record).join(",") };
    for (const key of Object.keys(record)) out[key] = shape(record[key]);
    return out;
  }
  return value;
}

/** Comparable summary: the instance's shape, or failures as `field|type|message` in reported order. */
export function summary(outcome: Outcome): unknown {
  if ("crash" in outcome) return { crash: outcome.crash };
  if (outcome.ok) return { ok: true, value: shape(outcome.value) };
  return { ok: false, fields: outcome.fields.map((f) => `${f.field}|${f.type}|${f.message}`) };
}

/** The failures of `check(input)`, or `[]` when it passes. */
export function failures(check: CheckFunction, input: unknown): ValidationFieldError[] {
  const outcome = run(check, input);
  if ("crash" in outcome) throw new Error(`check crashed: ${outcome.crash}`);
  return outcome.ok ? [] : outcome.fields;
}

export function expectCompiled(dto: Constructor): void {
  const graph = dtoGraph(dto);
  if (!graph.compiled) throw new Error(`${dto.name} fell back to class-validator: ${graph.reasons.join("; ")}`);
}

/** A class with the given decorators on its `value` property (applied in order). */
export function dtoWith(name: string, ...decorators: PropertyDecorator[]): Constructor {
  const Dto = class {
    value?: unknown;
  };
  Object.defineProperty(Dto, "name", { value: name });
  for (const decorate of decorators) decorate(Dto.prototype, "value");
  return Dto;
}

/** mulberry32: a tiny seeded PRNG, so failures reproduce. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
