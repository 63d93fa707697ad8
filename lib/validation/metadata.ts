import { getMetadataStorage, ValidationTypes } from "class-validator";
import type { MetadataStorage, ValidationArguments } from "class-validator";

/**
 * class-validator's metadata records, typed from its public API (the classes
 * themselves are not exported from the package root).
 */
export type ValidationMeta = ReturnType<MetadataStorage["getTargetValidationMetadatas"]>[number];
export type ConstraintMeta = ReturnType<MetadataStorage["getTargetValidatorConstraints"]>[number];
export type Ctor = Function;

/** One property's rules, split the way `ValidationExecutor.performValidations` splits them. */
export interface PropertyRules {
  name: string;
  conditional: ValidationMeta[];
  defined: ValidationMeta[];
  custom: ValidationMeta[];
  nested: ValidationMeta[];
  /** Types the executor would treat specially but we do not compile (e.g. promise validation). */
  unsupported: ValidationMeta[];
}

/**
 * Reads a class's validation rules once, with the same query the executor
 * runs per call for `validate(obj)` without options (no groups: every rule
 * applies), grouped by property in the executor's order.
 */
export function readRules(target: Ctor): PropertyRules[] | null {
  const storage = getMetadataStorage();
  const metas = storage.getTargetValidationMetadatas(target, "", false, false);
  if (metas.length === 0) return null;
  const grouped = storage.groupByPropertyName(metas);
  return Object.keys(grouped).map((name) => {
    const rules: PropertyRules = { name, conditional: [], defined: [], custom: [], nested: [], unsupported: [] };
    for (const m of grouped[name]) {
      switch (m.type) {
        case ValidationTypes.IS_DEFINED:
          rules.defined.push(m);
          break;
        case ValidationTypes.CUSTOM_VALIDATION:
          rules.custom.push(m);
          break;
        case ValidationTypes.NESTED_VALIDATION:
          rules.nested.push(m);
          break;
        case ValidationTypes.CONDITIONAL_VALIDATION:
          rules.conditional.push(m);
          break;
        case ValidationTypes.WHITELIST:
          break; // only matters with `whitelist: true`, which default validation does not use
        default:
          rules.unsupported.push(m);
      }
    }
    return rules;
  });
}

export function constraintsOf(meta: ValidationMeta): ConstraintMeta[] {
  return getMetadataStorage().getTargetValidatorConstraints(meta.constraintCls);
}

/** `ValidationUtils.constraintToString` (not exported by class-validator). */
function constraintToString(constraint: unknown): string {
  if (Array.isArray(constraint)) return constraint.join(", ");
  if (typeof constraint === "symbol") return `${constraint.description}`;
  return `${constraint}`;
}

/** `ValidationUtils.replaceMessageSpecialTokens`, same calls in the same order. */
function replaceTokens(message: ValidationMeta["message"] | string, args: ValidationArguments): string {
  let text: string | undefined;
  if (message instanceof Function) text = message(args);
  else if (typeof message === "string") text = message;
  const constraints: unknown = args.constraints;
  if (text && Array.isArray(constraints)) {
    constraints.forEach((constraint: unknown, index: number) => {
      text = (text as string).replace(new RegExp(`\\$constraint${index + 1}`, "g"), constraintToString(constraint));
    });
  }
  const value: unknown = args.value;
  if (text && value !== undefined && value !== null && ["string", "boolean", "number"].includes(typeof value)) {
    text = text.replace(/\$value/g, String(value));
  }
  if (text) text = text.replace(/\$property/g, args.property);
  if (text) text = text.replace(/\$target/g, String(args.targetName));
  return text ?? "";
}

/**
 * `ValidationExecutor.createValidationError`: the constraint type and its
 * message. Only ever called on the error path.
 */
export function describeFailure(
  object: unknown,
  value: unknown,
  meta: ValidationMeta,
  constraint: ConstraintMeta | undefined,
): [type: string, message: string] {
  const ctor = (object as { constructor?: { name?: string } }).constructor;
  const args: ValidationArguments = {
    targetName: (ctor ? ctor.name : undefined) as string,
    property: meta.propertyName,
    object: object as object,
    value,
    constraints: meta.constraints,
  };
  const type = constraint && constraint.name ? constraint.name : meta.type;
  let message: ValidationMeta["message"] | string = meta.message || "";
  if (!meta.message && constraint) {
    const instance = constraint.instance;
    if (instance.defaultMessage instanceof Function) message = instance.defaultMessage(args);
  }
  return [type, replaceTokens(message, args)];
}
