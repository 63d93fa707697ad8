import { plainToInstance } from "class-transformer";
import { validate, validateSync } from "class-validator";
import type { Constructor, ParamsSchema } from "../decorators/types";
import { ValidationError } from "../errors";
import { dtoGraph, dtoValidation, validateAnyObject } from "./compile-dto";
import { BAIL, instanceFactory } from "./compile-instance";
import { FieldErrors, toFieldErrors, UNKNOWN_VALUE, UNKNOWN_VALUE_MESSAGE } from "./field-errors";
import type { ValidationFieldError } from "../errors";
import type { CheckFunction, Validator } from "./validator";

export interface ClassValidatorOptions {
  /**
   * `false` skips the compiled checks and always runs `plainToInstance` +
   * class-validator (an escape hatch; same results, ~50x slower).
   */
  compile?: boolean;
}

export const VALIDATION_ERROR_MESSAGE = "Parameters validation error!";

/** Handler params typed as an interface or primitive arrive as these: nothing to check. */
const BUILT_INS: ReadonlySet<unknown> = new Set<unknown>([Object, Number, String, Boolean, Array, Promise, Function]);

function invalid(fields: ValidationFieldError[]): ValidationError {
  return new ValidationError(VALIDATION_ERROR_MESSAGE, "VALIDATION_ERROR", fields);
}

/**
 * Params that are not an object (a number, an array) fail like an object
 * class-validator has no rules for; no params at all say what is expected.
 */
function notAnObject(value: unknown, dto: Constructor): ValidationError {
  if (value === undefined || value === null) {
    const message = `params are required (an object of type ${dto.name})`;
    return new ValidationError(message, "VALIDATION_ERROR", [{ field: "", type: PARAMS_REQUIRED, message, actual: value }]);
  }
  return invalid([{ field: "", type: UNKNOWN_VALUE, message: UNKNOWN_VALUE_MESSAGE, actual: value }]);
}

/** Field error type for missing params (fastest-validator's name for a missing value). */
export const PARAMS_REQUIRED = "required";

const isParamsObject = (value: unknown): value is object =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The exact class-validator path: for DTOs with rules we do not compile. */
function classValidatorCheck(dto: Constructor, hasAsync: boolean): CheckFunction {
  if (hasAsync) {
    return (params) => {
      if (!isParamsObject(params)) throw notAnObject(params, dto);
      const instance = plainToInstance(dto, params);
      return validate(instance).then((errors) => {
        if (errors.length > 0) throw invalid(toFieldErrors(errors));
        return instance;
      });
    };
  }
  return (params) => {
    if (!isParamsObject(params)) throw notAnObject(params, dto);
    const instance = plainToInstance(dto, params);
    const errors = validateSync(instance);
    if (errors.length > 0) throw invalid(toFieldErrors(errors));
    return instance;
  };
}

function compiledCheck(dto: Constructor): CheckFunction {
  const validateDto = dtoValidation(dto).validate;
  const create = instanceFactory(dto, (cls) => dtoValidation(cls).keys);
  return (params) => {
    if (!isParamsObject(params)) throw notAnObject(params, dto);
    let instance: unknown = BAIL;
    const plain = params as { constructor?: unknown; then?: unknown };
    if (create !== null && plain.constructor === Object && typeof plain.then !== "function") instance = create(params);
    if (instance === BAIL) instance = plainToInstance(dto, params);
    let errors: FieldErrors;
    if (isParamsObject(instance)) {
      errors = instance.constructor === dto ? validateDto(instance) : validateAnyObject(instance);
    } else {
      throw notAnObject(instance, dto);
    }
    if (errors !== null) throw invalid(errors);
    return instance;
  };
}

/**
 * The default validator: params schemas are DTO classes decorated with
 * class-validator (and optionally class-transformer `@Type`). The check turns
 * the params into a DTO instance and validates it with class-validator's
 * semantics, from code compiled once per class.
 */
export class ClassValidator implements Validator {
  private readonly compileChecks: boolean;

  constructor(options: ClassValidatorOptions = {}) {
    this.compileChecks = options.compile !== false;
  }

  compile(schema: ParamsSchema | undefined): CheckFunction | null {
    if (schema === undefined || schema === null || schema === false) return null;
    if (typeof schema !== "function") {
      throw new Error("ClassValidator only understands DTO classes; pass a custom validator");
    }
    if (BUILT_INS.has(schema) || dtoValidation(schema).keys.length === 0) return null;
    const graph = dtoGraph(schema);
    if (!this.compileChecks || !graph.compiled) return classValidatorCheck(schema, graph.async);
    return compiledCheck(schema);
  }
}
