import type { ValidationError as ClassValidatorError } from "class-validator";
import type { ValidationFieldError } from "../errors";

/** A relative-path error list, or `null` for "valid" so the valid path allocates nothing. */
export type FieldErrors = ValidationFieldError[] | null;

export const UNKNOWN_VALUE = "unknownValue";
export const UNKNOWN_VALUE_MESSAGE = "an unknown value was passed to the validate function";

/**
 * Flattens class-validator's error tree into `{ field, type, message, actual }`
 * rows: one per failing constraint, `field` being the dotted property path
 * (`address.city`, `items.0.name`). An error without a property (class-validator's
 * `unknownValue` for an object it has no rules for) is reported on its parent's path.
 */
export function toFieldErrors(errors: readonly ClassValidatorError[], prefix = "", out: ValidationFieldError[] = []): ValidationFieldError[] {
  for (const error of errors) {
    const property: unknown = error.property;
    const field = property === undefined ? prefix : prefix === "" ? String(property) : `${prefix}.${String(property)}`;
    if (error.constraints) {
      for (const type of Object.keys(error.constraints)) {
        out.push({ field, type, message: error.constraints[type] ?? "", actual: error.value });
      }
    }
    if (error.children && error.children.length > 0) toFieldErrors(error.children, field, out);
  }
  return out;
}

/** Moves child errors under `key` and appends them (error path only). */
export function prefixErrors(into: FieldErrors, children: ValidationFieldError[], key: string): ValidationFieldError[] {
  const out = into ?? [];
  for (const child of children) {
    child.field = child.field === "" ? key : `${key}.${child.field}`;
    out.push(child);
  }
  return out;
}
