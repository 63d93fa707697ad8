import { NucleonError } from "./base";

const MAX_SHOWN = 200;

/** True errors, also from another realm (a `vm` context), whose `instanceof Error` is false. */
export function isError(value: unknown): value is Error {
  return value instanceof Error || Object.prototype.toString.call(value) === "[object Error]";
}

/** A short, never-throwing text for any value: what the message names. */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value);
    case "undefined":
      return "undefined";
    case "symbol":
    case "bigint":
    case "number":
    case "boolean":
      return value.toString() + (typeof value === "bigint" ? "n" : "");
    case "function":
      return `function ${value.name || "(anonymous)"}`;
  }
  if (value === null) return "null";
  try {
    const json = JSON.stringify(value);
    if (typeof json === "string") return json.length > MAX_SHOWN ? `${json.slice(0, MAX_SHOWN)}…` : json;
  } catch {
    // circular, BigInt inside, a throwing toJSON: fall back to the tag
  }
  return Object.prototype.toString.call(value);
}

/**
 * Whatever was thrown (or rejected with), as an Error: errors pass through,
 * anything else becomes a `NucleonError` (the wire's `MoleculerError`), so a
 * caller never gets `null` as a rejection or a success. A thrown string keeps
 * its text as the message, as Moleculer's `new MoleculerError(err)` does; any
 * other value is named: "A non-Error value was thrown: null".
 */
export function toError(value: unknown): Error {
  if (isError(value)) return value;
  const shown = describeValue(value);
  const message = typeof value === "string" ? value : `A non-Error value was thrown: ${shown}`;
  return new NucleonError(message, 500, "NON_ERROR_THROWN", { value: shown });
}
