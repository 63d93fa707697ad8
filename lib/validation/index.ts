export type { CheckFunction, Validator } from "./validator";
export { ClassValidator, VALIDATION_ERROR_MESSAGE } from "./class-validator";
export type { ClassValidatorOptions } from "./class-validator";
export { toFieldErrors } from "./field-errors";
