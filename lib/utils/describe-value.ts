import { inspect } from "node:util";

/** A value as a user would recognise it in an error message: `42`, `undefined`, `{ a: 1 }`. */
export function describeValue(value: unknown): string {
  return inspect(value, { depth: 1, breakLength: Infinity, maxArrayLength: 5, maxStringLength: 80 });
}
