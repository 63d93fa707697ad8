import type { ParamsSchema } from "../decorators/types";

/**
 * A compiled check: returns the value the handler receives (for a DTO class,
 * an instance of it) or throws a `ValidationError` naming every failing field.
 * It returns a Promise only when the schema needs async rules.
 */
export type CheckFunction = (value: unknown) => unknown;

/** The pluggable validator: compiles a schema once, when an endpoint is registered. */
export interface Validator {
  /** `null` means "nothing to check" (no schema, or a type that is not a DTO class). */
  compile(schema: ParamsSchema | undefined): CheckFunction | null;
}
