import { readRules } from "../validation/metadata";

/** Turns one query or path string into the property's declared type. */
type Coercer = (value: string) => unknown;

const toNumber: Coercer = (v) => {
  const n = Number(v);
  return v.trim() !== "" && Number.isFinite(n) ? n : v;
};
const toBoolean: Coercer = (v) => (v === "true" ? true : v === "false" ? false : v);

/**
 * Query strings and path params are strings; a DTO says `a: number`. As
 * moleculer-web users get from fastest-validator's `convert`, the gateway
 * turns such strings into the DTO's declared scalar types (TypeScript's
 * `design:type`: Number, Boolean) before the call. A value that does not
 * convert is left as it is, for the validator to report. Bodies are not
 * touched: JSON has its own types.
 */
export function stringCoercion(dto: unknown): ((params: Record<string, unknown>) => void) | null {
  if (typeof dto !== "function") return null;
  const rules = readRules(dto);
  if (rules === null) return null;
  const fields: Array<[string, Coercer]> = [];
  for (const { name } of rules) {
    const type: unknown = Reflect.getMetadata("design:type", dto.prototype as object, name);
    if (type === Number) fields.push([name, toNumber]);
    else if (type === Boolean) fields.push([name, toBoolean]);
  }
  if (fields.length === 0) return null;
  return (params) => {
    for (const [name, coerce] of fields) {
      const v = params[name];
      if (typeof v === "string") params[name] = coerce(v);
    }
  };
}
