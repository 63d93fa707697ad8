import { isEmail, isUUID } from "class-validator";

/**
 * Direct re-implementations of class-validator's built-in constraints, as JS
 * expression templates for the generated check code. Each mirrors the
 * built-in's `validate` exactly (see class-validator/cjs/decorator/**); a rule
 * is only used after `compile-dto.ts` has cross-checked it against the real
 * constraint on a set of probe values, so a custom decorator that reuses a
 * built-in name, or a class-validator upgrade that changes a rule, falls back
 * to class-validator instead of silently disagreeing.
 */

/** Emits a boolean JS expression testing the value held in identifier `x`. */
export type Emit = (x: string) => string;

export interface RuleScope {
  /** Makes `value` reachable from the generated code; returns its identifier. */
  ref(value: unknown): string;
}

/** `null`: constraints this rule does not handle; the DTO then falls back. */
export type RuleCompiler = (constraints: readonly unknown[], scope: RuleScope) => Emit | null;

// validator.js `isLength` counts a surrogate pair or a char + variation selector as one.
const LENGTH_SPECIAL = /[\uD800-\uDBFF]|\uFE0E|\uFE0F/;
const PRESENTATION = /[^\uFE0F\uFE0E][\uFE0F\uFE0E]/g;
const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

/** validator.js `isLength`'s notion of length, without its two allocations in the common case. */
export function stringLength(s: string): number {
  if (!LENGTH_SPECIAL.test(s)) return s.length;
  return s.length - (s.match(PRESENTATION) ?? []).length - (s.match(SURROGATE_PAIR) ?? []).length;
}

/** `isNumber`'s maxDecimalPlaces test, verbatim (including its throw on `1e-7`). */
export function decimalsWithin(value: number, max: unknown): boolean {
  let places = 0;
  if (value % 1 !== 0) places = (value.toString().split(".")[1] as string).length;
  return !(places > (max as number));
}

/** `matches` with a global/sticky pattern: validator.js builds a fresh RegExp per call. */
export function matchesFresh(s: string, pattern: RegExp): boolean {
  pattern.lastIndex = 0;
  return s.match(pattern) !== null;
}

const isNum = (c: unknown): c is number => typeof c === "number";
const isPlainRegExp = (c: unknown): c is RegExp =>
  Object.prototype.toString.call(c) === "[object RegExp]" && Object.getPrototypeOf(c) === RegExp.prototype;

/** `isLength(str, { min, max })` given `min || 0` and `max` as validator.js computes them. */
function lengthCheck(x: string, min: unknown, max: unknown, scope: RuleScope): string | null {
  if (!isNum(min) || !(max === undefined || isNum(max))) return null;
  const len = scope.ref(stringLength);
  const parts = [`typeof ${x} === "string"`];
  // Cheap bounds first: the counted length is never above `.length`.
  if (min > 0) parts.push(`${x}.length >= ${scope.ref(min)}`);
  if (max !== undefined) parts.push(`(${x}.length <= ${scope.ref(max)} || ${len}(${x}) <= ${scope.ref(max)})`);
  if (min > 0) parts.push(`${len}(${x}) >= ${scope.ref(min)}`);
  return `(${parts.join(" && ")})`;
}

export const RULES: Readonly<Record<string, RuleCompiler>> = {
  isDefined: () => (x) => `(${x} !== undefined && ${x} !== null)`,
  isString: () => (x) => `(typeof ${x} === "string" || ${x} instanceof String)`,
  isBoolean: () => (x) => `(typeof ${x} === "boolean" || ${x} instanceof Boolean)`,
  isInt: () => (x) => `(typeof ${x} === "number" && Number.isInteger(${x}))`,
  isNumber: ([options], scope) => {
    if (typeof options !== "object" || options === null) return null;
    const { allowNaN, allowInfinity, maxDecimalPlaces } = options as Record<string, unknown>;
    return (x) => {
      const finite =
        maxDecimalPlaces === undefined
          ? `Number.isFinite(${x})`
          : `(Number.isFinite(${x}) && ${scope.ref(decimalsWithin)}(${x}, ${scope.ref(maxDecimalPlaces)}))`;
      const alt = [finite];
      if (allowInfinity) alt.push(`${x} === Infinity || ${x} === -Infinity`);
      if (allowNaN) alt.push(`${x} !== ${x}`);
      return `(typeof ${x} === "number" && (${alt.join(" || ")}))`;
    };
  },
  isPositive: () => (x) => `(typeof ${x} === "number" && ${x} > 0)`,
  isNegative: () => (x) => `(typeof ${x} === "number" && ${x} < 0)`,
  min: ([bound], scope) => (isNum(bound) ? (x) => `(typeof ${x} === "number" && ${x} >= ${scope.ref(bound)})` : null),
  max: ([bound], scope) => (isNum(bound) ? (x) => `(typeof ${x} === "number" && ${x} <= ${scope.ref(bound)})` : null),
  isNotEmpty: () => (x) => `(${x} !== "" && ${x} !== null && ${x} !== undefined)`,
  isEmpty: () => (x) => `(${x} === "" || ${x} === null || ${x} === undefined)`,
  minLength: ([min], scope) => {
    const bound = (min as number) || 0;
    return lengthCheck("X", bound, undefined, scope) === null ? null : (x) => lengthCheck(x, bound, undefined, scope) as string;
  },
  maxLength: ([max], scope) =>
    lengthCheck("X", 0, max, scope) === null ? null : (x) => lengthCheck(x, 0, max, scope) as string,
  isLength: ([min, max], scope) => {
    const bound = (min as number) || 0;
    return lengthCheck("X", bound, max, scope) === null ? null : (x) => lengthCheck(x, bound, max, scope) as string;
  },
  // `some(v => v === x)`: strict equality, like indexOf (and unlike includes, for NaN).
  isIn: ([values], scope) => (Array.isArray(values) ? (x) => `(${scope.ref(values)}.indexOf(${x}) !== -1)` : null),
  isNotIn: ([values], scope) => (Array.isArray(values) ? (x) => `(${scope.ref(values)}.indexOf(${x}) === -1)` : null),
  isEnum: ([entity], scope) => {
    if (typeof entity !== "object" || entity === null) return null;
    const record = entity as Record<string, unknown>;
    const values = Object.keys(record).map((k) => record[k]); // includes numeric enums' reverse keys, as isEnum does
    return (x) => `${scope.ref(values)}.includes(${x})`;
  },
  equals: ([value], scope) => (x) => `(${x} === ${scope.ref(value)})`,
  notEquals: ([value], scope) => (x) => `(${x} !== ${scope.ref(value)})`,
  isArray: () => (x) => `Array.isArray(${x})`,
  arrayNotEmpty: () => (x) => `(Array.isArray(${x}) && ${x}.length > 0)`,
  arrayMinSize: ([min], scope) => (isNum(min) ? (x) => `(Array.isArray(${x}) && ${x}.length >= ${scope.ref(min)})` : null),
  arrayMaxSize: ([max], scope) => (isNum(max) ? (x) => `(Array.isArray(${x}) && ${x}.length <= ${scope.ref(max)})` : null),
  isObject: () => (x) => `(${x} != null && (typeof ${x} === "object" || typeof ${x} === "function") && !Array.isArray(${x}))`,
  isDate: () => (x) => `(${x} instanceof Date && !isNaN(${x}.getTime()))`,
  matches: ([pattern, modifiers], scope) => {
    let re: RegExp;
    if (isPlainRegExp(pattern)) re = pattern;
    else if (typeof pattern === "string" && (modifiers === undefined || typeof modifiers === "string")) {
      try {
        re = new RegExp(pattern, modifiers);
      } catch {
        return null; // validator.js would throw on every string value; let class-validator do that
      }
    } else return null;
    const r = scope.ref(re);
    if (!re.global && !re.sticky) return (x) => `(typeof ${x} === "string" && ${r}.test(${x}))`;
    // A user RegExp object keeps its lastIndex between calls under `str.match`, so call exactly that.
    if (re === pattern) return (x) => `(typeof ${x} === "string" && ${x}.match(${r}) !== null)`;
    return (x) => `(typeof ${x} === "string" && ${scope.ref(matchesFresh)}(${x}, ${r}))`;
  },
  // validator.js's email/UUID grammars are not worth re-deriving; the standalone
  // functions are pure and cheap, what costs in class-validator is the executor.
  isEmail: ([options], scope) => (x) => `${scope.ref(isEmail)}(${x}, ${scope.ref(options)})`,
  isUuid: ([version], scope) => (x) => `${scope.ref(isUUID)}(${x}, ${scope.ref(version)})`,
};

/**
 * Values each compiled rule is cross-checked on against the real constraint
 * before it is trusted. Rule-specific constraint values are added to these.
 */
export function probeValues(constraints: readonly unknown[]): unknown[] {
  const base: unknown[] = [
    undefined, null, 0, -0, 1, -1, 2, 3, 5, 10, 100, 1.5, -2.25, 0.1, 1e21, NaN, Infinity, -Infinity,
    "", " ", "a", "ab", "abc", "abcdef", "hello world", "1", "A", "😀😀", "a\uFE0F", "x".repeat(300),
    "user@example.com", "not an email", "123e4567-e89b-42d3-a456-426614174000", "00000000-0000-0000-0000-000000000000",
    true, false, [], [1], [1, 2, 3], ["a"], {}, { a: 1 }, new Date(0), new Date(NaN),
    new String("s"), new Boolean(false), () => 1,
  ];
  for (const c of constraints) {
    base.push(c);
    if (Array.isArray(c)) base.push(...c);
    else if (typeof c === "object" && c !== null) {
      const record = c as Record<string, unknown>;
      for (const k of Object.keys(record)) base.push(record[k], k);
    } else if (typeof c === "number") base.push(c - 1, c + 1, c - 0.5, c + 0.5);
  }
  return base;
}
