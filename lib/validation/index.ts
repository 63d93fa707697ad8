import { PluginRegistry } from "../utils/plugin-registry";
import { ClassValidator } from "./class-validator";
import type { Validator } from "./validator";

export type { CheckFunction, Validator } from "./validator";
export { ClassValidator, VALIDATION_ERROR_MESSAGE } from "./class-validator";
export type { ClassValidatorOptions } from "./class-validator";
export { toFieldErrors } from "./field-errors";

export function isValidator(value: unknown): value is Validator {
  return typeof value === "object" && value !== null && typeof (value as Partial<Validator>).compile === "function";
}

/** The name the broker resolves when `validator` is unset or `true`. */
export const DEFAULT_VALIDATOR = "ClassValidator";

/** Every validator by name (any case); `Validators.register("Fastest", FastestValidator)` adds one. */
export const Validators = new PluginRegistry<Validator>({ family: "validator", isInstance: isValidator }).register(
  DEFAULT_VALIDATOR,
  ClassValidator,
);
